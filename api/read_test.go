package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// story is an article of the archive newArchive builds.
type story struct {
	host, title, section string
	authors              []string
	kind                 string
	day                  int
}

// newArchive serves an archive of two sites, whose authors have one slug
// in two spellings ("Jane Doe", "Jane-Doe"), with sections, a crawl run,
// and every field a listing shows.
func newArchive(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db := testenv.DB(t)
	sites := map[string]newsline.Site{}
	for _, host := range []string{"news.example", "other.example", "quiet.example"} {
		sites[host] = testenv.SeedSite(t, db, host)
	}
	stories := []story{
		{"news.example", "Harbour reopens", "World", []string{"Jane Doe"}, "", 1},
		{"news.example", "Harbour strike ends", "World", []string{"Jane Doe", "John Roe"}, "", 2},
		{"other.example", "Harbour fishing quotas", "world", []string{"Jane-Doe"}, "", 3},
		{"other.example", "Cup final at the harbour", "Sport", []string{"John Roe"}, "", 4},
		{"news.example", "Harbour index page", "World", []string{"Jane Doe"}, "index", 5},
		{"news.example", "Harbour weather", "", nil, "", 6},
	}
	for i, st := range stories {
		u := fmt.Sprintf("https://%s/story-%d", st.host, i)
		site := sites[st.host]
		pub := time.Date(2026, 11, st.day, 12, 0, 0, 0, time.UTC)
		completeness := 0.9
		if st.kind != "" {
			completeness = 0.2
		}
		testenv.SeedArticle(t, db, site, newsline.Article{URL: u, Title: st.title,
			Text: st.title + ": the harbour story in full.", Authors: st.authors, PublishedAt: &pub, FetchedAt: pub,
			Section: st.section, Summary: st.title + ".", Keywords: []string{"harbour", "story"}, ImageURL: u + ".jpg",
			SiteName: "The " + st.host, Language: "en", Kind: st.kind, Completeness: completeness,
			Sources: map[string]string{"title": "og"}})
	}
	started := time.Date(2026, 11, 7, 10, 0, 0, 0, time.UTC)
	if err := db.RecordCrawlRun(ctx, store.CrawlRun{SiteID: sites["news.example"].ID, StartedAt: started, FinishedAt: started.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordCrawlRun(ctx, store.CrawlRun{SiteID: sites["other.example"].ID, StartedAt: started, FinishedAt: started.Add(time.Minute), Error: "feed: 503"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: "https://news.example.org"}).Handler())
	t.Cleanup(srv.Close)
	return srv, db
}

// getJSON GETs path, checks the status and decodes the body into v.
func getJSON(t *testing.T, srv *httptest.Server, path string, want int, v any) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func TestAuthors(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	type item struct {
		Slug     string `json:"slug"`
		Name     string `json:"name"`
		Articles int64  `json:"articles"`
	}
	var list struct {
		Authors    []item `json:"authors"`
		NextCursor string `json:"next_cursor"`
	}
	getJSON(t, srv, "/api/v1/authors", 200, &list)
	// By slug, then name; the index page is not an article.
	want := []item{{"jane-doe", "Jane Doe", 2}, {"jane-doe", "Jane-Doe", 1}, {"john-roe", "John Roe", 2}}
	if !reflect.DeepEqual(list.Authors, want) || list.NextCursor != "" {
		t.Fatalf("authors %+v, next %q; want %+v", list.Authors, list.NextCursor, want)
	}

	// Paging one at a time sees the same authors in the same order.
	var paged []item
	next := "/api/v1/authors?limit=1"
	for next != "" {
		var page struct {
			Authors    []item `json:"authors"`
			NextCursor string `json:"next_cursor"`
		}
		getJSON(t, srv, next, 200, &page)
		paged = append(paged, page.Authors...)
		next = ""
		if page.NextCursor != "" {
			next = "/api/v1/authors?limit=1&cursor=" + url.QueryEscape(page.NextCursor)
		}
	}
	if !reflect.DeepEqual(paged, want) {
		t.Fatalf("paged %+v", paged)
	}

	for _, tt := range []struct {
		q    string
		want int
	}{{"jane", 2}, {"Jane D", 2}, {"JANÉ-DOE", 2}, {"jo", 1}, {"x", 0}} {
		var got struct {
			Authors []item `json:"authors"`
		}
		getJSON(t, srv, "/api/v1/authors?q="+url.QueryEscape(tt.q), 200, &got)
		if len(got.Authors) != tt.want {
			t.Errorf("q=%s: %+v, want %d authors", tt.q, got.Authors, tt.want)
		}
	}
	var e errorBody
	getJSON(t, srv, "/api/v1/authors?q=%21%21", 400, &e)
	getJSON(t, srv, "/api/v1/authors?limit=101", 400, &e)
	getJSON(t, srv, "/api/v1/authors?cursor=nope", 400, &e)
}

func TestAuthor(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	type count struct {
		Name     string `json:"name"`
		Host     string `json:"host"`
		Articles int64  `json:"articles"`
	}
	var a struct {
		Slug     string     `json:"slug"`
		Name     string     `json:"name"`
		Names    []count    `json:"names"`
		Articles int64      `json:"articles"`
		Sites    []count    `json:"sites"`
		First    *time.Time `json:"first_published_at"`
		Last     *time.Time `json:"last_published_at"`
		Feeds    map[string]string
	}
	for _, path := range []string{"/api/v1/authors/jane-doe", "/api/v1/authors/Jane%20Doe", "/api/v1/authors/JANE-DOE"} {
		getJSON(t, srv, path, 200, &a)
		if a.Slug != "jane-doe" || a.Name != "Jane Doe" || a.Articles != 3 {
			t.Fatalf("%s: %+v", path, a)
		}
	}
	if fmt.Sprint(a.Names) != "[{Jane Doe  2} {Jane-Doe  1}]" || fmt.Sprint(a.Sites) != "[{ news.example 2} { other.example 1}]" {
		t.Errorf("names %v, sites %v", a.Names, a.Sites)
	}
	if a.First == nil || a.First.Day() != 1 || a.Last == nil || a.Last.Day() != 3 {
		t.Errorf("first %v, last %v", a.First, a.Last)
	}
	wantFeeds := map[string]string{"rss": "https://news.example.org/feeds/authors/jane-doe.rss",
		"atom": "https://news.example.org/feeds/authors/jane-doe.atom", "json": "https://news.example.org/feeds/authors/jane-doe.json"}
	if !reflect.DeepEqual(a.Feeds, wantFeeds) {
		t.Errorf("feeds %v", a.Feeds)
	}

	var e errorBody
	getJSON(t, srv, "/api/v1/authors/jane-do", 404, &e)
	if e.Error.Code != "not_found" || e.Error.Message != `no author "jane-do"; did you mean jane-doe?` {
		t.Errorf("unknown author: %+v", e)
	}
	// The feeds suggest the same way.
	getJSON(t, srv, "/feeds/authors/jane-do.rss", 404, &e)
	if e.Error.Message != `no author "jane-do"; did you mean jane-doe?` {
		t.Errorf("unknown author's feed: %+v", e)
	}
	getJSON(t, srv, "/feeds/sections/wrld.atom", 404, &e)
	if e.Error.Message != `no section "wrld"; did you mean world?` {
		t.Errorf("unknown section's feed: %+v", e)
	}
	getJSON(t, srv, "/api/v1/authors/zzzzzzzz", 404, &e)
	if strings.Contains(e.Error.Message, "did you mean") {
		t.Errorf("a suggestion for nothing alike: %q", e.Error.Message)
	}
}

func TestArticleFilters(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	tests := []struct {
		query string
		want  []string // titles, newest first
	}{
		{"author=jane-doe", []string{"Harbour fishing quotas", "Harbour strike ends", "Harbour reopens"}},
		{"author=Jane+Doe", []string{"Harbour fishing quotas", "Harbour strike ends", "Harbour reopens"}},
		{"author=jane-doe&site=news.example", []string{"Harbour strike ends", "Harbour reopens"}},
		{"author=jane-doe&kind=all", []string{"Harbour index page", "Harbour fishing quotas", "Harbour strike ends", "Harbour reopens"}},
		{"section=world", []string{"Harbour fishing quotas", "Harbour strike ends", "Harbour reopens"}},
		{"section=World&site=other.example", []string{"Harbour fishing quotas"}},
		{"section=sport&author=john-roe", []string{"Cup final at the harbour"}},
	}
	for _, tt := range tests {
		var l struct {
			Articles []struct {
				Title string `json:"title"`
			} `json:"articles"`
		}
		getJSON(t, srv, "/api/v1/articles?"+tt.query, 200, &l)
		var got []string
		for _, a := range l.Articles {
			got = append(got, a.Title)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.query, got, tt.want)
		}
	}
	for _, tt := range []struct{ query, want string }{
		{"author=jane-do", `unknown author "jane-do"; did you mean jane-doe?`},
		{"section=wrld", `unknown section "wrld"; did you mean world?`},
		{"site=news.exmaple", `unknown site "news.exmaple"; did you mean news.example?`},
		{"section=world&kind=all", "section lists articles only: leave out kind=all"},
	} {
		var e errorBody
		getJSON(t, srv, "/api/v1/articles?"+tt.query, 400, &e)
		if e.Error.Message != tt.want {
			t.Errorf("%s: %q, want %q", tt.query, e.Error.Message, tt.want)
		}
	}
}

