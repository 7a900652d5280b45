package search_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// seedDays stores one article a day for n days, newest on day n: every one
// mentions a river, every other one a harbour, every tenth a blue heron
// and every fortieth a lighthouse; then it analyzes the table, as
// autovacuum would, so the planner's estimates are real.
func seedDays(t *testing.T, n int) (*store.DB, time.Time) {
	t.Helper()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	day0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	_, err := db.Pool.Exec(ctx, `
		INSERT INTO articles (site_id, url, canonical_url, title, body_text, body_html, sort_at, published_at, fetched_at, language)
		SELECT $1, u, u, 'Day ' || d, b, '<p>' || b || '</p>', t, t, t, 'en'
		FROM generate_series(1, $2) AS d,
		LATERAL (SELECT 'https://news.example/day-' || d AS u, $3::timestamptz + (d - 1) * interval '1 day' AS t,
			'The river rose on day ' || d || '.' ||
			CASE WHEN d % 2 = 0 THEN ' Boats left the harbour early.' ELSE '' END ||
			CASE WHEN d % 10 = 0 THEN ' A blue heron stood on the bank.' ELSE ' A heron flew by, blue sky above.' END ||
			CASE WHEN d % 40 = 0 THEN ' The lighthouse keeper waved.' ELSE '' END AS b) x`,
		site.ID, n, day0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO corpus_docs (language, docs) VALUES ('en', $1)`, n); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `ANALYZE articles`); err != nil {
		t.Fatal(err)
	}
	return db, day0
}

// TestCandidateWindow checks relevance order over a candidate window: a
// word in every article is ranked over about Depth of the newest, said so,
// and pages on with the window widened; a rare word is ranked whole.
func TestCandidateWindow(t *testing.T) {
	t.Parallel()
	db, day0 := seedDays(t, 400)
	ctx := context.Background()
	s := search.New(db.Pool)
	s.Depth = 20

	res, err := s.Query(ctx, search.Params{Query: "river", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Since.IsZero() || res.Ranked < 10 || res.Ranked > 100 {
		t.Fatalf("a word in every article: since %v, ranked %d; want a window of about 20", res.Since, res.Ranked)
	}
	if !res.TotalIsEstimate || res.Total < 300 || res.Total > 500 {
		t.Errorf("total %d (estimate %v), want an estimate of about 400", res.Total, res.TotalIsEstimate)
	}
	for i, h := range res.Hits {
		if h.Article.PublishedAt.Before(res.Since) {
			t.Errorf("hit %d published %s, before the window's start %s", i, h.Article.PublishedAt, res.Since)
		}
		if i > 0 && h.Rank > res.Hits[i-1].Rank {
			t.Errorf("hit %d ranks above the one before it", i)
		}
	}
	if !res.More {
		t.Error("no next page though the window holds more matches")
	}

	// Page 4 needs more candidates than the first window holds.
	page, err := s.Query(ctx, search.Params{Query: "river", Limit: 10, Offset: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Hits) != 10 || page.Ranked < 41 {
		t.Errorf("offset 30: %d hits from %d ranked; want 10, from at least 41", len(page.Hits), page.Ranked)
	}

	// One in forty: ranked whole, nothing to say about a window.
	rare, err := s.Query(ctx, search.Params{Query: "lighthouse", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(rare.Hits) != 10 || !rare.Since.IsZero() {
		t.Errorf("lighthouse: %d hits, since %v; want all 10, no window", len(rare.Hits), rare.Since)
	}

	// Half the archive, within a date range: the window stays inside it.
	from, to := day0.AddDate(0, 0, 100), day0.AddDate(0, 0, 200)
	s.Depth = 10
	dated, err := s.Query(ctx, search.Params{Query: "harbour", From: from, To: to, Limit: 5, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range dated.Hits {
		if h.Article.PublishedAt.Before(from) || !h.Article.PublishedAt.Before(to) || h.Article.Title == "" {
			t.Errorf("harbour: hit %q published %s, outside [%s, %s)", h.Article.Title, h.Article.PublishedAt, from, to)
		}
	}
	if len(dated.Hits) != 5 || dated.Facets["site"] == nil || !dated.FacetsCapped {
		t.Errorf("harbour: %d hits, facets %v capped %v; want 5 and capped facets over the window", len(dated.Hits), dated.Facets, dated.FacetsCapped)
	}

	// A phrase: the articles holding both words are read within a budget,
	// and only the phrase's own matches come back.
	phrase, err := s.Query(ctx, search.Params{Query: `"blue heron"`, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(phrase.Hits) == 0 {
		t.Fatal(`"blue heron": no hits`)
	}
	for _, h := range phrase.Hits {
		day := int(h.Article.PublishedAt.Sub(day0).Hours()/24) + 1
		if day%10 != 0 {
			t.Errorf(`"blue heron" matched day %d, which has only "heron ... blue"`, day)
		}
	}
}

// TestDateOrderWindow pages through a word in every article newest first:
// each page's window moves with the cursor, and every article comes once,
// in order.
func TestDateOrderWindow(t *testing.T) {
	t.Parallel()
	db, _ := seedDays(t, 120)
	ctx := context.Background()
	s := search.New(db.Pool)
	p := search.Params{Query: "harbour", Sort: search.SortDate, Limit: 7}
	var got []time.Time
	for range 20 {
		res, err := s.Query(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got = append(got, *h.Article.PublishedAt)
		}
		if res.NextCursor == "" {
			break
		}
		p.Cursor = res.NextCursor
	}
	if len(got) != 60 {
		t.Fatalf("paged through %d articles, want 60", len(got))
	}
	for i := 1; i < len(got); i++ {
		if !got[i].Before(got[i-1]) {
			t.Fatalf("article %d (%s) is not older than the one before (%s)", i, got[i], got[i-1])
		}
	}
}

// TestTotals checks when a search says how many articles match exactly
// and when it estimates.
func TestTotals(t *testing.T) {
	t.Parallel()
	db, _ := seedDays(t, 400)
	ctx := context.Background()
	s := search.New(db.Pool)
	s.Depth = 20
	tests := []struct {
		name     string
		p        search.Params
		total    int64 // exact; 0 for an estimate
		estimate bool
	}{
		{"relevance, window", search.Params{Query: "river"}, 0, true},
		{"relevance, every match ranked", search.Params{Query: "lighthouse", Limit: 3}, 10, false},
		{"relevance, a page past the last match", search.Params{Query: "lighthouse", Offset: 40}, 10, false},
		{"date order, counted", search.Params{Query: "harbour", Sort: search.SortDate, Limit: 5}, 200, false},
		{"date order, a filter", search.Params{Query: "river", Sort: search.SortDate, From: time.Date(2025, 1, 11, 0, 0, 0, 0, time.UTC)}, 390, false},
		{"nothing", search.Params{Query: "volcano"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Query(ctx, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalIsEstimate != tt.estimate || !tt.estimate && res.Total != tt.total {
				t.Fatalf("total %d, estimate %v; want %d, estimate %v", res.Total, res.TotalIsEstimate, tt.total, tt.estimate)
			}
			if tt.estimate && (res.Total < int64(res.Ranked) || res.Total < 100) {
				t.Fatalf("estimate %d below the %d ranked", res.Total, res.Ranked)
			}
		})
	}

	// The next page of a date-ordered search counts every match, not
	// those after the cursor.
	first, err := s.Query(ctx, search.Params{Query: "harbour", Sort: search.SortDate, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	next, err := s.Query(ctx, search.Params{Query: "harbour", Sort: search.SortDate, Limit: 5, Cursor: first.NextCursor})
	if err != nil || next.Total != 200 || next.TotalIsEstimate {
		t.Fatalf("page 2: total %d, estimate %v, %v", next.Total, next.TotalIsEstimate, err)
	}
}

// TestTotalCapped: date order counts at most some thousands of matches and
// estimates beyond.
func TestTotalCapped(t *testing.T) {
	t.Parallel()
	db, _ := seedDays(t, 2100)
	res, err := search.New(db.Pool).Query(context.Background(), search.Params{Query: "river", Sort: search.SortDate})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TotalIsEstimate || res.Total <= 2000 {
		t.Fatalf("total %d, estimate %v; want an estimate above 2,000", res.Total, res.TotalIsEstimate)
	}
}
