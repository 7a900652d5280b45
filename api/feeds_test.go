package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// feedArchive is two sites' articles: complete ones that feeds list, and a
// stub and an incomplete article that they must not.
type feedArchive struct {
	db           *store.DB
	srv          *httptest.Server
	server       *api.Server
	sites        []newsline.Site
	listed, left []string            // titles in feeds (newest first) and left out
	bySite       map[string][]string // listed titles by site host
}

func newFeedArchive(t *testing.T, listen bool) *feedArchive {
	t.Helper()
	db := testenv.DB(t)
	fa := &feedArchive{db: db, sites: []newsline.Site{testenv.SeedSite(t, db, "news.example"), testenv.SeedSite(t, db, "other.example")},
		bySite: map[string][]string{}}
	day := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i := range 6 {
		pub := day.Add(time.Duration(i) * time.Hour)
		a := newsline.Article{URL: fmt.Sprintf("https://news.example/world/story-%d", i), Title: fmt.Sprintf("Harbour story %d", i),
			Text: "The harbour reopened after repairs. Ships queued at dawn.", HTML: "<p>The harbour reopened after repairs.</p><p>Ships queued at dawn.</p>",
			Authors: []string{"Jane Doe", "Jürgen Müller"}, PublishedAt: &pub, Section: "World", Keywords: []string{"harbour", "ships"},
			Summary: "The harbour reopened.", ImageURL: fmt.Sprintf("https://news.example/img/%d.png", i), Language: "en",
			Kind: "article", Completeness: 0.9}
		site := fa.sites[i%2]
		a.URL = strings.Replace(a.URL, "news.example", site.Host, 1)
		testenv.SeedArticle(t, db, site, a)
		fa.listed = append([]string{a.Title}, fa.listed...)
		fa.bySite[site.Host] = append([]string{a.Title}, fa.bySite[site.Host]...)
	}
	stub := newsline.Article{URL: "https://news.example/world/stub", Title: "A stub", Text: "Short.", Kind: "stub", Completeness: 0.9,
		Section: "World", Authors: []string{"Jane Doe"}, PublishedAt: &day}
	thin := newsline.Article{URL: "https://news.example/world/thin", Title: "A thin article", Text: "Thin text.", Kind: "article",
		Completeness: 0.3, Section: "World", Authors: []string{"Jane Doe"}, PublishedAt: &day}
	testenv.SeedArticle(t, db, fa.sites[0], stub)
	testenv.SeedArticle(t, db, fa.sites[0], thin)
	fa.left = []string{stub.Title, thin.Title}

	fa.server = &api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://newsline.example"}
	fa.srv = httptest.NewServer(fa.server.Handler())
	t.Cleanup(fa.srv.Close)
	if listen {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- fa.server.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			<-done
		})
		fa.waitLive(t)
	}
	return fa
}

// waitLive waits until the server keeps the feeds it builds, which it
// does once its listener for the database's notifications is connected.
func (fa *feedArchive) waitLive(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		fa.fetch(t, "/feeds/latest.rss", nil)
		if n, _ := fa.server.FeedCacheStats(); n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the feed cache never went live")
}

type feedResponse struct {
	status int
	header http.Header
	body   []byte
}

func (fa *feedArchive) fetch(t *testing.T, path string, header http.Header) feedResponse {
	t.Helper()
	x := send(t, http.MethodGet, fa.srv.URL+path, header)
	return feedResponse{x.status, x.header, x.body}
}

