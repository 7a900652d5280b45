package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// staleText is the body an "older extractor" left in an article.
const staleText = "zqxstale zqxstale words from an older extractor"

// reextractFixture is a crawled test site whose articles tests make stale.
type reextractFixture struct {
	*harness
	h    *jobs.Handlers // runs re-extractions in the test's goroutine
	site newsline.Site
	n    int // articles stored
}

// crawledSite crawls a small test site with a running worker.
func crawledSite(t *testing.T) *reextractFixture {
	t.Helper()
	hs := start(t)
	ts, err := testsite.Start(testsite.Config{Articles: 10, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	site := hs.addSite(t, ts)
	hs.crawl(t, site.Host)
	f := &reextractFixture{harness: hs, site: site,
		h: &jobs.Handlers{DB: hs.db, Extractor: extract.New(), Queue: hs.client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	f.n = f.count(t, `SELECT count(*) FROM articles`)
	if f.n < 5 {
		t.Fatalf("the crawl stored %d articles", f.n)
	}
	if cur := f.count(t, `SELECT count(*) FROM articles WHERE extractor_version = $1`, extract.Version); cur != f.n {
		t.Fatalf("the crawl stamped %d of %d articles with extractor version %d", cur, f.n, extract.Version)
	}
	return f
}

func (f *reextractFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// makeStale makes the articles cond selects look made by an older
// extractor: version 0, another text and kind; it returns how many.
func (f *reextractFixture) makeStale(t *testing.T, cond string) int {
	t.Helper()
	tag, err := f.db.Pool.Exec(context.Background(), `UPDATE articles SET extractor_version = 0, body_text = $1,
		content_hash = '\x00'::bytea, kind = 'stub' WHERE `+cond, staleText)
	if err != nil {
		t.Fatal(err)
	}
	return int(tag.RowsAffected())
}

func (f *reextractFixture) stale(t *testing.T) int {
	return f.count(t, `SELECT count(*) FROM articles WHERE extractor_version < $1`, extract.Version)
}

func TestReextractStaleArticles(t *testing.T) {
	f := crawledSite(t)
	ctx := context.Background()
	k := f.makeStale(t, `id % 2 = 0`)
	// A current article is skipped even though its text differs.
	if _, err := f.db.Pool.Exec(ctx, `UPDATE articles SET body_text = 'current marker' WHERE id = (SELECT min(id) FROM articles WHERE id % 2 = 1)`); err != nil {
		t.Fatal(err)
	}
	want := jobs.ReextractSummary{Pages: k, ChangedBodies: k, ChangedKinds: k}

	dry, err := f.h.Reextract(ctx, jobs.ReextractOptions{DryRun: true, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if dry.Pages != want.Pages || dry.ChangedBodies != want.ChangedBodies || dry.ChangedKinds != want.ChangedKinds || dry.ErrorCount() != 0 {
		t.Errorf("dry run: %v, want %v", dry, want)
	}
	if got := f.count(t, `SELECT count(*) FROM articles WHERE body_text = $1 AND extractor_version = 0 AND kind = 'stub'`, staleText); got != k {
		t.Errorf("a dry run changed articles: %d of %d stale ones left as they were", got, k)
	}

	sum, err := f.h.Reextract(ctx, jobs.ReextractOptions{Batch: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pages != want.Pages || sum.ChangedBodies != want.ChangedBodies || sum.ChangedKinds != want.ChangedKinds || sum.ErrorCount() != 0 {
		t.Errorf("run: %v, want %v", sum, want)
	}
	if n := f.stale(t); n != 0 {
		t.Errorf("%d articles still below extractor version %d", n, extract.Version)
	}
	checks := map[string]int{
		`SELECT count(*) FROM articles WHERE body_text = 'zqxstale zqxstale words from an older extractor'`:           0,
		`SELECT count(*) FROM articles WHERE search @@ plainto_tsquery(ts_config, 'zqxstale')`:                        0,
		`SELECT count(*) FROM articles WHERE kind = 'stub'`:                                                           0,
		`SELECT count(*) FROM articles WHERE body_text = 'current marker'`:                                            1,
		`SELECT count(*) FROM articles WHERE summary = '' OR keywords = '{}' OR search IS NULL`:                       0,
		`SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT FROM article_keywords k WHERE k.article_id = a.id)`: 0,
	}
	for sql, want := range checks {
		if got := f.count(t, sql); got != want {
			t.Errorf("%s = %d, want %d", sql, got, want)
		}
	}
	again, err := f.h.Reextract(ctx, jobs.ReextractOptions{})
	if err != nil || again.Pages != 0 {
		t.Errorf("a second run re-extracted %d pages (err %v), want none", again.Pages, err)
	}
}

func TestReextractFilters(t *testing.T) {
	f := crawledSite(t)
	ctx := context.Background()
	f.makeStale(t, `true`)
	if _, err := f.db.Pool.Exec(ctx, `UPDATE articles SET kind = 'gallery' WHERE id IN (SELECT id FROM articles ORDER BY id LIMIT 2)`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Pool.Exec(ctx, `UPDATE articles SET fetched_at = '2020-01-01' WHERE id IN (SELECT id FROM articles ORDER BY id DESC LIMIT 3)`); err != nil {
		t.Fatal(err)
	}
	other := testenv.SeedSite(t, f.db, "other.example")
	testenv.SeedArticle(t, f.db, other, newsline.Article{URL: "https://other.example/a", Title: "Other", Text: "Some text of another site's article."})

	all := store.ReextractFilter{Version: extract.Version}
	cases := []struct {
		name string
		f    store.ReextractFilter
		want int
	}{
		{"all", all, f.n + 1},
		{"site", store.ReextractFilter{Version: extract.Version, SiteID: f.site.ID}, f.n},
		{"kind", store.ReextractFilter{Version: extract.Version, Kind: "gallery"}, 2},
		{"since", store.ReextractFilter{Version: extract.Version, Since: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}, f.n + 1 - 3},
		{"current", store.ReextractFilter{Version: 0}, 0},
	}
	for _, tc := range cases {
		if got, err := f.db.CountReextract(ctx, tc.f); err != nil || got != tc.want {
			t.Errorf("%s: %d articles (err %v), want %d", tc.name, got, err, tc.want)
		}
	}
	sum, err := f.h.Reextract(ctx, jobs.ReextractOptions{Filter: store.ReextractFilter{Kind: "gallery"}})
	if err != nil || sum.Pages != 2 {
		t.Errorf("--kind gallery re-extracted %d pages (err %v), want 2", sum.Pages, err)
	}
	sum, err = f.h.Reextract(ctx, jobs.ReextractOptions{Filter: store.ReextractFilter{SiteID: other.ID}})
	if err != nil || sum.Pages != 1 {
		t.Errorf("--site other.example re-extracted %d pages (err %v), want 1", sum.Pages, err)
	}
	if got := f.stale(t); got != f.n-2 {
		t.Errorf("%d articles left stale, want %d", got, f.n-2)
	}
}

func TestReextractResumes(t *testing.T) {
	f := crawledSite(t)
	f.makeStale(t, `true`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupted after its first batch, as by Ctrl-C.
	_, err := f.h.Reextract(ctx, jobs.ReextractOptions{Batch: 2, Progress: func(jobs.ReextractSummary) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	if got := f.stale(t); got != f.n-2 {
		t.Fatalf("after one batch of 2, %d of %d articles are stale", got, f.n)
	}
	sum, err := f.h.Reextract(context.Background(), jobs.ReextractOptions{Batch: 2})
	if err != nil || sum.Pages != f.n-2 {
		t.Errorf("resumed run re-extracted %d pages (err %v), want the %d left", sum.Pages, err, f.n-2)
	}
	if got := f.stale(t); got != 0 {
		t.Errorf("%d articles stale after the resumed run", got)
	}
}

func TestReextractQueue(t *testing.T) {
	f := crawledSite(t)
	ctx := context.Background()
	f.makeStale(t, `true`)
	tasks, articles, err := f.h.QueueReextract(ctx, store.ReextractFilter{}, f.site.Host, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := (f.n + 2) / 3; tasks != want || articles != f.n {
		t.Errorf("queued %d tasks for %d articles, want %d for %d", tasks, articles, want, f.n)
	}
	waitFor(t, "the worker to re-extract every article", time.Minute, func() (bool, string) {
		n := f.stale(t)
		return n == 0, fmt.Sprint("stale articles left: ", n)
	})
	if got := f.count(t, `SELECT count(*) FROM articles WHERE body_text = $1 OR kind = 'stub'`, staleText); got != 0 {
		t.Errorf("%d articles still hold the old extraction", got)
	}
	tasks, _, err = f.h.QueueReextract(ctx, store.ReextractFilter{}, f.site.Host, 3)
	if err != nil || tasks != 0 {
		t.Errorf("queued %d tasks (err %v) with every article current, want none", tasks, err)
	}
}
