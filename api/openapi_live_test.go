package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/internal/faultproxy"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// liveArchive is a running server over an archive in which every field of
// every answer has a value: two sites (one crawl that failed, one that
// did not, a failed URL), articles published in the last hours (so that
// trending has terms) with authors in two spellings, sections, keywords,
// images, field sources and modification times, and pages that are not
// articles.
type liveArchive struct {
	db      *store.DB
	srv     *httptest.Server
	article int64  // an article's id
	first   int64  // another's
	episode string // an episode's MP3, relative to the audio directory
	// Users: an admin's and a reader's session tokens, and the reader's
	// feed secret (she follows news.example and bookmarked article).
	admin, reader, secret string
	// The server reaches the database through proxy, over its own pool.
	proxy  *faultproxy.Proxy
	served *store.DB
}

func newLiveArchive(t *testing.T) *liveArchive {
	t.Helper()
	ctx := context.Background()
	dbURL := testenv.MigratedDatabaseURL(t)
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	sites := []newsline.Site{testenv.SeedSite(t, db, "news.example"), testenv.SeedSite(t, db, "other.example")}
	now := time.Now().UTC().Truncate(time.Second)
	la := &liveArchive{db: db}
	audioDir := t.TempDir()
	for i := range 8 {
		pub, mod := now.Add(-time.Duration(i+1)*time.Hour), now.Add(-time.Duration(i)*time.Hour)
		site := sites[i%2]
		name := []string{"Jane Doe", "Jane-Doe", "Jürgen Müller"}[i%3]
		a := newsline.Article{URL: fmt.Sprintf("https://%s/world/harbour-%d", site.Host, i), Title: fmt.Sprintf("Harbour story %d", i),
			Text: "The harbour reopened after repairs. Ships queued at dawn while the harbour master watched.",
			HTML: "<p>The harbour reopened after repairs.</p><p>Ships queued at dawn.</p>", Authors: []string{name},
			PublishedAt: &pub, ModifiedAt: &mod, Section: "World", Keywords: []string{"harbour", "ships"},
			Summary: "The harbour reopened.", ImageURL: fmt.Sprintf("https://%s/img/%d.jpg", site.Host, i), Language: "en",
			SiteName: "The " + site.Host, Kind: "article", Completeness: 0.9, Sources: map[string]string{"title": "og", "published_at": "json-ld"}}
		la.article = testenv.SeedArticle(t, db, site, a)
		if i == 0 {
			la.first = la.article
		}
	}
	la.episode = seedEpisode(t, db, la.article, audioDir)
	testenv.SeedArticle(t, db, sites[0], newsline.Article{URL: "https://news.example/world/", Title: "World news",
		Text: "Harbour story 1. Harbour story 2.", Kind: "index", KindReason: "a list of links", Completeness: 0.2, Language: "en"})
	for _, run := range []store.CrawlRun{
		{SiteID: sites[0].ID, StartedAt: now.Add(-time.Hour), FinishedAt: now.Add(-time.Hour + time.Minute), Failures: map[string]int{"robots": 1}},
		{SiteID: sites[1].ID, StartedAt: now.Add(-time.Hour), FinishedAt: now.Add(-time.Hour + time.Minute), Error: "feed: 503"},
	} {
		if err := db.RecordCrawlRun(ctx, run); err != nil {
			t.Fatal(err)
		}
	}
	gone := testenv.SeedURL(t, db, sites[0], "https://news.example/gone")
	if err := db.RecordFailure(ctx, gone, store.Failure{Reason: "status_404", HTTPStatus: 404, Final: true}); err != nil {
		t.Fatal(err)
	}
	rdb := testenv.Redis(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if la.proxy, err = faultproxy.Start(u.Host); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { la.proxy.Close() })
	proxied, err := la.proxy.URL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if la.served, err = store.Open(ctx, proxied); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(la.served.Close)
	la.seedUsers(t)
	la.srv = httptest.NewServer((&api.Server{DB: la.served, Redis: rdb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: "https://newsline.example", Signup: true, RateLimits: api.RateLimits{
			LoginsPerAccount: redis_rate.Limit{Rate: 10, Burst: 10, Period: time.Hour}}, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"),
			netip.MustParsePrefix("::1/128")}, Crawls: jobs.CrawlQueue{Client: asynq.NewClientFromRedisClient(rdb)},
		Podcast: config.Podcast{AudioDir: audioDir, Title: "Newsline", Author: "Newsline",
			Description: "The day's news, read aloud.", OwnerEmail: "podcast@newsline.example", Category: "News/Daily News"}}).Handler())
	t.Cleanup(la.srv.Close)
	return la
}

