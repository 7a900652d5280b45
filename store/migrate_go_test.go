package store_test

import (
	"context"
	"testing"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
)

// Rows written before migration 14 get their slugs from migration 15,
// computed by newsline.Slug as new rows' are.
func TestMigrationBackfillsSlugs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	// Back to before 14 (the columns), rolling back 15 (the backfill)
	// and whatever came after.
	st, err := db.MigrateStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	since14 := 0
	for _, m := range st {
		if m.Version >= 14 {
			since14++
		}
	}
	for range since14 {
		if ok, err := db.MigrateDown(ctx); err != nil || !ok {
			t.Fatalf("down: %v, %v", ok, err)
		}
	}
	// Plain SQL: UpsertSite writes the sites columns of the newest schema.
	var siteID int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO sites (host, name, schedule) VALUES ('old.example', 'Old', '@hourly') RETURNING id`).Scan(&siteID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO authors (name, name_key) VALUES ('Jürgen Müller', 'jürgen müller')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO articles (site_id, url, canonical_url, title, sort_at, body_text, body_html, fetched_at, section)
		VALUES ($1, 'https://old.example/a', 'https://old.example/a', 'A', now(), 'text', '<p>text</p>', now(), 'Business & Economy')`, siteID); err != nil {
		t.Fatal(err)
	}
	if n, err := db.MigrateUp(ctx); err != nil || n != since14 {
		t.Fatalf("up: applied %d, %v", n, err)
	}
	var slug, key string
	if err := db.Pool.QueryRow(ctx, `SELECT slug FROM authors`).Scan(&slug); err != nil || slug != "jurgen-muller" {
		t.Errorf("author slug = %q, %v; want jurgen-muller", slug, err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT section_key FROM articles`).Scan(&key); err != nil || key != "business-economy" {
		t.Errorf("section key = %q, %v; want business-economy", key, err)
	}
}

// New rows get the same slugs as the backfill gives old ones.
func TestSaveWritesSlugs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	sites := map[string]newsline.Site{"a": testSite(t, db, "a.example")}
	req := saveStep{name: "Title", site: "a", url: "https://a.example/1", canonical: "https://a.example/1",
		text: "some text of the article", authors: []string{"Søren  Kierkegaard"}}.request(t, db, sites)
	req.Article.Section = "World / Europe"
	if _, err := db.SaveArticle(ctx, req.URLID, req.Article, req.Fetch); err != nil {
		t.Fatal(err)
	}
	var slug, key string
	if err := db.Pool.QueryRow(ctx, `SELECT slug FROM authors`).Scan(&slug); err != nil || slug != "soren-kierkegaard" {
		t.Errorf("author slug = %q, %v; want soren-kierkegaard", slug, err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT section_key FROM articles`).Scan(&key); err != nil || key != "world-europe" {
		t.Errorf("section key = %q, %v; want world-europe", key, err)
	}
}
