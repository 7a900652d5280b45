package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

func longText(topic string) string {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "The %s committee met for session %d and discussed budgets, roads and schools at length. ", topic, i)
	}
	return b.String()
}

// save stores text fetched from rawURL (with the given canonical URL) and
// returns the outcome.
func save(t *testing.T, db *store.DB, site newsline.Site, rawURL, canonical, text string) store.SaveResult {
	t.Helper()
	ctx := context.Background()
	id := testenv.SeedURL(t, db, site, rawURL)
	sum := sha256.Sum256([]byte(text))
	res, err := db.SaveArticle(ctx, id, &newsline.Article{SiteID: site.ID, URL: rawURL, CanonicalURL: canonical,
		Title: "Committee meets", Text: text, WordCount: len(strings.Fields(text)), FetchedAt: time.Now()},
		store.FetchInfo{HTTPStatus: 200, ContentHash: sum[:], SimHash: extract.SimHash(text)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSaveArticleDeduplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	a := testSite(t, db, "a.example")
	b := testSite(t, db, "b.example")
	text := longText("transport")
	first := save(t, db, a, "https://a.example/story", "https://a.example/story", text)
	if first.Outcome != store.SavedNew {
		t.Fatalf("first copy: %s", first.Outcome)
	}
	steps := []struct {
		name, site, url, canonical, text, want string
	}{
		{"same text at a second URL", "a", "https://a.example/mirror/story", "https://a.example/mirror/story", text, store.SavedAlias},
		{"syndicated to another site", "b", "https://b.example/wire/story", "https://b.example/wire/story", text, store.SavedAlias},
		{"near copy with a footer", "b", "https://b.example/wire/story-2", "https://b.example/wire/story-2",
			text + " This story first appeared in the A Example Gazette.", store.SavedAlias},
		{"same canonical URL", "a", "https://a.example/story?page=1", "https://a.example/story", text, store.SavedUnchanged},
		{"a different article", "a", "https://a.example/other", "https://a.example/other", longText("housing"), store.SavedNew},
	}
	sites := map[string]newsline.Site{"a": a, "b": b}
	for _, s := range steps {
		res := save(t, db, sites[s.site], s.url, s.canonical, s.text)
		if res.Outcome != s.want {
			t.Errorf("%s: %s, want %s", s.name, res.Outcome, s.want)
		}
		if s.want != store.SavedNew && res.ArticleID != first.ArticleID {
			t.Errorf("%s: linked to article %d, want %d", s.name, res.ArticleID, first.ArticleID)
		}
	}
	if n, _ := db.CountArticles(ctx, ""); n != 2 {
		t.Errorf("%d articles stored, want 2", n)
	}
	st, err := db.Stats(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Aliases != 2 {
		t.Errorf("site b: %d aliases, want 2", st.Aliases)
	}
}

func TestRefetchCountsRevisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	a := testSite(t, db, "a.example")
	text := longText("water")
	if r := save(t, db, a, "https://a.example/story", "https://a.example/story", text); r.Outcome != store.SavedNew {
		t.Fatalf("first fetch: %s", r.Outcome)
	}
	var next time.Time
	var count int
	db.Pool.QueryRow(ctx, `SELECT next_fetch_at, fetch_count FROM urls WHERE url = 'https://a.example/story'`).Scan(&next, &count)
	if count != 1 || time.Until(next) < 59*time.Minute || time.Until(next) > 61*time.Minute {
		t.Fatalf("after the first fetch: count %d, next fetch in %s; want 1 and 1h", count, time.Until(next))
	}
	if r := save(t, db, a, "https://a.example/story", "https://a.example/story", text); r.Outcome != store.SavedUnchanged {
		t.Fatalf("same text again: %s", r.Outcome)
	}
	corrected := text + " Correction: an earlier version misstated the budget."
	if r := save(t, db, a, "https://a.example/story", "https://a.example/story", corrected); r.Outcome != store.SavedUpdated {
		t.Fatalf("corrected text: %s", r.Outcome)
	}
	var revisions int
	var body string
	db.Pool.QueryRow(ctx, `SELECT revisions, body_text FROM articles`).Scan(&revisions, &body)
	if revisions != 2 || !strings.Contains(body, "Correction:") {
		t.Fatalf("revisions %d, body updated %v", revisions, strings.Contains(body, "Correction:"))
	}
	var indexed bool
	db.Pool.QueryRow(ctx, `SELECT search @@ websearch_to_tsquery('english', 'misstated') FROM articles`).Scan(&indexed)
	if !indexed {
		t.Fatalf("the correction is not in the search vector")
	}
	var nextAt *time.Time
	db.Pool.QueryRow(ctx, `SELECT next_fetch_at, fetch_count FROM urls WHERE url = 'https://a.example/story'`).Scan(&nextAt, &count)
	if count != 3 || nextAt != nil {
		t.Fatalf("after three fetches with ages [1h, 24h]: count %d, next %v; want 3 and none", count, nextAt)
	}
	// A copy fetched again never rewrites the article it copies.
	save(t, db, a, "https://a.example/copy", "https://a.example/copy", corrected)
	if r := save(t, db, a, "https://a.example/copy", "https://a.example/copy", longText("other")); r.Outcome != store.SavedAlias {
		t.Fatalf("copy changed: %s", r.Outcome)
	}
	db.Pool.QueryRow(ctx, `SELECT revisions FROM articles`).Scan(&revisions)
	if revisions != 2 {
		t.Fatalf("a copy's change touched the article: revisions %d", revisions)
	}
}

func TestTermStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	a := testSite(t, db, "a.example")
	for i, terms := range [][]string{{"river", "dam"}, {"river", "budget"}, {"river"}} {
		u := fmt.Sprintf("https://a.example/%d", i)
		testenv.SeedArticle(t, db, a, newsline.Article{URL: u, Title: "t", Language: "en", Terms: terms})
	}
	if _, docs, _ := db.DocFreq(ctx, "en", []string{"river"}); docs != 0 {
		t.Fatalf("statistics counted before the fold: %d docs", docs)
	}
	if n, err := db.FoldTermStats(ctx); err != nil || n != 3 {
		t.Fatalf("fold: %d, %v", n, err)
	}
	df, docs, err := db.DocFreq(ctx, "en", []string{"river", "dam", "nothing"})
	if err != nil || docs != 3 || df["river"] != 3 || df["dam"] != 1 || df["nothing"] != 0 {
		t.Fatalf("df %v docs %d err %v", df, docs, err)
	}
	if n, _ := db.FoldTermStats(ctx); n != 0 {
		t.Fatalf("second fold counted %d again", n)
	}
}

func TestDocFreqCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	a := testSite(t, db, "a.example")
	u := "https://a.example/1"
	testenv.SeedArticle(t, db, a, newsline.Article{URL: u, Title: "t", Language: "en", Terms: []string{"river"}})
	if _, err := db.FoldTermStats(ctx); err != nil {
		t.Fatal(err)
	}
	c := store.NewDocFreqCache(db, time.Hour)
	df, docs, err := c.DocFreq(ctx, "en", []string{"river", "dam"})
	if err != nil || docs != 1 || df["river"] != 1 || df["dam"] != 0 {
		t.Fatalf("first lookup: %v %d %v", df, docs, err)
	}
	db.Pool.Exec(ctx, `UPDATE term_df SET df = 99`)
	if df, _, _ := c.DocFreq(ctx, "en", []string{"river"}); df["river"] != 1 {
		t.Fatalf("cached value not used: %v", df)
	}
	if df, _, _ := store.NewDocFreqCache(db, time.Hour).DocFreq(ctx, "en", []string{"river"}); df["river"] != 99 {
		t.Fatalf("fresh cache: %v", df)
	}

	// Past its TTL a snapshot is still served while a reload runs, and
	// the reload's figures follow.
	stale := store.NewDocFreqCache(db, time.Millisecond)
	if df, _, _ := stale.DocFreq(ctx, "en", []string{"river"}); df["river"] != 99 {
		t.Fatalf("first load: %v", df)
	}
	db.Pool.Exec(ctx, `UPDATE term_df SET df = 7`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		time.Sleep(2 * time.Millisecond)
		df, _, err := stale.DocFreq(ctx, "en", []string{"river"})
		if err != nil {
			t.Fatal(err)
		}
		if df["river"] == 7 {
			break
		}
		if df["river"] != 99 || time.Now().After(deadline) {
			t.Fatalf("after the TTL: %v, want the stale 99 and then 7", df)
		}
	}
}