// liveCase is a request and the status it must get. invalid says the
// document must refuse the request as well; want is a piece of the body
// that shows the answer exercised its schema (a list is not empty).
type liveCase struct {
	target  string
	header  http.Header
	status  int
	invalid bool
	want    string
}

// TestOpenAPI calls every documented operation of a running server, with
// the answers that succeed and the errors, and validates each request and
// answer against the document the server serves; then it checks that
// every documented status of every operation was seen.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	la := newLiveArchive(t)
	served := do(t, http.MethodGet, la.srv.URL+"/api/v1/openapi.json", nil)
	if served.status != http.StatusOK || string(served.body) != string(readOpenAPIFile(t)) {
		t.Fatalf("%v: not api/openapi.json", served)
	}
	v := newValidator(t, loadOpenAPI(t, served.body))
	ok := la.runCases(t, v)
	la.conditional(t, v, ok)
	la.noOperation(t, v, ok)
	la.runAccountCalls(t, v)
	web := newWebForms(t, la)
	web.run(t, v)
	// The database goes away: what reads it is unavailable for now.
	la.proxy.Cut()
	la.withoutDatabase(t, v, ok, http.StatusServiceUnavailable)
	la.accountsWithoutDatabase(t, v, 1, http.StatusServiceUnavailable)
	web.withoutDatabase(t, v, http.StatusServiceUnavailable)
	// The server's own pool is closed: a failure of Newsline's own.
	la.served.Close()
	la.withoutDatabase(t, v, ok, http.StatusInternalServerError)
	la.accountsWithoutDatabase(t, v, 2, http.StatusInternalServerError)
	web.withoutDatabase(t, v, http.StatusInternalServerError)
	v.everyResponseSeen(t)
}

// runCases makes the requests of cases, and HEAD ones alike, and returns
// for each operation the first target that succeeded.
func (la *liveArchive) runCases(t *testing.T, v *validator) map[string]string {
	t.Helper()
	ok := map[string]string{} // operationId → target
	for _, c := range la.cases() {
		x := do(t, http.MethodGet, la.srv.URL+c.target, c.header)
		if x.status != c.status {
			t.Errorf("%v, want %d: %.300s", x, c.status, x.body)
			continue
		}
		if c.want != "" && !strings.Contains(string(x.body), c.want) {
			t.Errorf("%v: no %q in %.300s", x, c.want, x.body)
		}
		v.operation(t, x, c.invalid)
		v.head(t, x, do(t, http.MethodHead, la.srv.URL+c.target, c.header))
		if route, _, err := v.router.FindRoute(x.req); err == nil && x.status == http.StatusOK && c.header == nil {
			if _, seen := ok[route.Operation.OperationID]; !seen {
				ok[route.Operation.OperationID] = c.target
			}
		}
	}
	return ok
}

// conditional asks every feed again with the validators it sent.
func (la *liveArchive) conditional(t *testing.T, v *validator, ok map[string]string) {
	t.Helper()
	for _, target := range ok {
		if !strings.HasPrefix(target, "/feeds/") {
			continue
		}
		first := do(t, http.MethodGet, la.srv.URL+target, nil)
		for _, h := range []http.Header{
			{"If-None-Match": {first.header.Get("ETag")}},
			{"If-Modified-Since": {first.header.Get("Last-Modified")}},
		} {
			x := do(t, http.MethodGet, la.srv.URL+target, h)
			if x.status != http.StatusNotModified {
				t.Errorf("%v with %v, want 304", x, h)
			}
			v.operation(t, x, false)
		}
	}
}

