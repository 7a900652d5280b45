package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

func newServer(t *testing.T, articles int) (*httptest.Server, *store.DB) {
	t.Helper()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	for i := 0; i < articles; i++ {
		u := fmt.Sprintf("https://news.example/story-%03d", i)
		pub := time.Date(2026, 11, 1, i, 0, 0, 0, time.UTC)
		testenv.SeedArticle(t, db, site, newsline.Article{URL: u,
			Title: fmt.Sprintf("Story %d about the harbour", i), Text: "The harbour <script>alert(1)</script> reopened after repairs.",
			Authors: []string{"Jane Doe"}, PublishedAt: &pub, FetchedAt: pub})
	}
	rdb := testenv.Redis(t)
	srv := httptest.NewServer((&api.Server{DB: db, Redis: rdb, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	t.Cleanup(srv.Close)
	return srv, db
}

func get(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); v != nil && !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", u, ct)
	}
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: decode: %v", u, err)
		}
	}
	return resp.StatusCode
}

type articleList struct {
	Articles []struct {
		ID      int64    `json:"id"`
		Title   string   `json:"title"`
		Authors []string `json:"authors"`
		Site    string   `json:"site"`
	} `json:"articles"`
	NextCursor string `json:"next_cursor"`
}

func TestListArticlesPaginates(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, 7)
	seen := map[int64]bool{}
	next := srv.URL + "/api/v1/articles?limit=3&site=news.example"
	var first string
	for pages := 0; next != ""; pages++ {
		var l articleList
		if code := get(t, next, &l); code != 200 {
			t.Fatalf("status %d", code)
		}
		if first == "" {
			first = l.Articles[0].Title
		}
		for _, a := range l.Articles {
			if seen[a.ID] {
				t.Fatalf("article %d twice", a.ID)
			}
			seen[a.ID] = true
			if a.Site != "news.example" || len(a.Authors) != 1 {
				t.Fatalf("article %+v", a)
			}
		}
		next = ""
		if l.NextCursor != "" {
			next = srv.URL + "/api/v1/articles?limit=3&cursor=" + url.QueryEscape(l.NextCursor)
		}
	}
	if len(seen) != 7 || first != "Story 6 about the harbour" {
		t.Fatalf("saw %d articles, first %q", len(seen), first)
	}
}

func TestGetArticleAndSearch(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, 3)
	var l articleList
	get(t, srv.URL+"/api/v1/articles", &l)
	var a struct {
		Title, Text string
	}
	if code := get(t, fmt.Sprintf("%s/api/v1/articles/%d", srv.URL, l.Articles[0].ID), &a); code != 200 || a.Text == "" {
		t.Fatalf("get article: %d %+v", code, a)
	}
	var res struct {
		Results []struct {
			Title    string `json:"title"`
			Headline string `json:"headline"`
		} `json:"results"`
		NextOffset *int `json:"next_offset"`
	}
	if code := get(t, srv.URL+"/api/v1/search?q=harbour&limit=2", &res); code != 200 || len(res.Results) != 2 || res.NextOffset == nil || *res.NextOffset != 2 {
		t.Fatalf("search: %d %+v", code, res)
	}
	h := res.Results[0].Headline
	if !strings.Contains(h, "<mark>harbour</mark>") || strings.Contains(h, "<script>") {
		t.Fatalf("headline not highlighted and escaped: %q", h)
	}
}

func TestBadRequestsAre4xxWithMessage(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, 1)
	tests := []struct {
		path string
		want int
	}{
		{"/api/v1/search", 400},
		{"/api/v1/search?q=", 400},
		{"/api/v1/search?q=the", 400},
		{"/api/v1/search?q=" + strings.Repeat("x", 10_000), 400},
		{"/api/v1/search?q=harbour&limit=abc", 400},
		{"/api/v1/search?q=harbour&limit=-1", 400},
		{"/api/v1/search?q=harbour&offset=99999999", 400},
		{"/api/v1/search?q=harbour&site=nope.example", 400},
		{"/api/v1/search?q=" + url.QueryEscape(`"unbalanced`), 200},
		{"/api/v1/search?q=" + url.QueryEscape(`'; DROP TABLE articles; --`), 200},
		{"/api/v1/articles?limit=0", 400},
		{"/api/v1/articles?limit=1000", 400},
		{"/api/v1/articles?cursor=%%%", 400},
		{"/api/v1/articles?cursor=bm90LWEtY3Vyc29y", 400},
		{"/api/v1/articles?site=nope.example", 400},
		{"/api/v1/articles/abc", 400},
		{"/api/v1/articles/0", 400},
		{"/api/v1/articles/99999999999999999999", 400},
		{"/api/v1/articles/424242", 404},
		{"/api/v1/sites/nope.example", 404},
		{"/api/v1/nothing", 404},
		{"/api/v1/search?q=harbour&sort=date", 200},
		{"/api/v1/search?q=harbour&sort=hot", 400},
		{"/api/v1/search?q=harbour&from=yesterday", 400},
		{"/api/v1/search?q=harbour&from=2026-11-02&to=2026-11-01", 400},
		{"/api/v1/search?q=harbour&from=2026-10-01&to=2026-12-01T00:00:00Z&facets=true", 200},
		{"/api/v1/search?q=harbour&recency=lots", 400},
		{"/api/v1/search?q=harbour&recency=99", 400},
		{"/api/v1/search?q=harbour&language=english", 400},
		{"/api/v1/search?q=harbour&author=Nobody", 400},
		{"/api/v1/search?q=harbour&author=jane+doe&language=en", 200},
		{"/api/v1/trending", 200},
		{"/api/v1/trending?window=7d", 200},
		{"/api/v1/trending?window=1y", 400},
	}
	for _, tt := range tests {
		t.Run(tt.path[:min(len(tt.path), 60)], func(t *testing.T) {
			var body struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			code := get(t, srv.URL+tt.path, &body)
			if code != tt.want {
				t.Fatalf("status %d, want %d (%+v)", code, tt.want, body)
			}
			if code >= 400 && body.Error.Message == "" {
				t.Fatalf("no error message")
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	srv, db := newServer(t, 0)
	var ready struct {
		Ready  bool              `json:"ready"`
		Checks map[string]string `json:"checks"`
	}
	if code := get(t, srv.URL+"/readyz", &ready); code != 200 || !ready.Ready {
		t.Fatalf("readyz: %d %+v", code, ready)
	}
	if code := get(t, srv.URL+"/healthz", &map[string]string{}); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	db.Close() // PostgreSQL gone: not ready, but still alive
	if code := get(t, srv.URL+"/readyz", &ready); code != 503 || ready.Checks["postgres"] != "unavailable" {
		t.Fatalf("readyz without database: %d %+v", code, ready)
	}
	if code := get(t, srv.URL+"/healthz", &map[string]string{}); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
}

func TestWebPage(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, 2)
	for _, tt := range []struct {
		path, want string
		code       int
	}{
		{"/", "Story 1 about the harbour", 200},
		{"/?q=harbour", "<mark>harbour</mark>", 200},
		{"/?q=the", "no searchable words", 400},
	} {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(string(b), tt.want) {
			t.Errorf("GET %s: %d, want %d and %q in:\n%.500s", tt.path, resp.StatusCode, tt.code, tt.want, b)
		}
		if strings.Contains(string(b), "<script>alert") {
			t.Errorf("GET %s: unescaped script", tt.path)
		}
	}
}
