package search_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

// seedMixed stores articles in two languages on two sites, through the
// extractor's own language detection and the store, as the crawler would.
func seedMixed(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db := testenv.DB(t)
	x := extract.New().WithDocFreq(db)
	sites := map[string]newsline.Site{}
	for _, host := range []string{"a.example", "b.example"} {
		sites[host] = testenv.SeedSite(t, db, host)
	}
	type doc struct {
		host, author, section, title, body string
		day                                int
	}
	docs := []doc{
		{"a.example", "Jane Doe", "World", "Ministers sign river treaty", "The ministers signed the river treaty on Monday after long negotiations about water rights and fishing quotas in the valley, officials said.", 1},
		{"a.example", "John Roe", "Politics", "Parliament debates budget", "Parliament debated the budget for hours while ministers defended cuts to rail services and rural schools across the country.", 10},
		{"b.example", "Jane Doe", "World", "Treaty talks resume", "Talks on the river treaty resumed in Geneva as ministers from both countries met again to settle the remaining disputes over dams.", 20},
		{"b.example", "Anna Weber", "Welt", "Minister unterzeichnen Vertrag", "Die Minister unterzeichneten am Montag nach langen Verhandlungen über Wasserrechte und Fangquoten im Tal den Vertrag über den Fluss.", 30},
	}
	for i, d := range docs {
		u := fmt.Sprintf("https://%s/story-%d", d.host, i)
		page := fmt.Sprintf(`<html><head><title>%s</title><meta name="author" content="%s"><meta property="article:section" content="%s"></head>
			<body><article><h1>%s</h1><p>%s</p><p>%s</p><p>%s</p></article></body></html>`, d.title, d.author, d.section, d.title, d.body, d.body, d.body)
		a, err := x.Extract(ctx, u, []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		pub := time.Date(2026, 10, d.day, 12, 0, 0, 0, time.UTC)
		a.PublishedAt, a.FetchedAt, a.CanonicalURL = &pub, pub, u
		a.Kind = extract.KindArticle
		testenv.SeedArticle(t, db, sites[d.host], a)
	}
	if n, err := db.FoldTermStats(ctx); err != nil || n != int64(len(docs)) {
		t.Fatalf("fold term stats: %d articles, %v", n, err)
	}
	return db
}

func TestFiltersSortAndFacets(t *testing.T) {
	t.Parallel()
	db := seedMixed(t)
	ctx := context.Background()
	zero, ten := 0.0, 10.0
	tests := []struct {
		name   string
		p      search.Params
		titles []string // in order
	}{
		{"each language by its own stems", search.Params{Query: "minister", Sort: search.SortDate},
			[]string{"Minister unterzeichnen Vertrag", "Treaty talks resume", "Parliament debates budget", "Ministers sign river treaty"}},
		{"language filter", search.Params{Query: "vertrag", Language: "de"}, []string{"Minister unterzeichnen Vertrag"}},
		{"site filter", search.Params{Query: "treaty", Site: "b.example"}, []string{"Treaty talks resume"}},
		{"author filter", search.Params{Query: "treaty", Author: "jane  doe", Sort: search.SortDate}, []string{"Treaty talks resume", "Ministers sign river treaty"}},
		{"author filter by slug", search.Params{Query: "treaty", Author: "jane-doe", Sort: search.SortDate}, []string{"Treaty talks resume", "Ministers sign river treaty"}},
		{"author and site", search.Params{Query: "treaty", Author: "Jane Doe", Site: "a.example"}, []string{"Ministers sign river treaty"}},
		{"section filter", search.Params{Query: "ministers", Section: "politics"}, []string{"Parliament debates budget"}},
		{"section by name", search.Params{Query: "treaty", Section: "World", Sort: search.SortDate}, []string{"Treaty talks resume", "Ministers sign river treaty"}},
		{"date window", search.Params{Query: "ministers", From: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)}, []string{"Parliament debates budget"}},
		{"no recency boost", search.Params{Query: "treaty", Recency: &zero}, []string{"Treaty talks resume", "Ministers sign river treaty"}},
		{"strong recency boost", search.Params{Query: "treaty", Recency: &ten}, []string{"Treaty talks resume", "Ministers sign river treaty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := search.Query(ctx, db.Pool, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Article.Title)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.titles) {
				t.Fatalf("got %q\nwant %q", got, tt.titles)
			}
		})
	}

	// Date order pages with a cursor and never repeats or skips.
	var seen []string
	p := search.Params{Query: "minister", Sort: search.SortDate, Limit: 1}
	for {
		res, err := search.Query(ctx, db.Pool, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			seen = append(seen, h.Article.Title)
		}
		if res.NextCursor == "" {
			break
		}
		p.Cursor = res.NextCursor
	}
	if len(seen) != 4 {
		t.Fatalf("cursor pages saw %q", seen)
	}

	res, err := search.Query(ctx, db.Pool, search.Params{Query: "minister", Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Facets["site"]) != "[{a.example 2} {b.example 2}]" || fmt.Sprint(res.Facets["language"]) != "[{en 3} {de 1}]" || res.FacetsCapped {
		t.Fatalf("facets %v capped %v", res.Facets, res.FacetsCapped)
	}
}