// noOperation checks the answers no operation documents: another method
// on every route, and paths without a route.
func (la *liveArchive) noOperation(t *testing.T, v *validator, ok map[string]string) {
	t.Helper()
	for _, target := range ok {
		route, _, err := v.router.FindRoute(httptest.NewRequest(http.MethodGet, la.srv.URL+target, nil))
		if err != nil {
			t.Errorf("%s: %v", target, err)
			continue
		}
		// A method the path does not take; Allow lists those it does.
		methods := []string{http.MethodHead}
		for m := range route.PathItem.Operations() {
			methods = append(methods, m)
		}
		slices.Sort(methods)
		other := http.MethodPost
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch} {
			if !slices.Contains(methods, m) {
				other = m
				break
			}
		}
		x := do(t, other, la.srv.URL+target, nil)
		v.component(t, x, "MethodNotAllowed", http.StatusMethodNotAllowed)
		if allow := x.header.Get("Allow"); allow != strings.Join(methods, ", ") {
			t.Errorf("%v: Allow %q, want %q", x, allow, strings.Join(methods, ", "))
		}
	}
	for _, nr := range []struct {
		target string
		header http.Header
	}{
		{"/api", nil}, {"/api/v1/nope", nil}, {"/api/v1/articles/1/text", nil}, {"/feeds/latest.xml", nil},
		{"/feeds/sites/news.example.xml", nil}, {"/feeds/nope.rss", nil},
		{"/nope", http.Header{"Accept": {"text/html,application/xhtml+xml"}}},
	} {
		v.component(t, do(t, http.MethodGet, la.srv.URL+nr.target, nr.header), "NoRoute", http.StatusNotFound)
	}
}

// withoutDatabase asks every operation again once PostgreSQL cannot be
// used: what reads the database answers status (a 503 with Retry-After
// while the database is unreachable, a 500 once the server's pool is
// closed), readiness a 503, the rest a 200.
func (la *liveArchive) withoutDatabase(t *testing.T, v *validator, ok map[string]string, status int) {
	t.Helper()
	for id, target := range ok {
		x := do(t, http.MethodGet, la.srv.URL+target, nil)
		route, _, err := v.router.FindRoute(x.req)
		if err != nil {
			t.Errorf("%v: %v", x, err)
			continue
		}
		want := http.StatusOK
		switch {
		case route.Operation.Responses.Status(http.StatusInternalServerError) != nil:
			want = status
		case route.Operation.Responses.Status(http.StatusServiceUnavailable) != nil:
			want = http.StatusServiceUnavailable
		}
		if x.status != want {
			t.Errorf("%s without a database: %v, want %d: %.300s", id, x, want, x.body)
			continue
		}
		v.operation(t, x, false)
		if ref := route.Operation.Responses.Status(x.status); ref != nil {
			v.headers(t, x, ref.Value)
		}
		if ra := x.header.Get("Retry-After"); (ra != "") != (x.status == http.StatusServiceUnavailable && id != "getReadiness") {
			t.Errorf("%s without a database: %v with Retry-After %q", id, x, ra)
		}
	}
}

