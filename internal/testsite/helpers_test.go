package testsite

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Helpers shared by the package's tests.

var (
	storyRE    = regexp.MustCompile(`<h3 class="story-title"><a href="([^"]+)">`)
	olderRE    = regexp.MustCompile(`<a class="older" rel="next" href="([^"]+)">Older stories</a>`)
	jsonLDRE   = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	ogImageRE  = regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)
	uniqueWord = regexp.MustCompile(`^[a-z]{9,12}$`)
)

func startServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	srv, err := Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

func fetch(t testing.TB, client *http.Client, method, url string, hdr map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

func get(t testing.TB, client *http.Client, url string) response {
	t.Helper()
	return fetch(t, client, http.MethodGet, url, nil)
}

// serve runs the handler in-process (no network) with a fixed Host.
func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, nil)
	req.Host = "news.test"
	h.ServeHTTP(rec, req)
	return rec
}

// visibleText strips tags and collapses whitespace.
func visibleText(page string) string {
	var b strings.Builder
	inTag := false
	for i := 0; i < len(page); i++ {
		switch c := page[i]; {
		case c == '<':
			inTag = true
			b.WriteByte(' ')
		case c == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteByte(c)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// sectionPages follows "Older stories" links from a section's first page and
// returns the article paths listed, in order, plus the number of pages.
func sectionPages(t *testing.T, h http.Handler, section string) (paths []string, pages int) {
	t.Helper()
	next := "/section/" + section
	for next != "" {
		rec := serve(h, http.MethodGet, next)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", next, rec.Code)
		}
		pages++
		body := rec.Body.String()
		for _, m := range storyRE.FindAllStringSubmatch(body, -1) {
			paths = append(paths, html.UnescapeString(m[1]))
		}
		next = ""
		if m := olderRE.FindStringSubmatch(body); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	return paths, pages
}

func articlePaths(as []Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Path
	}
	return out
}

// latest returns the newest Modified of as.
func latest(as []Article) time.Time {
	var t time.Time
	for _, a := range as {
		if a.Modified.After(t) {
			t = a.Modified
		}
	}
	return t
}
