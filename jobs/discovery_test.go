package jobs_test

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/testsite"
)

// crawlOutcome is what a crawl of a test site came to, as the issue's
// closing note reports it.
type crawlOutcome struct {
	expected, stored, requests, twice int
	counts                            map[string]int // requests by path
}

func (h *harness) outcome(t *testing.T, s *testsite.Server) crawlOutcome {
	t.Helper()
	o := crawlOutcome{expected: len(s.Allowed()), counts: map[string]int{}}
	if err := h.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM articles WHERE kind = 'article'`).Scan(&o.stored); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		o.requests++
		if o.counts[r.Path]++; o.counts[r.Path] == 2 {
			o.twice++
		}
	}
	t.Logf("articles expected %d, stored %d; %d requests, %d paths requested more than once", o.expected, o.stored, o.requests, o.twice)
	return o
}

// check asserts every allowed article stored and requested exactly once,
// and no path requested twice.
func (o crawlOutcome) check(t *testing.T, s *testsite.Server) {
	t.Helper()
	if o.stored != o.expected {
		t.Errorf("%d articles stored, want %d", o.stored, o.expected)
	}
	for _, a := range s.Allowed() {
		if n := o.counts[a.Path]; n != 1 {
			t.Errorf("%s requested %d times, want once", a.Path, n)
		}
	}
	for p, n := range o.counts {
		if n > 1 && !slices.ContainsFunc(s.Allowed(), func(a testsite.Article) bool { return a.Path == p }) {
			t.Errorf("%s requested %d times", p, n)
		}
	}
}

func (h *harness) addSiteAs(t *testing.T, s newsline.Site) {
	t.Helper()
	s.Name, s.Schedule, s.Enabled, s.AllowPrivate, s.MaxConcurrency = s.Host, "@hourly", true, true, 4
	if _, _, err := h.db.UpsertSite(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// TestListedArticlesStoredOnce crawls a site whose article URLs carry no
// slug, date or numeric id, known to the crawler only through its feed and
// sitemap: every article is stored, and each page requested once.
func TestListedArticlesStoredOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	s, err := testsite.Start(testsite.Config{Articles: 60, Seed: 51, OpaqueURLs: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.addSiteAs(t, newsline.Site{Host: s.Host, Feeds: []string{s.URL + "/feed.xml"}, MaxPages: 1000})
	h.crawl(t, s.Host)
	h.outcome(t, s).check(t, s)
	if n := s.Hits("/private/"); n != 0 {
		t.Errorf("robots.txt-disallowed pages requested %d times", n)
	}
}

// TestListedBeforeLinked crawls a site of opaque article URLs listed in its
// feed and sitemap and on its home page, whose article bodies link other
// articles and pages that answer 404, with max_pages no larger than the
// site: the budget goes to the listed articles, every one is stored, and
// nothing is requested twice.
func TestListedBeforeLinked(t *testing.T) {
	t.Parallel()
	h := start(t)
	const articles = 40
	s, err := testsite.Start(testsite.Config{Articles: articles, Seed: 52, OpaqueURLs: true, LinkInBodies: true,
		DisallowedEvery: articles + 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.addSiteAs(t, newsline.Site{Host: s.Host, StartURLs: []string{s.URL + "/"}, Feeds: []string{s.URL + "/feed.xml"},
		MaxPages: articles})
	h.crawl(t, s.Host)
	o := h.outcome(t, s)
	o.check(t, s)
	for _, p := range s.DeadLinks() {
		if n := o.counts[p]; n != 0 {
			t.Errorf("dead link %s in an article body requested %d times", p, n)
		}
	}
}

// TestLinkedArticlesKeptFromDiscovery crawls a site of opaque article URLs
// with neither feed nor sitemap: discovery reads the articles the URL
// heuristic takes for index pages, and stores each from that one response
// (the pages declare themselves articles). Their links are followed only
// when the site sets follow_article_links.
func TestLinkedArticlesKeptFromDiscovery(t *testing.T) {
	t.Parallel()
	for _, follow := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "follow_article_links"}[follow], func(t *testing.T) {
			h := start(t)
			const articles = 40
			s, err := testsite.Start(testsite.Config{Articles: articles, Seed: 54, OpaqueURLs: true, LinkInBodies: true,
				NoSitemap: true, DisallowedEvery: articles + 1})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			h.addSiteAs(t, newsline.Site{Host: s.Host, StartURLs: []string{s.URL + "/"}, MaxPages: 1000, FollowArticleLinks: follow})
			h.crawl(t, s.Host)
			o := h.outcome(t, s)
			o.check(t, s)
			// With no feed or sitemap, an article whose URL looks like an
			// index page's was found and stored by discovery alone.
			kept := 0
			for _, a := range s.Allowed() {
				if u, _ := url.Parse(s.URL + a.Path); !crawler.LooksLikeArticle(u) {
					kept++
				}
			}
			if kept == 0 {
				t.Fatal("every article URL looks like one; the test needs some that do not")
			}
			dead := 0
			for _, p := range s.DeadLinks() {
				dead += o.counts[p]
			}
			if follow != (dead > 0) {
				t.Errorf("follow_article_links %v: %d requests for dead links in article bodies", follow, dead)
			}
			var runs []int
			rows, _ := h.db.Pool.Query(context.Background(), `SELECT pages FROM crawl_runs`)
			for rows.Next() {
				var n int
				rows.Scan(&n)
				runs = append(runs, n)
			}
			t.Logf("discovery read %v pages and kept %d articles; %d requests for dead links", runs, kept, dead)
		})
	}
}
