package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/store"
)

// TestMain lets a test start this very binary as a separate newsline
// process (to kill a worker mid-crawl, say): with NEWSLINE_TEST_EXEC set,
// the test binary is the newsline command.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSLINE_TEST_EXEC") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// env is a fake environment for in-process runs of Main.
type env map[string]string

func (e env) lookup(k string) (string, bool) { v, ok := e[k]; return v, ok }

func (e env) list() []string {
	out := []string{"NEWSLINE_TEST_EXEC=1"}
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for a goroutine writing while the test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runInProcess runs newsline with args until the test ends.
func runInProcess(t *testing.T, e env, args ...string) {
	t.Helper()
	var out syncBuffer
	a, err := newApp(&out, &out, e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	runAppInProcess(t, a, &out, args...)
}

// runAppInProcess runs a's command args until the test ends; out is
// where a writes, shown when it fails.
func runAppInProcess(t *testing.T, a *app, out *syncBuffer, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- a.execute(ctx, args) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("newsline %s exited %d:\n%s", strings.Join(args, " "), code, out.String())
			}
		case <-time.After(60 * time.Second):
			t.Errorf("newsline %s did not stop within 60s", strings.Join(args, " "))
		}
	})
}

// startProcess starts newsline with args as a child process.
func startProcess(t *testing.T, e env, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), e.list()...)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "process.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Killed with the test binary: a test that panics must leave no worker
	// behind to take the tasks of later tests handed the same Redis
	// database.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logFile.Name())
			t.Logf("newsline %s log:\n%s", strings.Join(args, " "), tail(string(b), 4000))
		}
	})
	return cmd
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// setup starts a generated site and an off-whitelist site that the first
// links to, and returns a whitelist file naming only the first.
func setup(t *testing.T, articles int, delay string) (*testsite.Server, *testsite.Server, string) {
	t.Helper()
	offsite, err := testsite.Start(testsite.Config{Articles: 5, Seed: 99})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { offsite.Close() })
	site, err := testsite.Start(testsite.Config{Articles: articles, Seed: 7, ExternalLinks: []string{offsite.URL + "/", offsite.URL + "/feed.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	yaml := fmt.Sprintf(`sites:
  - host: %s
    name: Test site
    start_urls: [%s/]
    feeds: [%s/feed.xml]
    schedule: "@every 2s"
    delay: %s
    max_pages: 2000
    allow_private: true
`, site.Host, site.URL, site.URL, delay)
	path := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return site, offsite, path
}

// waitForArticles polls until want articles are stored and no URL is
// waiting, or fails the test.
func waitForArticles(t *testing.T, db *store.DB, want int64, timeout time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for {
		n, err := db.CountArticles(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		counts, err := db.URLCounts(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n >= want && counts[store.URLNew]+counts[store.URLQueued] == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %d of %d articles stored; urls by state %v", timeout, n, want, counts)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// checkStoredOnce asserts every allowed article is stored exactly once with
// its title and body, and nothing else is.
func checkStoredOnce(t *testing.T, db *store.DB, site *testsite.Server) {
	t.Helper()
	ctx := context.Background()
	allowed := site.Allowed()
	rows, err := db.Pool.Query(ctx, `SELECT canonical_url, title, body_text, published_at,
		array(SELECT lower(au.name) FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id ORDER BY aa.position),
		count(*) OVER (PARTITION BY canonical_url) FROM articles a`)
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		title, body string
		published   *time.Time
		authors     []string
	}
	got := map[string]stored{}
	for rows.Next() {
		var u, title, body string
		var copies int
		var published *time.Time
		var authors []string
		if err := rows.Scan(&u, &title, &body, &published, &authors, &copies); err != nil {
			t.Fatal(err)
		}
		if copies != 1 {
			t.Errorf("%s stored %d times", u, copies)
		}
		got[u] = stored{title, body, published, authors}
	}
	rows.Close()
	if len(got) != len(allowed) {
		t.Errorf("%d articles stored, want %d", len(got), len(allowed))
	}
	for _, a := range allowed {
		s, ok := got[site.URL+a.Path]
		if !ok {
			t.Errorf("article %s not stored", a.Path)
			continue
		}
		if s.title != a.Title {
			t.Errorf("%s: title %q, want %q", a.Path, s.title, a.Title)
		}
		// Dates printed without a time of day are only right to the day.
		if s.published == nil || s.published.Sub(a.Published).Abs() > 24*time.Hour {
			t.Errorf("%s: published %v, want %v (page says %q)", a.Path, s.published, a.Published, a.DateText)
		}
		var want []string
		for _, au := range a.Authors {
			want = append(want, strings.ToLower(au))
		}
		if strings.Join(s.authors, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s: authors %q, want %q (byline %q)", a.Path, s.authors, want, a.Byline)
		}
		for _, p := range a.Paragraphs {
			if !strings.Contains(s.body, p) {
				t.Errorf("%s: body lacks paragraph %q", a.Path, p)
				break
			}
		}
	}
	var dupURLs int
	db.Pool.QueryRow(ctx, `SELECT count(*) - count(DISTINCT url) FROM urls`).Scan(&dupURLs)
	if dupURLs != 0 {
		t.Errorf("%d duplicate url rows", dupURLs)
	}
	// urls.url and articles.canonical_url are unique by schema, so only
	// the content can show an article stored twice.
	var dupHashes, noHash int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) - count(DISTINCT content_hash), count(*) FILTER (WHERE content_hash IS NULL)
		FROM articles`).Scan(&dupHashes, &noHash); err != nil {
		t.Fatal(err)
	}
	if dupHashes != 0 || noHash != 0 {
		t.Errorf("%d articles stored twice by content hash, %d without a hash", dupHashes, noHash)
	}
}

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, offsite, sitesFile := setup(t, 300, "0s")
	dbURL := testenv.DatabaseURL(t)
	addr := freeAddr(t)
	e := env{
		"NEWSLINE_DATABASE_URL": dbURL, "NEWSLINE_REDIS_URL": testenv.RedisURL(t), "NEWSLINE_SITES": sitesFile,
		"NEWSLINE_HTTP_ADDR": addr, "NEWSLINE_CONCURRENCY": "8", "NEWSLINE_LOG_LEVEL": "warn", "NEWSLINE_SCHEDULER_SYNC": "5s",
		// Episodes are the podcast tests' (packages podcast, jobs, api):
		// reading the crawled articles aloud would take minutes of CPU.
		"NEWSLINE_PODCAST": "false",
	}
	runInProcess(t, e, "all")

	ctx := context.Background()
	var db *store.DB
	for deadline := time.Now().Add(30 * time.Second); ; {
		var err error
		if db, err = store.Open(ctx, dbURL); err == nil {
			if _, err = db.Site(ctx, site.Host); err == nil {
				break
			}
			db.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("newsline all never synced the whitelist: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	defer db.Close()
	allowed := site.Allowed()
	waitForArticles(t, db, int64(len(allowed)), 4*time.Minute)
	checkStoredOnce(t, db, site)

	if n := site.Hits("/private/"); n != 0 {
		t.Errorf("robots.txt-disallowed pages fetched %d times", n)
	}
	if reqs := offsite.Requests(); len(reqs) != 0 {
		t.Errorf("off-whitelist site fetched %d times, first %s", len(reqs), reqs[0].Path)
	}
	st, err := db.Stats(ctx, mustSite(t, db, site.Host))
	if err != nil {
		t.Fatal(err)
	}
	// Disallowed articles are discovered like any other, then refused
	// before any request: they are recorded, not silently dropped.
	if st.FailuresBy["robots"] == 0 || st.URLsByState[store.URLFailed] != st.FailuresBy["robots"] {
		t.Errorf("want every failed URL failed for robots.txt, and some: %v", st.FailuresBy)
	}

	// A word unique to one article's body finds that article first, via
	// the real HTTP API.
	for _, a := range []testsite.Article{allowed[0], allowed[len(allowed)/2], allowed[len(allowed)-1]} {
		var body struct {
			Results []struct {
				URL      string `json:"url"`
				Title    string `json:"title"`
				Headline string `json:"headline"`
			} `json:"results"`
		}
		getJSON(t, "http://"+addr+"/api/v1/search?q="+url.QueryEscape(a.UniqueWord), http.StatusOK, &body)
		if len(body.Results) == 0 || body.Results[0].Title != a.Title {
			t.Errorf("search %q: got %+v, want %q first", a.UniqueWord, body.Results, a.Title)
		} else if !strings.Contains(body.Results[0].Headline, "<mark>"+a.UniqueWord+"</mark>") {
			t.Errorf("search %q: headline %q does not mark the word", a.UniqueWord, body.Results[0].Headline)
		}
	}
	var errBody struct {
		Error struct{ Message string } `json:"error"`
	}
	getJSON(t, "http://"+addr+"/api/v1/search?q=", http.StatusBadRequest, &errBody)
	if errBody.Error.Message == "" {
		t.Errorf("bad query: no error message")
	}
	var ready map[string]any
	getJSON(t, "http://"+addr+"/readyz", http.StatusOK, &ready)
}

func mustSite(t *testing.T, db *store.DB, host string) int64 {
	t.Helper()
	s, err := db.Site(context.Background(), host)
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func getJSON(t *testing.T, u string, wantStatus int, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", u, resp.StatusCode, wantStatus)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// workerEnv returns the environment for newsline processes that crawl the
// whitelist in sitesFile with four jobs at once, and the migrated database
// they share, closed when the test ends.
func workerEnv(t *testing.T, sitesFile string) (env, *store.DB) {
	t.Helper()
	dbURL := testenv.MigratedDatabaseURL(t)
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.MigrateUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	return env{
		"NEWSLINE_DATABASE_URL": dbURL, "NEWSLINE_REDIS_URL": testenv.RedisURL(t), "NEWSLINE_SITES": sitesFile,
		"NEWSLINE_CONCURRENCY": "4", "NEWSLINE_LOG_LEVEL": "warn", "NEWSLINE_LOG_FORMAT": "text",
		"NEWSLINE_PODCAST": "false", // as above
	}, db
}

// TestWorkerKilledMidCrawl kills the worker process with SIGKILL while it
// is fetching, starts a new one, and checks every article still ends up
// stored exactly once: asynq hands the dead worker's tasks to the new one,
// and storing is idempotent.
func TestWorkerKilledMidCrawl(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, _, sitesFile := setup(t, 120, "30ms")
	e, db := workerEnv(t, sitesFile)
	ctx := context.Background()
	runInProcess(t, e, "scheduler")
	worker := startProcess(t, e, "worker")

	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		n, err := db.CountArticles(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if n >= 25 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("worker stored only %d articles in 2 minutes", n)
		}
	}
	if err := worker.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = worker.Wait()
	killedAt, _ := db.CountArticles(ctx, "")
	t.Logf("killed the worker with %d of %d articles stored", killedAt, len(site.Allowed()))
	if killedAt >= int64(len(site.Allowed())) {
		t.Fatalf("the crawl finished before the kill; slow the site down")
	}

	startProcess(t, e, "worker")
	// Tasks the dead worker held come back when their lease expires
	// (asynq: 30 s lease, checked every minute), hence the long wait.
	waitForArticles(t, db, int64(len(site.Allowed())), 4*time.Minute)
	checkStoredOnce(t, db, site)
}

// TestTwoWorkersShareTheRateLimit runs two worker processes against one
// host with a politeness delay: the site's access log must never show two
// requests closer together than the delay. Not parallel: it measures gaps
// between requests, which other tests' CPU would stretch.
func TestTwoWorkersShareTheRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	const delay = 150 * time.Millisecond
	site, _, sitesFile := setup(t, 40, delay.String())
	e, db := workerEnv(t, sitesFile)
	startProcess(t, e, "worker")
	startProcess(t, e, "worker")
	runInProcess(t, e, "scheduler")
	waitForArticles(t, db, int64(len(site.Allowed())), 3*time.Minute)

	var times []time.Time
	for _, r := range site.Requests() {
		if r.Path != "/robots.txt" { // robots.txt is read before the limiter is asked
			times = append(times, r.Time)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	// Arrival times carry scheduling and network jitter, so single gaps may
	// come up a little short; two workers sharing a slot would arrive
	// together, and the run as a whole must take its full length.
	var closest time.Duration = time.Hour
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		closest = min(closest, gap)
		if gap < delay/3 {
			t.Errorf("requests %d and %d arrived %s apart; the site's delay is %s", i-1, i, gap, delay)
		}
	}
	if span, want := times[len(times)-1].Sub(times[0]), time.Duration(len(times)-1)*delay; span < want*95/100 {
		t.Errorf("%d requests took %s; at one per %s they need %s", len(times), span, delay, want)
	}
	t.Logf("%d requests from two workers, closest pair %s apart (delay %s)", len(times), closest, delay)
}
