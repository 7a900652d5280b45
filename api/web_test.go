package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// maxPageBytes is the web app's budget for a page without its images.
const maxPageBytes = 200 << 10

// webArchive serves an archive for the web app: two sites, 45 articles
// (more than a page) sharing keywords, one of them long and one hostile.
func webArchive(t *testing.T) (*httptest.Server, *store.DB, map[string]int64) {
	t.Helper()
	db := testenv.DB(t)
	sites := []newsline.Site{testenv.SeedSite(t, db, "news.example"), testenv.SeedSite(t, db, "other.example")}
	ids := map[string]int64{}
	now := time.Now().UTC().Truncate(time.Second)
	para := strings.Repeat("The harbour reopened after repairs, and ships queued at dawn while the harbour master watched the tide. ", 6)
	for i := range 45 {
		pub := now.Add(-time.Duration(i+1) * time.Hour)
		site := sites[i%2]
		a := newsline.Article{URL: fmt.Sprintf("https://%s/world/harbour-%d", site.Host, i), Title: fmt.Sprintf("Harbour story %d", i),
			Text: para, HTML: "<p>" + para + "</p>", Authors: []string{[]string{"Jane Doe", "John Roe"}[i%2]}, PublishedAt: &pub,
			Section: "World", Keywords: []string{"harbour", fmt.Sprintf("ship%d", i%3), "tide"}, Summary: "The harbour reopened.",
			ImageURL: fmt.Sprintf("https://%s/img/%d.jpg", site.Host, i), Language: "en", SiteName: "The " + site.Host,
			Kind: "article", Completeness: 0.9}
		ids[a.Title] = testenv.SeedArticle(t, db, site, a)
	}
	// A long read: a page's size must not grow with its article past the budget.
	long := strings.Repeat("<p>"+para+"</p>\n", 120)
	pub := now.Add(-30 * time.Minute)
	ids["long"] = testenv.SeedArticle(t, db, sites[0], newsline.Article{URL: "https://news.example/long-read", Title: "A long read on the harbour",
		Text: strings.Repeat(para+"\n\n", 120), HTML: long, Authors: []string{"Jane Doe"}, PublishedAt: &pub, Section: "World",
		Keywords: []string{"harbour", "ship1", "tide"}, Language: "en", Kind: "article", Completeness: 0.9})
	ids["hostile"] = testenv.SeedArticle(t, db, sites[1], newsline.Article{URL: "https://other.example/hostile",
		Title: `<script>alert("title")</script> Harbour`, Text: "The harbour, hostile.",
		HTML:    `<p onclick="alert(1)">The harbour.</p><script>alert("body")</script><a href="javascript:alert(2)">x</a>`,
		Authors: []string{`Eve <b>Evil</b>`}, PublishedAt: &pub, Language: "en", Kind: "article", Completeness: 0.9})
	srv := httptest.NewServer((&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: "https://newsline.example"}).Handler())
	t.Cleanup(srv.Close)
	return srv, db, ids
}

// getPage fetches a page and parses it, failing the test unless it has
// the status, is HTML and is within the size budget.
func getPage(t *testing.T, u string, status int) (string, *html.Node) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d: %.400s", u, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: content type %q", u, ct)
	}
	if len(body) > maxPageBytes {
		t.Errorf("GET %s: %d bytes, over the budget of %d", u, len(body), maxPageBytes)
	}
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return string(body), doc
}

// TestWebPages fetches every page of the web app and checks what each must
// have: its status, its content, the size budget (each page's size is
// logged: go test -run TestWebPages -v), and what a phone, a screen
// reader and a keyboard need.
func TestWebPages(t *testing.T) {
	t.Parallel()
	srv, _, ids := webArchive(t)
	long := fmt.Sprint(ids["long"])
	for _, tt := range []struct {
		name, path string
		status     int
		want       []string
	}{
		{"latest", "/", 200, []string{"Harbour story 0", `rel="next"`, `rel="alternate"`, "/feeds/latest.rss"}},
		{"latest page 2", "", 200, []string{"Harbour story 40"}},
		{"search form", "/search", 200, []string{`<label for="f-site">`}},
		{"search", "/search?q=harbour", 200, []string{"<mark>", "matching articles", "/feeds/search.rss?q=harbour", "Narrow down", `rel="next"`}},
		{"search filtered", "/search?q=harbour&site=news.example&author=jane-doe&language=en&section=world&from=2020-01-01&sort=date", 200,
			[]string{"<mark>", `<option selected>news.example</option>`}},
		{"search bad", "/search?q=harbour&language=english", 400, []string{"language must be"}},
		{"search no match", "/search?q=zebra", 200, []string{"No articles match"}},
		{"home search", "/?q=harbour", 200, []string{"<mark>"}},
		{"article", "/articles/" + long, 200, []string{"A long read on the harbour", "min read", `href="/authors/jane-doe"`,
			"Related articles", "Read the original", `href="/sites/news.example"`}},
		{"article missing", "/articles/999999999", 404, []string{"no article"}},
		{"site", "/sites/news.example", 200, []string{"Crawl status", "Harbour story 0", "/feeds/sites/news.example.rss"}},
		{"site missing", "/sites/nowhere.example", 404, []string{"no site"}},
		{"author", "/authors/jane-doe", 200, []string{"Jane Doe", "Harbour story 0", "/feeds/authors/jane-doe.atom"}},
		{"section", "/sections/world", 200, []string{"World", "/feeds/sections/world.json"}},
		{"bad cursor", "/?cursor=nonsense", 400, []string{"cursor"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" { // the next page of the latest articles
				body, _ := getPage(t, srv.URL+"/", 200)
				path = html.UnescapeString(between(body, `rel="next" href="`, `"`))
			}
			body, doc := getPage(t, srv.URL+path, tt.status)
			t.Logf("%s: %d bytes", path, len(body))
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %q in %.2000s", w, body)
				}
			}
			checkAccessible(t, doc)
		})
	}
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}

