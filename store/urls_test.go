package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// TestPendingURLsListedFirst: URLs listed by a feed or sitemap wait ahead
// of links found on pages, whenever they were found, and a link a sitemap
// lists later moves up with them.
func TestPendingURLsListedFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	const base = "https://news.example/"
	steps := []struct {
		source  string
		urls    []string
		wantNew int
	}{
		{store.SourcePage, []string{base + "p1", base + "p2", base + "p3"}, 3},
		{store.SourceSitemap, []string{base + "s1", base + "p2", base + "s1"}, 1}, // p2 promoted, not new
		{store.SourceFeed, []string{base + "f2", base + "f1"}, 2},
		{store.SourcePage, []string{base + "s1", base + "p4"}, 1}, // a listed URL stays listed
	}
	for _, st := range steps {
		n, err := db.AddURLsFrom(ctx, site.ID, st.source, st.urls)
		if err != nil || n != st.wantNew {
			t.Fatalf("add %v from %s: %d new, %v; want %d", st.urls, st.source, n, err, st.wantNew)
		}
	}
	want := []string{"p2", "s1", "f2", "f1", "p1", "p3", "p4"}
	for _, limit := range []int{len(want), 3} {
		pending, err := db.PendingURLs(ctx, site.ID, limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range pending {
			got = append(got, u.URL[len(base):])
		}
		if !slices.Equal(got, want[:limit]) {
			t.Errorf("pending (limit %d): %v, want %v", limit, got, want[:limit])
		}
	}
	sources := map[string]string{}
	rows, _ := db.Pool.Query(ctx, `SELECT url, source FROM urls`)
	for rows.Next() {
		var u, s string
		rows.Scan(&u, &s)
		sources[u[len(base):]] = s
	}
	if want := map[string]string{"p1": "page", "p2": "sitemap", "p3": "page", "p4": "page", "s1": "sitemap", "f1": "feed", "f2": "feed"}; !maps.Equal(sources, want) {
		t.Errorf("sources %v, want %v", sources, want)
	}
}

// TestKnownURLsAndRecordURL: every recorded URL is known to discovery but
// one that turned out to be an index page, which discovery reads again.
func TestKnownURLsAndRecordURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	site := testenv.SeedSite(t, db, "news.example")
	const base = "https://news.example/"
	testenv.SeedArticle(t, db, site, newsline.Article{URL: base + "story", Title: "Story", Text: "A story."})
	testenv.SeedArticle(t, db, site, newsline.Article{URL: base + "section", Title: "Section", Text: "Links.", Kind: "index"})
	testenv.SeedURL(t, db, site, base+"waiting")
	u, err := db.RecordURL(ctx, site.ID, base+"kept", store.SourcePage)
	if err != nil || u.URL != base+"kept" || u.State != store.URLNew || u.SiteID != site.ID {
		t.Fatalf("record url: %+v, %v", u, err)
	}
	again, err := db.RecordURL(ctx, site.ID, base+"kept", store.SourceFeed)
	if err != nil || again.ID != u.ID {
		t.Fatalf("record url again: %+v, %v; want id %d", again, err, u.ID)
	}
	story, err := db.RecordURL(ctx, site.ID, base+"story", store.SourcePage)
	if err != nil || story.State != store.URLFetched || story.ArticleID == nil {
		t.Fatalf("record a fetched url: %+v, %v", story, err)
	}
	known, err := db.KnownURLs(ctx, []string{base + "story", base + "section", base + "waiting", base + "kept", base + "never"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{base + "story": true, base + "waiting": true, base + "kept": true}; !maps.Equal(known, want) {
		t.Errorf("known %v, want %v", known, want)
	}
	if known, err := db.KnownURLs(ctx, nil); err != nil || len(known) != 0 {
		t.Errorf("known of none: %v, %v", known, err)
	}
}
