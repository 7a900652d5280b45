package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/testenv"
)

// FuzzHTTP sends a query string to a route of a server over a small
// archive in PostgreSQL: whatever it holds, the answer is not a 5xx, so
// nothing a client sends reaches the database unchecked. The seeds, under
// testdata/fuzz, are issue 11's inputs; each fuzzing worker seeds a
// database of its own.
func FuzzHTTP(f *testing.F) {
	db := testenv.DB(f)
	for _, host := range []string{"news.example", "other.example"} {
		site := testenv.SeedSite(f, db, host)
		for i := range 12 {
			pub := time.Date(2026, 11, 1+i, i, 0, 0, 0, time.UTC)
			testenv.SeedArticle(f, db, site, newsline.Article{URL: fmt.Sprintf("https://%s/story-%d", host, i),
				Title: fmt.Sprintf("Harbour story %d", i), Text: "The harbour reopened after repairs; the river accord was signed.",
				Authors: []string{"Jane Doe", "John Roe"}[i%2:], PublishedAt: &pub, FetchedAt: pub,
				Section: []string{"World", "Sport", ""}[i%3], Language: "en", Keywords: []string{"harbour"}})
		}
	}
	h := (&api.Server{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://news.example.org"}).Handler()
	routes := []string{"/api/v1/search", "/api/v1/articles", "/api/v1/authors", "/api/v1/trending", "/feeds/search.rss",
		"/feeds/latest.atom", "/", "/api/v1/sites/news.example", "/sites/news.example", "/feeds/sites/news.example.json"}
	f.Fuzz(func(t *testing.T, route uint8, rawQuery string) {
		path := routes[int(route)%len(routes)]
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL = &url.URL{Path: path, RawQuery: rawQuery}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s?%s: %d %s", path, rawQuery, rec.Code, rec.Body)
		}
	})
}