// checkAccessible checks what can be checked of a page's accessibility
// from its markup: a language, a viewport, one h1 and no skipped heading
// level, a skip link to main, a label for every control, and nothing
// loaded from another host but article images.
func checkAccessible(t *testing.T, doc *html.Node) {
	t.Helper()
	var h1, viewport, skip, mainID bool
	var lang string
	last := 0
	labels, controls := map[string]bool{}, []string{}
	walk(doc, func(n *html.Node) {
		a := attrs(n)
		switch n.Data {
		case "html":
			lang = a["lang"]
		case "meta":
			viewport = viewport || a["name"] == "viewport"
		case "h1", "h2", "h3", "h4":
			level := int(n.Data[1] - '0')
			if level == 1 {
				if h1 {
					t.Errorf("a second h1")
				}
				h1 = true
			}
			if level > last+1 {
				t.Errorf("heading h%d after h%d", level, last)
			}
			last = level
		case "a":
			skip = skip || a["href"] == "#main"
		case "main":
			mainID = a["id"] == "main"
		case "label":
			labels[a["for"]] = true
		case "input", "select", "textarea":
			if a["type"] != "hidden" && a["aria-label"] == "" {
				controls = append(controls, a["id"])
			}
		case "link", "script":
			if src := a["href"] + a["src"]; strings.Contains(src, "//") && a["rel"] != "alternate" {
				t.Errorf("<%s> loads %s", n.Data, src)
			}
		}
	})
	if lang == "" || !viewport || !h1 || !skip || !mainID {
		t.Errorf("lang %q, viewport %v, h1 %v, skip link %v, main#main %v", lang, viewport, h1, skip, mainID)
	}
	for _, id := range controls {
		if id == "" || !labels[id] {
			t.Errorf("a control without a label: id %q", id)
		}
	}
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attrs(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}

// TestWebLatestPaginates follows the latest page's next links: every
// article once, newest first.
func TestWebLatestPaginates(t *testing.T) {
	t.Parallel()
	srv, _, ids := webArchive(t)
	seen := map[string]bool{}
	for path, pages := "/", 0; path != ""; pages++ {
		if pages > 5 {
			t.Fatal("more pages than articles")
		}
		body, doc := getPage(t, srv.URL+path, 200)
		walk(doc, func(n *html.Node) {
			if n.Data == "a" && strings.HasPrefix(attrs(n)["href"], "/articles/") && n.Parent.Data == "h2" {
				title := n.FirstChild.Data
				if seen[title] {
					t.Errorf("%q on two pages", title)
				}
				seen[title] = true
			}
		})
		path = html.UnescapeString(between(body, `rel="next" href="`, `"`))
	}
	if len(seen) != len(ids) {
		t.Errorf("saw %d articles of %d", len(seen), len(ids))
	}
}

// TestWebArticleSanitized checks that an article's markup, title and
// authors cannot run script on its page.
func TestWebArticleSanitized(t *testing.T) {
	t.Parallel()
	srv, _, ids := webArchive(t)
	body, _ := getPage(t, fmt.Sprintf("%s/articles/%d", srv.URL, ids["hostile"]), 200)
	for _, bad := range []string{"<script>alert", "onclick", "javascript:", "<b>Evil"} {
		if strings.Contains(body, bad) {
			t.Errorf("%q on the page", bad)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert") || !strings.Contains(body, "<p>The harbour.</p>") {
		t.Errorf("the title is not escaped or the body lost: %s", between(body, "<main", "</main>"))
	}
}

// TestWebStyle serves the one stylesheet, small and cacheable, at the URL
// the pages link.
func TestWebStyle(t *testing.T) {
	t.Parallel()
	srv, _, _ := webArchive(t)
	body, _ := getPage(t, srv.URL+"/", 200)
	href := html.UnescapeString(between(body, `<link rel="stylesheet" href="`, `"`))
	resp, err := http.Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	css, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" || len(css) == 0 || len(css) > 6<<10 ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d %q %q, %d bytes", href, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), len(css))
	}
}
