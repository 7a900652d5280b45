package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/password"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// accounts is a running server with two sites, a few articles by two
// authors, and users made with testenv's database.
type accounts struct {
	srv      *httptest.Server
	db       *store.DB
	rdb      *redis.Client
	articles []int64 // oldest first; even ones on a.example by Ann Author, odd on b.example by Bob Writer
}

type accountsOptions struct {
	signup  bool
	proxies []netip.Prefix
	limits  api.RateLimits
}

// hourly is a rate limit of n attempts an hour, which does not refill
// noticeably while a test runs.
func hourly(n int) redis_rate.Limit { return redis_rate.Limit{Rate: n, Burst: n, Period: time.Hour} }

func newAccounts(t *testing.T, o accountsOptions) *accounts {
	t.Helper()
	db := testenv.DB(t)
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	ac := &accounts{db: db, rdb: rdb}
	sites := []newsline.Site{testenv.SeedSite(t, db, "a.example"), testenv.SeedSite(t, db, "b.example")}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range 6 {
		pub := base.Add(time.Duration(i) * time.Hour)
		site := sites[i%2]
		ac.articles = append(ac.articles, testenv.SeedArticle(t, db, site, newsline.Article{
			URL: fmt.Sprintf("https://%s/story-%d", site.Host, i), Title: fmt.Sprintf("Story %d", i),
			Text: "The harbour reopened after repairs.", HTML: "<p>The harbour reopened after repairs.</p>",
			Authors: []string{[]string{"Ann Author", "Bob Writer"}[i%2]}, PublishedAt: &pub, Kind: "article", Completeness: 0.9}))
	}
	srv := &api.Server{DB: db, Redis: rdb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://newsline.example",
		Signup: o.signup, TrustedProxies: o.proxies, RateLimits: o.limits, Crawls: jobs.CrawlQueue{Client: asynq.NewClientFromRedisClient(rdb)}}
	ac.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(ac.srv.Close)
	return ac
}

