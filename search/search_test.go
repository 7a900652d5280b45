package search_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

func seed(t *testing.T) *store.DB {
	t.Helper()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	docs := []struct{ title, body string }{
		{"River accord signed", "The river council signed the accord after a long night of talks about fishing."},
		{"Council budget", "The council passed a budget. The river was mentioned once in passing."},
		{"Election night", "Voters queued for hours; the quorvantel result surprised pollsters."},
		{"Fishing season opens", "Anglers gathered at the river as the fishing season opened at dawn."},
	}
	for i, d := range docs {
		u := fmt.Sprintf("https://news.example/story-%d", i)
		pub := time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC)
		testenv.SeedArticle(t, db, site, newsline.Article{URL: u, Title: d.title, Text: d.body, PublishedAt: &pub, FetchedAt: pub})
	}
	return db
}

func TestQueryRanksAndHighlights(t *testing.T) {
	t.Parallel()
	db := seed(t)
	ctx := context.Background()
	tests := []struct {
		q         string
		wantFirst string
		wantN     int
	}{
		{"quorvantel", "Election night", 1},
		{"river accord", "River accord signed", 1},
		{"river", "River accord signed", 3}, // title weight beats body mentions
		{`"fishing season"`, "Fishing season opens", 1},
		{"river -fishing", "Council budget", 1},
		{"quorvantel OR anglers", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := search.Query(ctx, db.Pool, search.Params{Query: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != tt.wantN {
				t.Fatalf("%d hits, want %d", len(res.Hits), tt.wantN)
			}
			if tt.wantFirst != "" && res.Hits[0].Article.Title != tt.wantFirst {
				t.Fatalf("first hit %q, want %q", res.Hits[0].Article.Title, tt.wantFirst)
			}
			if !strings.Contains(res.Hits[0].Headline, "<mark>") && !strings.Contains(tt.q, "-") {
				t.Fatalf("headline without highlight: %q", res.Hits[0].Headline)
			}
		})
	}
}

func TestQueryPaging(t *testing.T) {
	t.Parallel()
	db := seed(t)
	res, err := search.Query(context.Background(), db.Pool, search.Params{Query: "river", Limit: 2})
	if err != nil || len(res.Hits) != 2 || !res.More {
		t.Fatalf("page 1: %v more=%v err=%v", len(res.Hits), res != nil && res.More, err)
	}
	res, err = search.Query(context.Background(), db.Pool, search.Params{Query: "river", Limit: 2, Offset: 2})
	if err != nil || len(res.Hits) != 1 || res.More {
		t.Fatalf("page 2: %+v %v", res, err)
	}
}

func TestBadQueriesAreInvalidNotInternal(t *testing.T) {
	t.Parallel()
	db := seed(t)
	tests := []struct {
		name string
		p    search.Params
		code string // "" means a sane result
	}{
		{"empty", search.Params{Query: "  "}, newsline.EINVALID},
		{"stop words only", search.Params{Query: "the and of"}, newsline.EINVALID},
		{"too long", search.Params{Query: strings.Repeat("river ", 2000)}, newsline.EINVALID},
		{"unbalanced quote", search.Params{Query: `"river accord`}, ""},
		{"sql metacharacters", search.Params{Query: `river'); DROP TABLE articles; --`}, ""},
		{"tsquery operators", search.Params{Query: `river & | ! <-> :*`}, ""},
		{"unknown site", search.Params{Query: "river", Site: "nope.example"}, newsline.EINVALID},
		{"bad limit", search.Params{Query: "river", Limit: 1000}, newsline.EINVALID},
		{"deep offset", search.Params{Query: "river", Offset: 100000}, newsline.EINVALID},
		{"invalid utf8", search.Params{Query: "river \xff"}, newsline.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := search.Query(context.Background(), db.Pool, tt.p)
			if got := newsline.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
	var n int64
	db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM articles").Scan(&n)
	if n != 4 {
		t.Fatalf("articles table damaged: %d rows", n)
	}
}

func TestMatchesText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		total    int64
		estimate bool
		want     string
	}{
		{0, false, "0 matching articles"},
		{1, false, "1 matching article"},
		{51, false, "51 matching articles"},
		{1234, false, "1,234 matching articles"},
		{340000, true, "about 340,000 matching articles"},
		{1, true, "about 1 matching article"},
	}
	for _, tt := range tests {
		r := search.Results{Total: tt.total, TotalIsEstimate: tt.estimate}
		if got := r.MatchesText(); got != tt.want {
			t.Errorf("%d (estimate %v): %q, want %q", tt.total, tt.estimate, got, tt.want)
		}
	}
}
