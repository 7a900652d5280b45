package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

func TestMigrationsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.MigrateUp(ctx)
	if err != nil || n == 0 {
		t.Fatalf("up on empty database: applied %d, %v", n, err)
	}
	st, err := db.MigrateStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if !s.Applied {
			t.Fatalf("migration %d not applied after up", s.Version)
		}
	}
	for range st {
		if ok, err := db.MigrateDown(ctx); err != nil || !ok {
			t.Fatalf("down: %v, %v", ok, err)
		}
	}
	if ok, err := db.MigrateDown(ctx); err != nil || ok {
		t.Fatalf("down past the first migration: rolled back %v, err %v", ok, err)
	}
	var tables int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('sites','urls','articles','authors')`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("after down: %d tables left, %v", tables, err)
	}
	if n2, err := db.MigrateUp(ctx); err != nil || n2 != n {
		t.Fatalf("up again: applied %d of %d, %v", n2, n, err)
	}
	if n3, err := db.MigrateUp(ctx); err != nil || n3 != 0 {
		t.Fatalf("up when current: applied %d, %v", n3, err)
	}
}

func testSite(t *testing.T, db *store.DB, host string) newsline.Site {
	t.Helper()
	s, created, err := db.UpsertSite(context.Background(), newsline.Site{
		Host: host, Name: host, Schedule: "@every 1m", Delay: time.Second, MaxPages: 10, Enabled: true,
		StartURLs: []string{"https://" + host + "/"},
	})
	if err != nil || !created {
		t.Fatalf("upsert site: created=%v %v", created, err)
	}
	return s
}

func TestSaveArticleIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testSite(t, db, "news.example")
	if n, err := db.AddURLs(ctx, site.ID, []string{"https://news.example/a", "https://news.example/a?x", "https://news.example/a"}); err != nil || n != 2 {
		t.Fatalf("add urls: %d new, %v", n, err)
	}
	if n, _ := db.AddURLs(ctx, site.ID, []string{"https://news.example/a"}); n != 0 {
		t.Fatalf("re-adding a known url counted as new")
	}
	pending, err := db.PendingURLs(ctx, site.ID, 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending: %v %v", pending, err)
	}
	pub := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	art := &newsline.Article{
		SiteID: site.ID, URL: pending[0].URL, CanonicalURL: "https://news.example/a", Title: "River accord signed",
		Authors: []string{"Jane Doe", "jane  doe", "John Roe"}, PublishedAt: &pub, Text: "The minister signed the accord.",
		HTML: "<p>The minister signed the accord.</p>", FetchedAt: time.Now(),
	}
	for i, u := range pending {
		art.URL = u.URL
		res, err := db.SaveArticle(ctx, u.ID, art, store.FetchInfo{HTTPStatus: 200, RawHTML: []byte("<html></html>")})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: store.SavedNew, false: store.SavedUnchanged}[i == 0]; res.Outcome != want {
			t.Fatalf("save %d: %s, want %s", i, res.Outcome, want)
		}
	}
	if n, _ := db.CountArticles(ctx, ""); n != 1 {
		t.Fatalf("articles stored: %d, want 1", n)
	}
	page, err := db.Articles(ctx, store.ListParams{Site: "news.example"})
	if err != nil || len(page.Articles) != 1 {
		t.Fatalf("list: %v %v", page, err)
	}
	got, err := db.Article(ctx, page.Articles[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != art.Title || len(got.Authors) != 2 || got.Authors[0] != "Jane Doe" || got.Text != art.Text || got.Site != "news.example" {
		t.Fatalf("article read back: %+v", got)
	}
	var raw []byte
	if err := db.Pool.QueryRow(ctx, `SELECT raw_html FROM articles WHERE id = $1`, got.ID).Scan(&raw); err != nil || string(raw) != "<html></html>" {
		t.Fatalf("raw page: %q %v", raw, err)
	}
	if counts, _ := db.URLCounts(ctx, site.ID); counts[store.URLFetched] != 2 {
		t.Fatalf("url states: %v", counts)
	}
}

func TestArticlesCursorPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testSite(t, db, "news.example")
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const total = 25
	for i := 0; i < total; i++ {
		u := "https://news.example/" + string(rune('a'+i))
		id := testenv.SeedURL(t, db, site, u)
		pub := base.Add(time.Duration(i%5) * time.Hour) // ties on sort time must not lose rows
		_, err := db.SaveArticle(ctx, id, &newsline.Article{SiteID: site.ID, URL: u, CanonicalURL: u, Title: u, PublishedAt: &pub, FetchedAt: base}, store.FetchInfo{})
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[int64]bool{}
	cursor := ""
	var prev *newsline.Article
	for pages := 0; ; pages++ {
		page, err := db.Articles(ctx, store.ListParams{Cursor: cursor, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		for i := range page.Articles {
			a := page.Articles[i]
			if seen[a.ID] {
				t.Fatalf("article %d on two pages", a.ID)
			}
			seen[a.ID] = true
			if prev != nil && prev.PublishedAt.Before(*a.PublishedAt) {
				t.Fatalf("not newest first")
			}
			prev = &a
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != total {
		t.Fatalf("pagination saw %d of %d articles", len(seen), total)
	}
	if _, err := db.Articles(ctx, store.ListParams{Cursor: "garbage!"}); newsline.ErrorCode(err) != newsline.EINVALID {
		t.Fatalf("bad cursor: %v", err)
	}
	// A filter naming nothing is the request's fault.
	if _, err := db.Articles(ctx, store.ListParams{Site: "nope.example"}); newsline.ErrorCode(err) != newsline.EINVALID {
		t.Fatalf("unknown site: %v", err)
	}
}

func TestDeleteSite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testSite(t, db, "gone.example")
	testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://gone.example/x", Title: "x"})
	n, err := db.DeleteSite(ctx, "GONE.example")
	if err != nil || n != 1 {
		t.Fatalf("delete: %d articles, %v", n, err)
	}
	if _, err := db.Site(ctx, "gone.example"); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Fatalf("site still there: %v", err)
	}
}