// TestOneArticleShape: a search hit is a listing item plus headline and
// rank, field for field.
func TestOneArticleShape(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	var list struct {
		Articles []map[string]any `json:"articles"`
	}
	getJSON(t, srv, "/api/v1/articles?limit=100", 200, &list)
	var res struct {
		Results []map[string]any `json:"results"`
	}
	getJSON(t, srv, "/api/v1/search?q=harbour&limit=100", 200, &res)
	if len(res.Results) != len(list.Articles) || len(res.Results) != 5 {
		t.Fatalf("%d hits, %d listed", len(res.Results), len(list.Articles))
	}
	byID := map[any]map[string]any{}
	for _, a := range list.Articles {
		byID[a["id"]] = a
	}
	for _, h := range res.Results {
		if h["headline"] == "" || h["rank"] == nil {
			t.Errorf("hit without headline or rank: %v", h)
		}
		delete(h, "headline")
		delete(h, "rank")
		if item := byID[h["id"]]; !reflect.DeepEqual(h, item) {
			t.Errorf("hit %v\nlisted %v", h, item)
		}
	}
	for _, field := range []string{"summary", "keywords", "field_sources", "image_url", "section", "kind", "completeness", "site_name", "language"} {
		found := false
		for _, h := range res.Results {
			_, ok := h[field]
			found = found || ok
		}
		if !found {
			t.Errorf("no hit has %s", field)
		}
	}
}