// user creates a user with the password "correct horse battery" and
// returns a session token.
func (ac *accounts) user(t *testing.T, name string, role newsline.Role) string {
	t.Helper()
	ctx := context.Background()
	hash, err := password.HashWith("correct horse battery", password.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	u, err := ac.db.CreateUser(ctx, store.NewUser{Name: name, Email: name + "@example.org", PasswordHash: hash, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	token, err := ac.db.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// call makes a request with a Bearer token (when not empty), a JSON body
// (when not nil) and extra headers (pairs).
func (ac *accounts) call(t *testing.T, method, path, token string, body any, header ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.([]byte)
		if !ok {
			var err error
			if b, err = json.Marshal(body); err != nil {
				t.Fatal(err)
			}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, ac.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// routeCase is one protected route, with a body it takes.
type routeCase struct {
	method, path string
	body         any
	admin        bool
}

func protectedRoutes(article int64) []routeCase {
	id := fmt.Sprint(article)
	return []routeCase{
		{method: "DELETE", path: "/api/v1/sessions/current"},
		{method: "GET", path: "/api/v1/me"},
		{method: "GET", path: "/api/v1/me/tokens"},
		{method: "POST", path: "/api/v1/me/tokens", body: map[string]string{"name": "x"}},
		{method: "DELETE", path: "/api/v1/me/tokens/x"},
		{method: "GET", path: "/api/v1/me/follows"},
		{method: "PUT", path: "/api/v1/me/follows/sites/a.example"},
		{method: "DELETE", path: "/api/v1/me/follows/sites/a.example"},
		{method: "PUT", path: "/api/v1/me/follows/authors/ann-author"},
		{method: "DELETE", path: "/api/v1/me/follows/authors/ann-author"},
		{method: "GET", path: "/api/v1/me/bookmarks"},
		{method: "PUT", path: "/api/v1/me/bookmarks/" + id},
		{method: "DELETE", path: "/api/v1/me/bookmarks/" + id},
		{method: "GET", path: "/api/v1/me/feed"},
		{method: "POST", path: "/api/v1/me/feed-secret"},
		{method: "POST", path: "/api/v1/sites", body: map[string]string{"host": "c.example"}, admin: true},
		{method: "PATCH", path: "/api/v1/sites/a.example", body: map[string]any{"enabled": false}, admin: true},
		{method: "DELETE", path: "/api/v1/sites/a.example?force=true", admin: true},
		{method: "POST", path: "/api/v1/sites/a.example/crawl", admin: true},
	}
}

// TestAuthorization calls every /me and admin route without credentials
// (401), with a token that is not valid (401), and every admin route as a
// reader (403); nothing changes.
func TestAuthorization(t *testing.T) {
	t.Parallel()
	ac := newAccounts(t, accountsOptions{})
	reader := ac.user(t, "reader", newsline.RoleReader)
	for _, rc := range protectedRoutes(ac.articles[0]) {
		t.Run(rc.method+" "+rc.path, func(t *testing.T) {
			for _, token := range []string{"", "nls_forged", "nlt_forged", "garbage"} {
				a := ac.call(t, rc.method, rc.path, token, rc.body)
				if a.status != http.StatusUnauthorized || !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("token %q: %d %s, want 401 with WWW-Authenticate", token, a.status, a.body)
				}
				var e api.ErrorJSON
				a.decode(t, &e)
				if e.Error.Code != newsline.EUNAUTHORIZED {
					t.Errorf("code %q", e.Error.Code)
				}
			}
			if rc.admin {
				if a := ac.call(t, rc.method, rc.path, reader, rc.body); a.status != http.StatusForbidden {
					t.Errorf("reader: %d %s, want 403", a.status, a.body)
				}
			}
		})
	}
	// The admin routes left the whitelist alone.
	site, err := ac.db.Site(context.Background(), "a.example")
	if err != nil || !site.Enabled {
		t.Errorf("a.example after the refused calls: %+v %v", site, err)
	}
	if a := ac.call(t, "GET", "/api/v1/me", "", nil, "Authorization", "Basic cmVhZGVyOng="); a.status != http.StatusUnauthorized {
		t.Errorf("Basic auth: %d", a.status)
	}
}

// TestUsersSeeOnlyTheirOwn: one user never sees or changes another's
// follows, bookmarks, tokens or feeds; another's objects are a 404.
func TestUsersSeeOnlyTheirOwn(t *testing.T) {
	t.Parallel()
	ac := newAccounts(t, accountsOptions{})
	ann, bob := ac.user(t, "ann", newsline.RoleReader), ac.user(t, "bob", newsline.RoleReader)
	art := fmt.Sprint(ac.articles[2])
	for _, c := range []struct{ method, path string }{
		{"PUT", "/api/v1/me/follows/sites/a.example"},
		{"PUT", "/api/v1/me/follows/authors/Bob%20Writer"},
		{"PUT", "/api/v1/me/bookmarks/" + art},
	} {
		if a := ac.call(t, c.method, c.path, ann, nil); a.status != http.StatusNoContent {
			t.Fatalf("ann %s %s: %d %s", c.method, c.path, a.status, a.body)
		}
	}
	if a := ac.call(t, "POST", "/api/v1/me/tokens", ann, map[string]string{"name": "laptop"}); a.status != http.StatusCreated {
		t.Fatalf("ann's token: %d %s", a.status, a.body)
	}
	// Bob sees none of it.
	var f api.FollowsJSON
	ac.call(t, "GET", "/api/v1/me/follows", bob, nil).decode(t, &f)
	var b api.BookmarkListJSON
	ac.call(t, "GET", "/api/v1/me/bookmarks", bob, nil).decode(t, &b)
	var toks api.TokenListJSON
	ac.call(t, "GET", "/api/v1/me/tokens", bob, nil).decode(t, &toks)
	var feed api.ArticleListJSON
	ac.call(t, "GET", "/api/v1/me/feed", bob, nil).decode(t, &feed)
	if len(f.Sites)+len(f.Authors)+len(b.Articles)+len(toks.Tokens)+len(feed.Articles) != 0 {
		t.Errorf("bob sees ann's: follows %+v bookmarks %d tokens %+v feed %d", f, len(b.Articles), toks, len(feed.Articles))
	}
	// Bob cannot change it: each is a 404, as if it did not exist.
	for _, c := range []struct{ method, path string }{
		{"DELETE", "/api/v1/me/follows/sites/a.example"},
		{"DELETE", "/api/v1/me/follows/authors/bob-writer"},
		{"DELETE", "/api/v1/me/bookmarks/" + art},
		{"DELETE", "/api/v1/me/tokens/laptop"},
	} {
		if a := ac.call(t, c.method, c.path, bob, nil); a.status != http.StatusNotFound {
			t.Errorf("bob %s %s: %d %s, want 404", c.method, c.path, a.status, a.body)
		}
	}
	// Ann still has everything, and her personal feed is hers alone.
	ac.call(t, "GET", "/api/v1/me/follows", ann, nil).decode(t, &f)
	ac.call(t, "GET", "/api/v1/me/bookmarks", ann, nil).decode(t, &b)
	ac.call(t, "GET", "/api/v1/me/tokens", ann, nil).decode(t, &toks)
	if len(f.Sites) != 1 || len(f.Authors) != 1 || f.Authors[0].Slug != "bob-writer" || len(b.Articles) != 1 || len(toks.Tokens) != 1 {
		t.Errorf("ann's after bob tried: follows %+v bookmarks %d tokens %+v", f, len(b.Articles), toks)
	}
	var annMe, bobMe api.UserJSON
	ac.call(t, "GET", "/api/v1/me", ann, nil).decode(t, &annMe)
	ac.call(t, "GET", "/api/v1/me", bob, nil).decode(t, &bobMe)
	if annMe.Name != "ann" || annMe.Feeds == nil || bobMe.Feeds == nil || annMe.Feeds.Following.RSS == bobMe.Feeds.Following.RSS {
		t.Fatalf("me: %+v / %+v", annMe, bobMe)
	}
	bobFeed := ac.call(t, "GET", strings.TrimPrefix(bobMe.Feeds.Following.RSS, "https://newsline.example"), "", nil)
	if bobFeed.status != 200 || strings.Contains(string(bobFeed.body), "Story") {
		t.Errorf("bob's personal feed: %d, lists ann's articles: %.300s", bobFeed.status, bobFeed.body)
	}
}