func (fa *feedArchive) parse(t *testing.T, path string) *gofeed.Feed {
	t.Helper()
	r := fa.fetch(t, path, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("GET %s: parse: %v\n%s", path, err, r.body)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestFeedViewsAndFormats(t *testing.T) {
	t.Parallel()
	fa := newFeedArchive(t, false)
	views := []struct {
		path  string
		want  []string
		title string
	}{
		{"/feeds/latest", fa.listed, "Newsline"},
		{"/feeds/sites/news.example", fa.bySite["news.example"], "news.example"},
		{"/feeds/sites/other.example", fa.bySite["other.example"], "other.example"},
		{"/feeds/authors/jane-doe", fa.listed, "Jane Doe – Newsline"},
		{"/feeds/authors/jurgen-muller", fa.listed, "Jürgen Müller – Newsline"},
		{"/feeds/sections/world", fa.listed, "World – Newsline"},
		{"/feeds/search", fa.listed, "“harbour” – Newsline"},
	}
	contentTypes := map[string]string{"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
	for _, v := range views {
		var first *gofeed.Feed
		for _, ext := range []string{"rss", "atom", "json"} {
			path := v.path + "." + ext
			if strings.HasPrefix(v.path, "/feeds/search") {
				path += "?q=harbour"
			}
			t.Run(path, func(t *testing.T) {
				r := fa.fetch(t, path, nil)
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, contentTypes[ext]) {
					t.Errorf("content type %q, want %s", ct, contentTypes[ext])
				}
				f := fa.parse(t, path)
				if got := titles(f); !slices.Equal(got, v.want) {
					t.Errorf("items %q, want %q", got, v.want)
				}
				if f.Title != v.title {
					t.Errorf("title %q, want %q", f.Title, v.title)
				}
				if f.Language != "en" {
					t.Errorf("language %q, want en", f.Language)
				}
				if !strings.HasPrefix(f.FeedLink, "https://newsline.example/feeds/") {
					t.Errorf("self link %q, want an absolute URL under the public URL", f.FeedLink)
				}
				if f.UpdatedParsed == nil && f.PublishedParsed == nil && ext != "json" {
					t.Error("no updated time")
				}
				for _, it := range f.Items {
					authors := len(it.Authors)
					if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
						authors = len(it.DublinCoreExt.Creator) // gofeed keeps one RSS author
					}
					if !strings.HasPrefix(it.Link, "https://") || it.GUID == "" || it.PublishedParsed == nil ||
						authors != 2 || !strings.Contains(it.Content, "<p>The harbour reopened") ||
						it.Description == "" || len(it.Categories) == 0 || it.Categories[0] != "World" {
						t.Errorf("item incomplete: link %q guid %q published %v authors %v content %q description %q categories %v",
							it.Link, it.GUID, it.PublishedParsed, it.Authors, it.Content, it.Description, it.Categories)
					}
					if it.Image == nil && len(it.Enclosures) == 0 {
						t.Errorf("item %q: no image", it.Title)
					}
				}
				if first == nil {
					first = f
					return
				}
				for i := range first.Items {
					if first.Items[i].GUID != f.Items[i].GUID || first.Items[i].Link != f.Items[i].Link {
						t.Errorf("item %d differs between formats: %q/%q vs %q/%q", i, first.Items[i].GUID, first.Items[i].Link, f.Items[i].GUID, f.Items[i].Link)
					}
				}
			})
		}
	}
}

func TestFeedParameters(t *testing.T) {
	t.Parallel()
	fa := newFeedArchive(t, false)
	f := fa.parse(t, "/feeds/latest.atom?limit=2&content=summary")
	if len(f.Items) != 2 {
		t.Fatalf("limit=2: %d items", len(f.Items))
	}
	for _, it := range f.Items {
		if strings.Contains(it.Content, "<p>") {
			t.Errorf("content=summary still carries the body: %q", it.Content)
		}
	}
	for _, tc := range []struct {
		path   string
		status int
		msg    string
	}{
		{"/feeds/latest.xml", 404, "ends in .rss, .atom or .json"},
		{"/feeds/newest.rss", 404, "try latest.rss"},
		{"/feeds/sites/nope.example.rss", 404, `no site \"nope.example\"`},
		{"/feeds/authors/nobody.rss", 404, `no author \"nobody\"`},
		{"/feeds/sections/gardening.json", 404, `no section \"gardening\"`},
		{"/feeds/latest.rss?limit=0", 400, "limit must be between 1 and 200"},
		{"/feeds/latest.rss?limit=201", 400, "limit must be between 1 and 200"},
		{"/feeds/latest.rss?content=all", 400, "content must be full"},
		{"/feeds/latest.rss?q=harbour", 400, `unknown query parameter \"q\"`},
		{"/feeds/search.rss", 400, "query is empty"},
		{"/feeds/search.rss?q=harbour&from=yesterday", 400, "from must be a date"},
	} {
		r := fa.fetch(t, tc.path, nil)
		if r.status != tc.status || !strings.Contains(string(r.body), tc.msg) {
			t.Errorf("GET %s: %d %s, want %d with %q", tc.path, r.status, r.body, tc.status, tc.msg)
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: error content type %q, want JSON", tc.path, r.header.Get("Content-Type"))
		}
	}
}

func TestFeedConditionalAndGzip(t *testing.T) {
	t.Parallel()
	fa := newFeedArchive(t, false)
	const path = "/feeds/latest.rss"
	r := fa.fetch(t, path, nil)
	etag, lastMod := r.header.Get("ETag"), r.header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lastMod == "" || r.header.Get("Cache-Control") == "" {
		t.Fatalf("validators: ETag %q Last-Modified %q Cache-Control %q", etag, lastMod, r.header.Get("Cache-Control"))
	}
	if again := fa.fetch(t, path, nil); again.header.Get("ETag") != etag || !bytes.Equal(again.body, r.body) {
		t.Fatal("the same feed built twice differs: its ETag would change on every build")
	}
	for _, h := range []http.Header{
		{"If-None-Match": {etag}},
		{"If-None-Match": {`"other", ` + etag}},
		{"If-None-Match": {"W/" + etag}},
		{"If-Modified-Since": {lastMod}},
	} {
		if c := fa.fetch(t, path, h); c.status != http.StatusNotModified || len(c.body) != 0 || c.header.Get("ETag") != etag {
			t.Errorf("%v: %d (ETag %q), want 304", h, c.status, c.header.Get("ETag"))
		}
	}
	for _, h := range []http.Header{
		{"If-None-Match": {`"stale"`}},
		{"If-None-Match": {`"stale"`}, "If-Modified-Since": {lastMod}}, // If-None-Match wins
		{"If-Modified-Since": {"Mon, 02 Jan 2006 15:04:05 GMT"}},
	} {
		if c := fa.fetch(t, path, h); c.status != http.StatusOK {
			t.Errorf("%v: %d, want 200", h, c.status)
		}
	}
	z := fa.fetch(t, path, http.Header{"Accept-Encoding": {"gzip, deflate"}})
	if z.header.Get("Content-Encoding") != "gzip" || z.header.Get("ETag") == etag || !strings.Contains(z.header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: encoding %q ETag %q Vary %q", z.header.Get("Content-Encoding"), z.header.Get("ETag"), z.header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(z.body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, r.body) {
		t.Fatalf("gzipped body differs from the plain one: %v", err)
	}
	if c := fa.fetch(t, path, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {z.header.Get("ETag")}}); c.status != http.StatusNotModified {
		t.Errorf("If-None-Match with the gzip ETag: %d, want 304", c.status)
	}
	if c := fa.fetch(t, path, http.Header{"Accept-Encoding": {"gzip;q=0, identity"}}); c.header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still gzipped")
	}
}

