package testenv

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// SeedSite adds an enabled site named after its host, failing the test on
// error.
func SeedSite(t testing.TB, db *store.DB, host string) newsline.Site {
	t.Helper()
	s, _, err := db.UpsertSite(context.Background(), newsline.Site{Host: host, Name: host, Schedule: "@hourly",
		MaxPages: 10, Enabled: true, StartURLs: []string{"https://" + host + "/"}})
	if err != nil {
		t.Fatalf("seed site %s: %v", host, err)
	}
	return s
}

// SeedURL adds rawURL to site's URLs, as discovery would, and returns its
// id (of the row already there when the URL is known), failing the test
// on error.
func SeedURL(t testing.TB, db *store.DB, site newsline.Site, rawURL string) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := db.AddURLs(ctx, site.ID, []string{rawURL}); err != nil {
		t.Fatalf("seed url %s: %v", rawURL, err)
	}
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM urls WHERE url = $1`, rawURL).Scan(&id); err != nil {
		t.Fatalf("seed url %s: %v", rawURL, err)
	}
	return id
}

// SeedArticle stores a as the crawler would: its URL discovered on site,
// fetched and saved. Empty fields get defaults (the canonical URL is the
// URL, the fetch time now, the word count from the text); it returns the
// stored article's id.
func SeedArticle(t testing.TB, db *store.DB, site newsline.Site, a newsline.Article) int64 {
	t.Helper()
	ctx := context.Background()
	a.SiteID = site.ID
	if a.CanonicalURL == "" {
		a.CanonicalURL = a.URL
	}
	if a.FetchedAt.IsZero() {
		a.FetchedAt = time.Now()
	}
	if a.WordCount == 0 {
		a.WordCount = len(strings.Fields(a.Text))
	}
	urlID := SeedURL(t, db, site, a.URL)
	sum := sha256.Sum256([]byte(a.URL + "\x00" + a.Text))
	res, err := db.SaveArticle(ctx, urlID, &a, store.FetchInfo{HTTPStatus: 200, ContentHash: sum[:], RawHTML: []byte("<p>" + a.Text)})
	if err != nil {
		t.Fatalf("seed article %s: %v", a.URL, err)
	}
	return res.ArticleID
}
