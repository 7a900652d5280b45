package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// chromiumPath finds the browser: NEWSLINE_CHROMIUM (scripts/test-services.sh
// exports it), else chromium on PATH. Without one the test skips, unless
// NEWSLINE_REQUIRE_BROWSER is set (make test, CI), where it fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NEWSLINE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("NEWSLINE_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium and NEWSLINE_REQUIRE_BROWSER is set: run scripts/test-services.sh, which installs it")
	}
	t.Skip("no Chromium (set NEWSLINE_CHROMIUM, or run scripts/test-services.sh)")
	return ""
}

// browser is a headless Chromium the size of a phone, recording what its
// pages print as errors, and saving a screenshot of every step.
type browser struct {
	t      *testing.T
	ctx    context.Context
	shots  string
	n      int
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, chromedp.WindowSize(412, 915), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// NEWSLINE_BROWSER_SHOTS keeps the screenshots in a folder of one's
	// choosing, to look at them after the test.
	shots := os.Getenv("NEWSLINE_BROWSER_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	b := &browser{t: t, ctx: ctx, shots: shots}
	messages := chromedp.Console(ctx) // starts the browser
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			// A resource that fails to load (an article's image on its
			// own site) is the network's; anything else, such as a page
			// breaking the Content-Security-Policy, is the page's.
			if (m.Type == chromedp.ConsoleError || m.IsException()) && m.Source != "network" {
				b.fail("%s (%s:%d)", m, m.URL, m.Line)
			}
		}
	}()
	t.Cleanup(func() { cancel(); cancelAlloc(); <-done })
	return b
}

func (b *browser) fail(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, fmt.Sprintf(format, args...))
}

// step runs one step of the story and saves a screenshot of where it ends.
func (b *browser) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	b.n++
	err := chromedp.Do(ctx, actions...)
	url, _ := chromedp.Run(ctx, chromedp.Location())
	if shot, serr := chromedp.Run(ctx, chromedp.FullScreenshot(100)); serr == nil {
		path := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
		if werr := os.WriteFile(path, shot, 0o644); werr != nil {
			b.t.Error(werr)
		}
		b.t.Logf("step %d %s: %s (screenshot %s)", b.n, name, url, path)
	}
	if err != nil {
		body, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
		b.t.Fatalf("step %s at %s: %v\npage:\n%.1500s", name, url, err, body)
	}
	// Messages arrive as events, a moment after the step.
	time.Sleep(100 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errors) > 0 {
		b.t.Fatalf("step %s: errors in the page: %s", name, strings.Join(b.errors, "; "))
	}
}

// textOf reads an element's text.
func (b *browser) textOf(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// TestBrowser walks a reader's story through the web app in a real
// headless Chromium against a running newsline that crawled the test
// site: sign up, log in, search and see the match highlighted, open the
// article, bookmark it and find it under bookmarks, follow its site and
// find the site's articles in "my feed", log out and be refused "my feed".
func TestBrowser(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser")
	}
	chromiumPath(t) // skip before starting anything
	site, _, sitesFile := setup(t, 30, "0s")
	dbURL := testenv.DatabaseURL(t)
	addr := freeAddr(t)
	runInProcess(t, env{"NEWSLINE_DATABASE_URL": dbURL, "NEWSLINE_REDIS_URL": testenv.RedisURL(t), "NEWSLINE_SITES": sitesFile,
		"NEWSLINE_HTTP_ADDR": addr, "NEWSLINE_LOG_LEVEL": "warn", "NEWSLINE_SIGNUP": "open"}, "all")
	base := "http://" + addr
	word, title := waitForArticle(t, dbURL)
	b := newBrowser(t)
	user := "reader" + fmt.Sprint(time.Now().UnixNano()%100000)

	b.step("signup", chromedp.Navigate(base+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#signup-name"), user), chromedp.SendKeys(chromedp.CSS("#signup-email"), user+"@example.com"),
		chromedp.SendKeys(chromedp.CSS("#signup-password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS("#signup button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#login-name")))
	b.step("login", chromedp.Clear(chromedp.CSS("#login-name")), chromedp.SendKeys(chromedp.CSS("#login-name"), user),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
	b.step("search", chromedp.Navigate(base+"/"), chromedp.SendKeys(chromedp.CSS("#top-q"), word+"\n"),
		chromedp.WaitVisible(chromedp.CSS("ol.items mark")))
	if m := strings.ToLower(b.textOf("ol.items mark")); !strings.HasPrefix(m, strings.ToLower(word)[:3]) {
		t.Errorf("searched %q, highlighted %q", word, m)
	}
	b.step("article", chromedp.Click(chromedp.CSS("ol.items h2 a")), chromedp.WaitVisible(chromedp.CSS("article h1")))
	opened := b.textOf("article h1")
	t.Logf("searched %q (from %q), opened %q", word, title, opened)
	b.step("bookmark", chromedp.Click(chromedp.CSS(`form[action$="/bookmark"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/unbookmark"]`)))
	b.step("bookmarks", chromedp.Navigate(base+"/my/bookmarks"), chromedp.WaitVisible(chromedp.CSS("ol.items")))
	if got := b.textOf("ol.items"); !strings.Contains(got, opened) {
		t.Errorf("bookmarks %q, want %q", got, opened)
	}
	b.step("site", chromedp.Navigate(base+"/sites/"+site.Host), chromedp.Click(chromedp.CSS(`form[action$="/follow"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/unfollow"]`)))
	b.step("my-feed", chromedp.Navigate(base+"/my/feed"), chromedp.WaitVisible(chromedp.CSS("ol.items")))
	links, err := chromedp.Run(b.ctx, chromedp.AttributesAll(chromedp.CSSAll(`ol.items .meta a[href^="/sites/"]`)))
	if err != nil || len(links) == 0 {
		t.Errorf("my feed lists no articles: %v", err)
	}
	for _, a := range links {
		if !strings.Contains(a["href"], site.Host) {
			t.Errorf("my feed lists an article of %s", a["href"])
		}
	}
	b.step("logout", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	b.step("my-feed-refused", chromedp.Navigate(base+"/my/feed"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h := b.textOf("main h1"); !strings.Contains(h, "log in") {
		t.Errorf("my feed after logging out: %q", h)
	}
	resp, err := http.Get(base + "/my/feed")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /my/feed without a session: %d", resp.StatusCode)
	}
}

// waitForArticle waits for the crawl to store articles and returns a word
// to search for, from the newest article's title, and that title.
func waitForArticle(t *testing.T, dbURL string) (string, string) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(90 * time.Second)
	for {
		if db, err := store.Open(ctx, dbURL); err == nil {
			var title string
			err = db.Pool.QueryRow(ctx, `SELECT title FROM articles WHERE kind = 'article' AND
				(SELECT count(*) FROM articles WHERE kind = 'article') >= 10 ORDER BY sort_at DESC LIMIT 1`).Scan(&title)
			db.Close()
			if err == nil {
				return longestWord(title), title
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no articles stored within 90s")
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func longestWord(s string) string {
	best := ""
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) > len(best) {
			best = w
		}
	}
	return best
}
