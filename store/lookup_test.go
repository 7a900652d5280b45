package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

func TestPrefixEnd(t *testing.T) {
	t.Parallel()
	tests := []struct{ p, want string }{
		{"jane", "janf"}, {"a-", "a."}, {"jür", "jüs"}, {"\uD7FF", "\uE000"}, {"a\U0010FFFF", "b"}, {"", ""}, {"\U0010FFFF", ""},
	}
	for _, tt := range tests {
		if got := store.PrefixEnd(tt.p); got != tt.want {
			t.Errorf("PrefixEnd(%q) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// seedAuthors stores one article per name, the first three on
// news.example in section World, with 300 other authors around them.
func seedAuthors(t *testing.T, names ...string) *store.DB {
	t.Helper()
	db := testenv.DB(t)
	site := testSite(t, db, "news.example")
	for i := range 300 {
		names = append(names, fmt.Sprintf("Writer %03d Smith", i))
	}
	for i, name := range names {
		u := fmt.Sprintf("https://news.example/a-%d", i)
		pub := time.Date(2026, 11, 1, 0, i, 0, 0, time.UTC)
		section := "World"
		if i%2 == 1 {
			section = "Sport & Leisure"
		}
		testenv.SeedArticle(t, db, site, newsline.Article{URL: u, Title: name,
			Text: "Text by " + name + ".", Authors: []string{name}, Section: section, PublishedAt: &pub, FetchedAt: pub})
	}
	return db
}

func TestClosestNames(t *testing.T) {
	t.Parallel()
	db := seedAuthors(t, "Jane Doe", "John Roe", "Jürgen Müller")
	ctx := context.Background()
	authors := []struct{ name, want string }{
		{"jane-do", "jane-doe"},  // a truncated ending: next in slug order
		{"Jnae Doe", "jane-doe"}, // a misspelt first name: shares the surname
		{"doe", "jane-doe"},      // a surname alone
		{"jurgen mueller", "jurgen-muller"},
		{"writer 012 smit", "writer-012-smith"},
		{"zzzzzz", ""},
		{"!!!", ""},
	}
	for _, tt := range authors {
		if got, err := db.ClosestAuthor(ctx, tt.name); err != nil || got != tt.want {
			t.Errorf("ClosestAuthor(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	sections := []struct{ name, want string }{
		{"wrld", "world"}, {"sport", "sport-leisure"}, {"Sport and Leisure", "sport-leisure"}, {"politics", ""},
	}
	for _, tt := range sections {
		if got, err := db.ClosestSection(ctx, tt.name); err != nil || got != tt.want {
			t.Errorf("ClosestSection(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	keys, err := store.SectionKeys(ctx, db.Pool)
	if err != nil || fmt.Sprint(keys) != "[sport-leisure world]" {
		t.Errorf("section keys %v, %v", keys, err)
	}
	if got, err := db.ClosestSite(ctx, "news"); err != nil || got != "news.example" {
		t.Errorf("ClosestSite = %q, %v", got, err)
	}
	key, display, err := db.Section(ctx, "SPORT & leisure")
	if err != nil || key != "sport-leisure" || display != "Sport & Leisure" {
		t.Errorf("Section = %q, %q, %v", key, display, err)
	}
	if _, _, err := db.Section(ctx, "wrld"); newsline.ErrorCode(err) != newsline.ENOTFOUND || newsline.ErrorMessage(err) != `no section "wrld"; did you mean world?` {
		t.Errorf("unknown section: %v", err)
	}
}

func TestAuthorsListing(t *testing.T) {
	t.Parallel()
	db := seedAuthors(t, "Jane Doe", "Jane-Doe", "jane doe") // the last is the first's row: names are folded
	ctx := context.Background()
	page, err := db.Authors(ctx, store.AuthorListParams{Prefix: "Jane", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(page.Authors) != "[{jane-doe Jane Doe 2} {jane-doe Jane-Doe 1}]" || page.NextCursor != "" {
		t.Fatalf("jane: %+v", page)
	}
	// 302 authors, 100 a page: 4 pages, in order, none twice.
	var all []store.AuthorCount
	p := store.AuthorListParams{Limit: 100}
	for range 10 {
		page, err := db.Authors(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Authors...)
		if page.NextCursor == "" {
			break
		}
		p.Cursor = page.NextCursor
	}
	if len(all) != 302 {
		t.Fatalf("paged through %d authors, want 302", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Slug < all[i-1].Slug {
			t.Fatalf("author %d (%s) before %s", i, all[i].Slug, all[i-1].Slug)
		}
	}
	for _, bad := range []store.AuthorListParams{{Prefix: "--"}, {Limit: 101}, {Cursor: "x"}} {
		if _, err := db.Authors(ctx, bad); newsline.ErrorCode(err) != newsline.EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}

	a, err := db.Author(ctx, "JANE doe")
	if err != nil {
		t.Fatal(err)
	}
	if a.Slug != "jane-doe" || a.Name != "Jane Doe" || a.Articles != 3 || len(a.Names) != 2 ||
		fmt.Sprint(a.Sites) != "[{news.example 3}]" || a.FirstPublished == nil || !a.LastPublished.After(*a.FirstPublished) {
		t.Fatalf("author: %+v", a)
	}
	if _, err := db.Author(ctx, "jane-do"); newsline.ErrorMessage(err) != `no author "jane-do"; did you mean jane-doe?` {
		t.Fatalf("unknown author: %v", err)
	}
}

func TestSiteSummaries(t *testing.T) {
	t.Parallel()
	db := seedAuthors(t)
	ctx := context.Background()
	testSite(t, db, "empty.example")
	site, _ := db.Site(ctx, "news.example")
	started := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for i, errText := range []string{"", "robots.txt: 500"} {
		if err := db.RecordCrawlRun(ctx, store.CrawlRun{SiteID: site.ID, StartedAt: started.Add(time.Duration(i) * time.Hour),
			FinishedAt: started.Add(time.Duration(i)*time.Hour + time.Minute), Error: errText}); err != nil {
			t.Fatal(err)
		}
	}
	sums, err := db.SiteSummaries(ctx)
	if err != nil || len(sums) != 2 {
		t.Fatalf("%+v %v", sums, err)
	}
	empty, news := sums[0], sums[1]
	if empty.Host != "empty.example" || empty.Articles != 0 || empty.LastArticleAt != nil || empty.LastRun != nil {
		t.Errorf("empty: %+v", empty)
	}
	if news.Articles != 300 || news.LastArticleAt == nil || news.LastRun == nil || news.LastRun.Error != "robots.txt: 500" ||
		!news.LastRun.StartedAt.Equal(started.Add(time.Hour)) {
		t.Errorf("news: %+v %+v", news, news.LastRun)
	}
	one, err := db.SiteSummary(ctx, "NEWS.example")
	if err != nil || one.Articles != 300 {
		t.Errorf("one: %+v %v", one, err)
	}
	if _, err := db.SiteSummary(ctx, "nope.example"); newsline.ErrorCode(err) != newsline.ENOTFOUND {
		t.Errorf("unknown: %v", err)
	}
}