// A cached feed is served until an article it could list is stored; a
// feed of another site stays cached.
func TestFeedCacheInvalidation(t *testing.T) {
	t.Parallel()
	fa := newFeedArchive(t, true)
	const news, other = "/feeds/sites/news.example.rss", "/feeds/sites/other.example.rss"
	before := fa.fetch(t, news, nil)
	otherBefore := fa.fetch(t, other, nil)
	hits := fa.server.FeedCacheHits()
	fa.fetch(t, news, nil)
	fa.fetch(t, other, nil)
	if got := fa.server.FeedCacheHits() - hits; got != 2 {
		t.Fatalf("%d of 2 repeated requests answered from the cache", got)
	}
	pub := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	testenv.SeedArticle(t, fa.db, fa.sites[0], newsline.Article{URL: "https://news.example/world/breaking", Title: "Breaking harbour news",
		Text: "The harbour closed again.", HTML: "<p>The harbour closed again.</p>", PublishedAt: &pub, Kind: "article", Completeness: 1})
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(fa.fetch(t, news, nil).body))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Items) > 0 && f.Items[0].Title == "Breaking harbour news" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new article never reached the cached feed: %q (before: %d bytes)", titles(f), len(before.body))
		}
		time.Sleep(20 * time.Millisecond)
	}
	hits = fa.server.FeedCacheHits()
	if again := fa.fetch(t, other, nil); !bytes.Equal(again.body, otherBefore.body) || fa.server.FeedCacheHits() != hits+1 {
		t.Error("another site's feed was dropped from the cache by this site's article")
	}
}

// Equal searches are answered from memory, with validators, until an
// article changes.
func TestSearchCache(t *testing.T) {
	t.Parallel()
	fa := newFeedArchive(t, true)
	const path = "/api/v1/search?q=harbour&sort=date"
	first := fa.fetch(t, path, nil)
	if first.status != http.StatusOK || first.header.Get("ETag") == "" {
		t.Fatalf("search: %d, ETag %q", first.status, first.header.Get("ETag"))
	}
	hits := fa.server.SearchCacheHits()
	// The same search spelt with its defaults is the same search.
	if again := fa.fetch(t, "/api/v1/search?sort=date&limit=20&q=harbour", nil); !bytes.Equal(again.body, first.body) {
		t.Fatal("an equal search answered differently")
	}
	if fa.server.SearchCacheHits() != hits+1 {
		t.Fatal("an equal search was not answered from the cache")
	}
	if c := fa.fetch(t, path, http.Header{"If-None-Match": {first.header.Get("ETag")}}); c.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", c.status)
	}
	pub := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	testenv.SeedArticle(t, fa.db, fa.sites[1], newsline.Article{URL: "https://other.example/world/late", Title: "Late harbour news",
		Text: "The harbour reopened once more.", PublishedAt: &pub, Kind: "article", Completeness: 1})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(string(fa.fetch(t, path, nil).body), "Late harbour news") {
		if time.Now().After(deadline) {
			t.Fatal("a stored article never reached the cached search")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