// cases are the requests TestOpenAPI makes; the first that succeeds for
// an operation is the one it goes on with (conditional requests, other
// methods, no database), so it must have items to list.
func (la *liveArchive) cases() []liveCase {
	id := fmt.Sprint(la.article)
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	cs := []liveCase{
		{target: "/api/v1/openapi.json", status: 200},
		{target: "/api/v1/openapi.json?format=yaml", status: 400},

		{target: "/api/v1/articles", status: 200, want: `"field_sources":{`},
		{target: "/api/v1/articles?site=news.example&author=jane-doe&section=world&limit=1", status: 200, want: `"next_cursor":`},
		{target: "/api/v1/articles?kind=all&limit=100", status: 200, want: `"kind_reason":`},
		{target: "/api/v1/articles?sites=news.example", status: 400},
		{target: "/api/v1/articles?site=nowhere.example", status: 400},
		{target: "/api/v1/articles?kind=all&section=world", status: 400},
		{target: "/api/v1/articles?cursor=nonsense", status: 400},
		{target: "/api/v1/articles?%zz", status: 400},
		{target: "/api/v1/articles?limit=0", status: 400, invalid: true},
		{target: "/api/v1/articles?limit=101", status: 400, invalid: true},
		{target: "/api/v1/articles?limit=ten", status: 400, invalid: true},
		{target: "/api/v1/articles?kind=stub", status: 400, invalid: true},

		{target: "/api/v1/articles/" + id, status: 200, want: `"html":`},
		{target: "/api/v1/articles/" + id + "?full=1", status: 400},
		{target: "/api/v1/articles/abc", status: 400, invalid: true},
		{target: "/api/v1/articles/0", status: 400, invalid: true},
		{target: "/api/v1/articles/999999999", status: 404},

		{target: "/api/v1/search?q=harbour&facets=true", status: 200, want: `"facets":{"language":[{`},
		{target: "/api/v1/search?q=harbour&limit=1", status: 200, want: `"next_offset":1`},
		{target: "/api/v1/search?q=harbour&sort=date&limit=1", status: 200, want: `"next_cursor":`},
		{target: "/api/v1/search?q=harbour+-strike&site=news.example&author=Jane%20Doe&language=en&section=World&from=2020-01-01&to=" +
			future + "&recency=0&offset=0&limit=100", status: 200, want: `"headline":`},
		{target: "/api/v1/search?q=zebra", status: 200, want: `"total":0`},
		{target: "/api/v1/search?query=harbour", status: 400, invalid: true},
		{target: "/api/v1/search?q=harbour&page=2", status: 400},
		{target: "/api/v1/search?q=harbour&site=nowhere.example", status: 400},
		{target: "/api/v1/search?q=harbour&offset=20&sort=date", status: 400},
		{target: "/api/v1/search?q=harbour&sort=best", status: 400, invalid: true},
		{target: "/api/v1/search?q=harbour&recency=11", status: 400, invalid: true},
		{target: "/api/v1/search?q=harbour&offset=1001", status: 400, invalid: true},
		{target: "/api/v1/search?q=harbour&language=english", status: 400, invalid: true},
		{target: "/api/v1/search?q=harbour&from=yesterday", status: 400, invalid: true},
		{target: "/api/v1/search?q=harbour&facets=yes", status: 400, invalid: true},

		{target: "/api/v1/trending", status: 200, want: `"terms":[{`},
		{target: "/api/v1/trending?window=7d&limit=5", status: 200, want: `"window":"7d"`},
		{target: "/api/v1/trending?since=1", status: 400},
		{target: "/api/v1/trending?window=1h", status: 400, invalid: true},
		{target: "/api/v1/trending?limit=101", status: 400, invalid: true},

		{target: "/api/v1/sites", status: 200, want: `"last_crawl":{`},
		{target: "/api/v1/sites?enabled=true", status: 400},
		{target: "/api/v1/sites/news.example", status: 200, want: `"failures":{"status_404":1}`},
		{target: "/api/v1/sites/other.example", status: 200, want: `"outcome":"failed"`},
		{target: "/api/v1/sites/news.example?stats=1", status: 400},
		{target: "/api/v1/sites/nowhere.example", status: 404},

		{target: "/api/v1/authors", status: 200, want: `"Jürgen Müller"`},
		{target: "/api/v1/authors?q=jane&limit=1", status: 200, want: `"next_cursor":`},
		{target: "/api/v1/authors?name=jane", status: 400},
		{target: "/api/v1/authors?limit=0", status: 400, invalid: true},
		{target: "/api/v1/authors/jane-doe", status: 200, want: `"names":[{`},
		{target: "/api/v1/authors/J%C3%BCrgen%20M%C3%BCller", status: 200, want: `"slug":"jurgen-muller"`},
		{target: "/api/v1/authors/jane-doe?feeds=1", status: 400},
		{target: "/api/v1/authors/jane-do", status: 404},

		{target: "/healthz", status: 200},
		{target: "/healthz?verbose=1", status: 400},
		{target: "/readyz", status: 200, want: `"ready":true`},
		{target: "/readyz?verbose=1", status: 400},
		{target: "/metrics", status: 200, want: "newsline_http_requests_total"},
		{target: "/metrics?verbose=1", status: 400},

		{target: "/", status: 200, want: "Harbour story"},
		{target: "/?q=harbour", status: 200, want: "<mark>"},
		{target: "/?q=the", status: 400, want: "no searchable words"},
		{target: "/?%zz", status: 400},
		{target: "/?cursor=nonsense", status: 400, want: "cursor"},
		{target: "/search?q=harbour", status: 200, want: "<mark>"},
		{target: "/search", status: 200, want: "<form"},
		{target: "/search?q=harbour&site=news.example&author=jane-doe&language=en&section=world&from=2020-01-01&to=" + future[:10] +
			"&sort=date", status: 200, want: "<mark>"},
		{target: "/search?q=harbour&offset=1", status: 200, want: "<mark>"},
		{target: "/search?q=harbour&language=english", status: 400, want: "language must be"},
		{target: "/search?%zz", status: 400},
		{target: "/articles/" + id, status: 200, want: "Related articles"},
		{target: "/articles/abc", status: 404, want: "no article"},
		{target: "/articles/999999999", status: 404, want: "no article"},
		{target: "/articles/" + id + "?%zz", status: 400},
		{target: "/style.css?v=1", status: 200},
		{target: "/style.css?%zz", status: 400},
		{target: "/sites/news.example", status: 200, want: "Harbour story"},
		{target: "/sites/news.example?cursor=nonsense", status: 400, want: "cursor"},
		{target: "/authors/jane-doe?cursor=nonsense", status: 400, want: "cursor"},
		{target: "/sections/world?cursor=nonsense", status: 400, want: "cursor"},
		{target: "/sites/nowhere.example", status: 404, want: "no site"},
		{target: "/authors/jane-doe", status: 200, want: "Harbour story"},
		{target: "/authors/jane-do", status: 404, want: "did you mean jane-doe?"},
		{target: "/sections/world", status: 200, want: "Harbour story"},
		{target: "/sections/sport", status: 404, want: "no section"},
		{target: "/icon.png", status: 200},

		{target: "/feeds/podcast.rss", status: 200, want: "<enclosure"},
		{target: "/feeds/podcast.rss?limit=1", status: 200, want: "podcast:chapters"},
		{target: "/feeds/podcast.rss?content=full", status: 400},
		{target: "/feeds/podcast.rss?limit=0", status: 400, invalid: true},
		{target: "/feeds/podcast/sites/other.example.rss", status: 200, want: "<enclosure"},
		{target: "/feeds/podcast/sites/Other.Example.rss?limit=5", status: 200},
		{target: "/feeds/podcast/sites/news.example.rss", status: 200},
		{target: "/feeds/podcast/sites/other.example.rss?site=x", status: 400},
		{target: "/feeds/podcast/sites/nowhere.example.rss", status: 404},
		{target: "/feeds/me/" + la.secret + "/podcast.rss", status: 200, want: "<enclosure"},
		{target: "/feeds/me/" + la.secret + "/podcast.rss?content=full", status: 400},
		{target: "/feeds/me/" + la.secret + "/podcast.rss?limit=0", status: 400, invalid: true},
		{target: "/feeds/me/nobody-has-this/podcast.rss", status: 404},
		{target: "/feeds/podcast.png", status: 200},
		{target: "/feeds/podcast.png?%zz", status: 400},
		{target: "/audio/" + la.episode, status: 200},
		{target: "/audio/" + la.episode, header: http.Header{"Range": {"bytes=10-19"}}, status: 206},
		{target: "/audio/" + la.episode, header: http.Header{"If-None-Match": {"*"}}, status: 304},
		{target: "/audio/" + la.episode, header: http.Header{"Range": {"bytes=999999-"}}, status: 416},
		{target: "/audio/" + strings.TrimSuffix(la.episode, ".mp3") + ".vtt", status: 200},
		{target: "/audio/" + strings.TrimSuffix(la.episode, ".mp3") + ".chapters.json", status: 200},
		{target: "/audio/" + la.episode + "?%zz", status: 400},
		{target: "/audio/2026/12/nothing-1.mp3", status: 404},
		{target: "/favicon.ico?v=2", status: 200},
		{target: "/icon.png?%zz", status: 400},
		{target: "/favicon.ico?%zz", status: 400},
	}
	for _, ext := range []string{"rss", "atom", "json"} {
		cs = append(cs,
			liveCase{target: "/feeds/latest." + ext, status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/latest." + ext + "?limit=2&content=summary", status: 200},
			liveCase{target: "/feeds/latest." + ext, header: http.Header{"Accept-Encoding": {"gzip"}}, status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/latest." + ext + "?q=harbour", status: 400},
			liveCase{target: "/feeds/latest." + ext + "?limit=0", status: 400, invalid: true},
			liveCase{target: "/feeds/latest." + ext + "?limit=201", status: 400, invalid: true},
			liveCase{target: "/feeds/latest." + ext + "?content=none", status: 400, invalid: true},

			liveCase{target: "/feeds/search." + ext + "?q=harbour", status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/search." + ext + "?q=harbour&site=news.example&author=jane-doe&language=en&section=world&from=2020-01-01&to=" +
				future + "&limit=3&content=full", status: 200},
			liveCase{target: "/feeds/search." + ext + "?q=zebra", status: 200},
			liveCase{target: "/feeds/search." + ext + "?q=harbour&sort=date", status: 400},
			liveCase{target: "/feeds/search." + ext + "?q=harbour&site=nowhere.example", status: 400},
			liveCase{target: "/feeds/search." + ext, status: 400, invalid: true},
			liveCase{target: "/feeds/search." + ext + "?q=harbour&from=yesterday", status: 400, invalid: true},

			liveCase{target: "/feeds/sites/news.example." + ext, status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/sites/News.Example." + ext, status: 200},
			liveCase{target: "/feeds/sites/news.example." + ext + "?site=x", status: 400},
			liveCase{target: "/feeds/sites/nowhere.example." + ext, status: 404},

			liveCase{target: "/feeds/authors/jane-doe." + ext, status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/authors/J%C3%BCrgen%20M%C3%BCller." + ext, status: 200, want: "Harbour story 2"},
			liveCase{target: "/feeds/authors/jane-doe." + ext + "?q=harbour", status: 400},
			liveCase{target: "/feeds/authors/jane-doe." + ext + "?limit=ten", status: 400, invalid: true},
			liveCase{target: "/feeds/authors/jane-do." + ext, status: 404},

			liveCase{target: "/feeds/me/" + la.secret + "." + ext, status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/me/" + la.secret + "." + ext + "?limit=0", status: 400, invalid: true},
			liveCase{target: "/feeds/me/nope." + ext, status: 404},
			liveCase{target: "/feeds/me/" + la.secret + "/bookmarks." + ext, status: 200, want: "Harbour story 7"},
			liveCase{target: "/feeds/me/" + la.secret + "/bookmarks." + ext + "?content=none", status: 400, invalid: true},
			liveCase{target: "/feeds/me/nope/bookmarks." + ext, status: 404},

			liveCase{target: "/feeds/sections/world." + ext, status: 200, want: "Harbour story 0"},
			liveCase{target: "/feeds/sections/world." + ext + "?author=jane-doe", status: 400},
			liveCase{target: "/feeds/sections/sport." + ext, status: 404},
		)
	}
	return cs
}

// seedEpisode records an episode of the article with stand-in files (the
// API serves them as they are; the podcast tests make real ones) and
// returns its MP3's path.
func seedEpisode(t *testing.T, db *store.DB, article int64, dir string) string {
	t.Helper()
	base := fmt.Sprintf("2026/12/harbour-story-%d", article)
	files := map[string]string{".mp3": strings.Repeat("\xff\xfb\x50\xc4", 500), ".vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHarbour story.\n\n",
		".chapters.json": `{"version":"1.2.0","chapters":[{"startTime":0,"title":"Harbour story"}]}`}
	if err := os.MkdirAll(filepath.Join(dir, "2026", "12"), 0o755); err != nil {
		t.Fatal(err)
	}
	for ext, body := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(base+ext)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := db.AddEpisode(context.Background(), store.Episode{ArticleID: article, Engine: "espeak-ng", EngineVersion: "espeak-ng test",
		Language: "en", Path: base + ".mp3", Bytes: 2000, Duration: 2 * time.Second, ChaptersPath: base + ".chapters.json",
		TranscriptPath: base + ".vtt", Chapters: 1})
	if err != nil {
		t.Fatal(err)
	}
	return base + ".mp3"
}
