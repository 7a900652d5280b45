package crawler_test

import (
	"context"
	"testing"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/testsite"
)

// TestDiscoverStreamsCandidates: with DiscoverOptions.Candidates,
// discovery hands every article over in batches of at most
// CandidateBatch, listed origins included, and collects none itself.
func TestDiscoverStreamsCandidates(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 1200, Seed: 4, SitemapIndex: true, DisallowedEvery: 1201})
	got := map[string]bool{}
	calls := 0
	d, err := crawler.New(crawler.Options{}).Discover(context.Background(), siteFor(s), crawler.DiscoverOptions{
		Candidates: func(_ context.Context, origin string, urls []string) error {
			calls++
			if len(urls) == 0 || len(urls) > crawler.CandidateBatch {
				t.Errorf("batch of %d URLs from %s, want 1 to %d", len(urls), origin, crawler.CandidateBatch)
			}
			for _, u := range urls {
				got[u] = true
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Articles) != 0 || len(d.Origin) != 0 {
		t.Errorf("discovery collected %d candidates itself", len(d.Articles))
	}
	if calls < 3 {
		t.Errorf("%d Candidates calls for 1,200 articles, want batches", calls)
	}
	for _, a := range s.Allowed() {
		if !got[s.URL+a.Path] {
			t.Errorf("not handed over: %s", a.Path)
		}
	}
	if d.Found < len(s.Allowed()) {
		t.Errorf("Found %d, want at least %d", d.Found, len(s.Allowed()))
	}
}
