package jobs_test

import (
	"context"
	"testing"

	"github.com/newsline/newsline/internal/testsite"
)

// TestSiteLanguagesReachExtraction crawls two sites of English articles
// that declare <html lang="en">; one is configured with `languages: [de]`.
// The whitelist is the operator's word on what a site publishes, so its
// articles are stored as German (a declaration outside the whitelist is
// a template default) and indexed so; the other site's stay English.
func TestSiteLanguagesReachExtraction(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	de, err := testsite.Start(testsite.Config{Articles: 12, Seed: 41})
	if err != nil {
		t.Fatal(err)
	}
	defer de.Close()
	other, err := testsite.Start(testsite.Config{Articles: 12, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	site := h.addSite(t, de)
	site.Languages = []string{"de"}
	if site, _, err = h.db.UpsertSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	if got, err := h.db.Site(ctx, de.Host); err != nil || len(got.Languages) != 1 || got.Languages[0] != "de" {
		t.Fatalf("stored site languages %q, %v", got.Languages, err)
	}
	h.addSite(t, other)
	h.crawl(t, de.Host, other.Host)

	rows, err := h.db.Pool.Query(ctx, `SELECT s.host, a.language, a.ts_config::text, count(*) FROM articles a JOIN sites s ON s.id = a.site_id GROUP BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var host, lang, config string
		var n int
		if err := rows.Scan(&host, &lang, &config, &n); err != nil {
			t.Fatal(err)
		}
		seen[host] = true
		want, wantConfig := "en", "english"
		if host == de.Host {
			want, wantConfig = "de", "german"
		}
		if lang != want || config != wantConfig {
			t.Errorf("%s: %d articles in %q (%s), want %q (%s)", host, n, lang, config, want, wantConfig)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !seen[de.Host] || !seen[other.Host] {
		t.Errorf("articles stored for %v, want both sites", seen)
	}
}