func TestSearchTotal(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, 51)
	var res map[string]any
	getJSON(t, srv, "/api/v1/search?q=harbour&limit=5", 200, &res)
	if res["total"] != 51.0 || res["total_is_estimate"] != false || res["total_estimate"] != nil || res["estimated_matches"] != nil {
		t.Fatalf("total %v, estimate %v %v", res["total"], res["total_is_estimate"], res["total_estimate"])
	}
	getJSON(t, srv, "/api/v1/search?q=harbour&sort=date&limit=5", 200, &res)
	if res["total"] != 51.0 || res["total_is_estimate"] != false {
		t.Fatalf("date order: total %v, estimate %v", res["total"], res["total_is_estimate"])
	}
}

func TestSites(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	type crawl struct {
		StartedAt time.Time `json:"started_at"`
		Outcome   string    `json:"outcome"`
		Error     string    `json:"error"`
	}
	type site struct {
		Host          string     `json:"host"`
		Articles      int64      `json:"articles"`
		LastArticleAt *time.Time `json:"last_article_at"`
		LastCrawl     *crawl     `json:"last_crawl"`
		Stats         *struct {
			Articles int64 `json:"articles"`
		} `json:"stats"`
	}
	var list struct {
		Sites []site `json:"sites"`
	}
	getJSON(t, srv, "/api/v1/sites", 200, &list)
	if len(list.Sites) != 3 {
		t.Fatalf("sites %+v", list.Sites)
	}
	news, other, quiet := list.Sites[0], list.Sites[1], list.Sites[2]
	if news.Host != "news.example" || news.Articles != 4 || news.LastArticleAt == nil || news.LastArticleAt.Day() != 6 ||
		news.LastCrawl == nil || news.LastCrawl.Outcome != "ok" || news.Stats != nil {
		t.Errorf("news.example: %+v", news)
	}
	if other.LastCrawl == nil || other.LastCrawl.Outcome != "failed" || other.LastCrawl.Error != "feed: 503" || other.Articles != 2 {
		t.Errorf("other.example: %+v", other)
	}
	if quiet.Articles != 0 || quiet.LastArticleAt != nil || quiet.LastCrawl != nil {
		t.Errorf("quiet.example: %+v", quiet)
	}
	var one site
	getJSON(t, srv, "/api/v1/sites/news.example", 200, &one)
	if one.Articles != 4 || one.LastCrawl == nil || one.Stats == nil || one.Stats.Articles != 4 {
		t.Errorf("one site: %+v", one)
	}
	var e errorBody
	getJSON(t, srv, "/api/v1/sites/news.exampel", 404, &e)
	if e.Error.Message != `no site "news.exampel" on the whitelist; did you mean news.example?` {
		t.Errorf("unknown site: %q", e.Error.Message)
	}
}