func TestBadFilters(t *testing.T) {
	t.Parallel()
	db := seedMixed(t)
	for _, tt := range []struct {
		p    search.Params
		want string
	}{
		{search.Params{Query: "treaty", Author: "Jane Do"}, `unknown author "Jane Do"; did you mean jane-doe?`},
		{search.Params{Query: "treaty", Site: "a.exampel"}, `unknown site "a.exampel"; did you mean a.example?`},
		{search.Params{Query: "treaty", Section: "wrld"}, `unknown section "wrld"; did you mean world?`},
		{search.Params{Query: "treaty", Section: "nothing-like-it"}, `unknown section "nothing-like-it"`},
	} {
		_, err := search.Query(context.Background(), db.Pool, tt.p)
		if newsline.ErrorCode(err) != newsline.EINVALID || newsline.ErrorMessage(err) != tt.want {
			t.Errorf("%+v: %v, want invalid: %s", tt.p, err, tt.want)
		}
	}
	for _, p := range []search.Params{
		{Query: "treaty", Author: "Nobody Here"},
		{Query: "treaty", Language: "english"},
		{Query: "treaty", Sort: "popular"},
		{Query: "treaty", Sort: search.SortDate, Offset: 20},
		{Query: "treaty", Cursor: "abc"},
		{Query: "treaty", Sort: search.SortDate, Cursor: "!!"},
		{Query: "treaty", From: time.Now(), To: time.Now().Add(-time.Hour)},
	} {
		if _, err := search.Query(context.Background(), db.Pool, p); newsline.ErrorCode(err) != newsline.EINVALID {
			t.Errorf("%+v: %v, want invalid", p, err)
		}
	}
}

func TestTrending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "a.example")
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	save := func(i int, title string, at time.Time) {
		u := fmt.Sprintf("https://a.example/%d", i)
		testenv.SeedArticle(t, db, site, newsline.Article{URL: u, Title: title, Text: title + " and the weather.", PublishedAt: &at, FetchedAt: at})
	}
	n := 0
	for i := 0; i < 6; i++ { // "volcano" erupts today
		save(n, "Volcano erupts near village", now.Add(-time.Duration(i+1)*time.Hour))
		n++
	}
	for i := 0; i < 5; i++ { // "weather" is in every article, today and yesterday alike
		save(n, "Election campaign continues", now.Add(-time.Duration(25+i)*time.Hour))
		n++
	}
	// The corpus statistics' words: each stem is shown as its most
	// frequent word; villa and villain are other stems.
	if _, err := db.Pool.Exec(ctx, `
		INSERT INTO corpus_docs (language, docs) VALUES ('en', 11);
		INSERT INTO term_df (language, term, df) VALUES ('en', 'village', 6), ('en', 'villages', 3), ('en', 'villa', 20),
			('en', 'villain', 30), ('en', 'erupts', 6), ('en', 'eruption', 9), ('de', 'eruptionen', 50)`); err != nil {
		t.Fatal(err)
	}
	w, err := search.TrendingWindow("24h")
	if err != nil {
		t.Fatal(err)
	}
	terms, err := search.Trending(ctx, db.Pool, w, now, 5)
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]string{}
	for _, term := range terms {
		words[term.Stem] = term.Term
	}
	if words["villag"] != "village" || words["erupt"] != "eruption" || words["volcano"] != "volcano" || words["near"] != "near" {
		t.Errorf("trending words by stem: %v", words)
	}
	found := false
	for _, term := range terms[:min(len(terms), 4)] {
		found = found || (term.Term == "volcano" && term.Now == 6 && term.Before == 0)
	}
	if !found {
		t.Fatalf("volcano not among the top trending terms: %+v", terms)
	}
	for _, term := range terms {
		if term.Term == "weather" && term.Score >= terms[0].Score {
			t.Fatalf("a steady term trends: %+v", terms)
		}
	}
	if _, err := search.TrendingWindow("1y"); newsline.ErrorCode(err) != newsline.EINVALID {
		t.Fatalf("bad window: %v", err)
	}
}
