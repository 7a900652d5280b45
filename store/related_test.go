package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// TestRelated lists the articles that share the most keywords first, then
// the newest, leaving out the article itself and pages that are not
// articles.
func TestRelated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	ids := map[string]int64{}
	for i, tt := range []struct {
		name     string
		keywords []string
		kind     string
	}{
		{"self", []string{"harbour", "tide", "ships"}, ""},
		{"two shared", []string{"harbour", "tide", "rain"}, ""},
		{"one shared, newer", []string{"ships", "wind"}, ""},
		{"one shared, older", []string{"harbour", "wind"}, ""},
		{"none shared", []string{"election"}, ""},
		{"an index page", []string{"harbour", "tide", "ships"}, "index"},
	} {
		pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		if tt.name == "one shared, older" {
			pub = pub.Add(-24 * time.Hour)
		}
		ids[tt.name] = testenv.SeedArticle(t, db, site, newsline.Article{URL: fmt.Sprintf("https://news.example/%d", i), Title: tt.name,
			Text: "Text of " + tt.name, PublishedAt: &pub, Keywords: tt.keywords, Kind: tt.kind, Completeness: 0.9})
	}
	got, err := db.Related(ctx, ids["self"], []string{"harbour", "tide", "ships"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range got {
		titles = append(titles, a.Title)
	}
	want := []string{"two shared", "one shared, newer", "one shared, older"}
	if fmt.Sprint(titles) != fmt.Sprint(want) {
		t.Errorf("related %q, want %q", titles, want)
	}
	if got, err := db.Related(ctx, ids["self"], nil, 10); err != nil || len(got) != 0 {
		t.Errorf("without keywords: %v, %v", got, err)
	}
	if got, _ := db.Related(ctx, ids["self"], []string{"harbour", "tide", "ships"}, 1); len(got) != 1 || got[0].Title != "two shared" {
		t.Errorf("limit 1: %v", got)
	}
}

// BenchmarkRelated times an article page's related-articles query over an
// archive of NEWSLINE_BENCH_RELATED articles (default 200,000), each with
// eight keywords drawn from a skewed 20,000-word vocabulary as tf-idf
// keywords are: "indexed" as served (article_keywords), "naive" comparing
// every article's keywords.
//
//	go test ./store/ -run '^$' -bench Related -benchtime 20x
func BenchmarkRelated(b *testing.B) {
	ctx := context.Background()
	n := 200000
	if v, err := strconv.Atoi(os.Getenv("NEWSLINE_BENCH_RELATED")); err == nil && v > 0 {
		n = v
	}
	dbURL := testenv.MigratedDatabaseURL(b)
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		b.Fatal(err)
	}
	site := testenv.SeedSite(b, db, "news.example")
	_, err = db.Pool.Exec(ctx, `
		INSERT INTO articles (site_id, url, canonical_url, title, body_text, body_html, fetched_at, sort_at, published_at, keywords, kind, completeness)
		SELECT $1, 'https://news.example/' || g, 'https://news.example/' || g, 'Article ' || g, 'Text ' || g, '',
		       now(), now() - g * interval '1 minute', now() - g * interval '1 minute',
		       ARRAY(SELECT 'k' || floor(power(random(), 2) * 20000)::int FROM generate_series(1, 8) WHERE g > 0),
		       'article', 0.9
		FROM generate_series(1, $2::int) g`, site.ID, n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `ANALYZE articles`); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	var keywords [][]string
	rows, err := db.Pool.Query(ctx, `SELECT id, keywords FROM articles ORDER BY random() LIMIT 50`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var kw []string
		if err := rows.Scan(&id, &kw); err != nil {
			b.Fatal(err)
		}
		ids, keywords = append(ids, id), append(keywords, kw)
	}
	rows.Close()
	for _, bc := range []struct {
		name    string
		related func(context.Context, int64, []string, int) error
	}{
		{"indexed", func(ctx context.Context, id int64, kw []string, limit int) error {
			_, err := db.Related(ctx, id, kw, limit)
			return err
		}},
		{"naive", func(ctx context.Context, id int64, kw []string, limit int) error {
			_, err := db.RelatedNaive(ctx, id, kw, limit)
			return err
		}},
	} {
		b.Run(fmt.Sprintf("%s/articles=%d", bc.name, n), func(b *testing.B) {
			if err := bc.related(ctx, ids[0], keywords[0], 5); err != nil { // connects first
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				if err := bc.related(ctx, ids[i%len(ids)], keywords[i%len(ids)], 5); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRelatedFollowsChanges keeps article_keywords in step with articles:
// a corrected article's new keywords and date count, a page that stops
// being an article drops out, a deleted one is gone.
func TestRelatedFollowsChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	a := testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://news.example/a", Title: "a", Text: "A.", PublishedAt: &pub,
		Keywords: []string{"harbour"}, Completeness: 0.9})
	b := testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://news.example/b", Title: "b", Text: "B.", PublishedAt: &pub,
		Keywords: []string{"election"}, Completeness: 0.9})
	related := func() int {
		t.Helper()
		got, err := db.Related(ctx, a, []string{"harbour", "tide"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	if n := related(); n != 0 {
		t.Fatalf("%d related before the change", n)
	}
	for _, step := range []struct {
		sql  string
		want int
	}{
		{`UPDATE articles SET keywords = '{tide,rain}' WHERE id = $1`, 1},
		{`UPDATE articles SET sort_at = sort_at + interval '1 day' WHERE id = $1`, 1},
		{`UPDATE articles SET kind = 'index' WHERE id = $1`, 0},
		{`UPDATE articles SET kind = 'article' WHERE id = $1`, 1},
		{`DELETE FROM articles WHERE id = $1`, 0},
	} {
		if _, err := db.Pool.Exec(ctx, step.sql, b); err != nil {
			t.Fatal(err)
		}
		if n := related(); n != step.want {
			t.Errorf("after %s: %d related, want %d", step.sql, n, step.want)
		}
	}
}