func TestUnknownParametersAndBadText(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	for _, path := range []string{"/api/v1/articles", "/api/v1/articles/1", "/api/v1/search?q=harbour", "/api/v1/trending",
		"/api/v1/sites", "/api/v1/sites/news.example", "/api/v1/authors", "/api/v1/authors/jane-doe", "/healthz"} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		var e errorBody
		getJSON(t, srv, path+sep+"sitez=news.example", 400, &e)
		if !strings.Contains(e.Error.Message, `"sitez"`) {
			t.Errorf("%s: %q does not name the parameter", path, e.Error.Message)
		}
	}
	for _, path := range []string{
		"/api/v1/search?q=harbour%ff", "/api/v1/search?q=harbour%00", "/api/v1/articles?site=%ff", "/api/v1/articles?author=a%00",
		"/api/v1/authors?q=%c3", "/api/v1/sites/%ff", "/api/v1/authors/jane%00doe", "/api/v1/articles?%ff=1",
		"/api/v1/search?q=harbour&recency=NaN", "/api/v1/search?q=harbour&recency=Inf", "/api/v1/search?q=harbour&recency=-inf",
		"/api/v1/search?q=harbour&recency=1e999", "/api/v1/search?q=harbour&facets=yes", "/?q=%ff",
	} {
		var e errorBody
		getJSON(t, srv, path, 400, &e)
		if e.Error.Code != "invalid" || e.Error.Message == "" {
			t.Errorf("%s: %+v", path, e)
		}
	}
}

func TestHTTPSemantics(t *testing.T) {
	t.Parallel()
	srv, _ := newArchive(t)
	tests := []struct {
		method, path, accept string
		status               int
		contentType, allow   string
		code                 string // of a JSON error
	}{
		{"POST", "/api/v1/articles", "", 405, "application/json", "GET, HEAD", "method_not_allowed"},
		{"DELETE", "/api/v1/authors/jane-doe", "", 405, "application/json", "GET, HEAD", "method_not_allowed"},
		{"PUT", "/healthz", "text/html", 405, "application/json", "GET, HEAD", "method_not_allowed"},
		{"GET", "/api", "", 404, "application/json", "", "not_found"},
		{"GET", "/api/", "text/html", 404, "application/json", "", "not_found"},
		{"GET", "/api/v1", "", 404, "application/json", "", "not_found"},
		{"GET", "/api/v1/nothing", "", 404, "application/json", "", "not_found"},
		{"GET", "/api/v1/articles/1/more", "", 404, "application/json", "", "not_found"},
		{"GET", "/feeds/nothing.rss", "text/html,application/xhtml+xml", 404, "application/json", "", "not_found"},
		{"GET", "/nothing", "", 404, "application/json", "", "not_found"},
		{"GET", "/nothing", "text/html,application/xhtml+xml,*/*;q=0.8", 404, "text/html", "", ""},
		{"HEAD", "/api/v1/articles", "", 200, "application/json", "", ""},
		{"HEAD", "/api/v1/authors/jane-doe", "", 200, "application/json", "", ""},
		{"HEAD", "/api/v1/nothing", "", 404, "application/json", "", ""},
		{"HEAD", "/", "", 200, "text/html", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, err := http.DefaultTransport.RoundTrip(req) // no redirects followed
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) ||
				resp.Header.Get("Allow") != tt.allow {
				t.Fatalf("%d %q Allow %q, want %d %q Allow %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"),
					resp.Header.Get("Allow"), tt.status, tt.contentType, tt.allow, body)
			}
			if tt.method == "HEAD" {
				if len(body) != 0 {
					t.Fatalf("HEAD with a body: %s", body)
				}
				return
			}
			if tt.code != "" {
				var e errorBody
				if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != tt.code || e.Error.Message == "" {
					t.Fatalf("error body %s (%v), want code %s", body, err, tt.code)
				}
			}
		})
	}
}

func TestTrendingTermsAreWords(t *testing.T) {
	t.Parallel()
	srv, db := newArchive(t)
	ctx := context.Background()
	// Five articles about a village today.
	site, err := db.Site(ctx, "quiet.example")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		u := fmt.Sprintf("https://quiet.example/village-%d", i)
		at := time.Now().Add(-time.Duration(i+1) * time.Hour)
		testenv.SeedArticle(t, db, site, newsline.Article{URL: u, Title: "Villages flooded", Text: "The villages flooded overnight.",
			PublishedAt: &at, FetchedAt: at, Language: "en", Terms: []string{"villages", "flooded", "overnight"}})
	}
	if _, err := db.FoldTermStats(ctx); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Window string `json:"window"`
		Terms  []struct {
			Term     string `json:"term"`
			Stem     string `json:"stem"`
			Articles int64  `json:"articles"`
		} `json:"terms"`
	}
	getJSON(t, srv, "/api/v1/trending?window=7d", 200, &out)
	words := map[string]string{}
	for _, term := range out.Terms {
		words[term.Stem] = term.Term
	}
	if out.Window != "7d" || words["villag"] != "villages" || words["flood"] != "flooded" {
		t.Fatalf("trending %+v", out)
	}
}
