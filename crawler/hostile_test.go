package crawler_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/internal/testsite"
)

// TestHostileResponses points the crawler at every hostile behaviour of the
// test site: each must end quickly, in bounded memory, with the right
// reason recorded.
func TestHostileResponses(t *testing.T) {
	off := startSite(t, testsite.Config{Articles: 3, Seed: 8})
	s := startSite(t, testsite.Config{Articles: 20, Seed: 6})
	site := siteFor(s)
	// The metadata address is on this site's whitelist on purpose: only
	// the connect-time guard stands between the crawler and it.
	site.ExtraHosts = []string{"169.254.169.254"}
	cr := crawler.New(crawler.Options{RequestTimeout: 2 * time.Second, MaxBodyBytes: 5 << 20})
	tests := []struct {
		name, path, reason string
		temporary          bool
	}{
		{"slow drip", "/hostile/slow?seconds=20", crawler.ReasonTimeout, true},
		{"50 MB page", "/hostile/huge?mb=50", crawler.ReasonTooLarge, false},
		{"gzip bomb", "/hostile/gzip-bomb", crawler.ReasonTooLarge, false},
		{"redirect loop", "/hostile/redirect-loop", crawler.ReasonRedirects, false},
		{"redirect off the whitelist", "/hostile/redirect?to=" + off.URL + "/", crawler.ReasonOffWhitelist, false},
		{"redirect to cloud metadata", "/hostile/redirect-metadata", crawler.ReasonSSRF, false},
		{"not html", "/hostile/not-html", crawler.ReasonNotHTML, false},
		{"empty", "/hostile/empty", crawler.ReasonEmpty, false},
		{"server error", "/hostile/unavailable?key=x&times=5&after=1", "status_503", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := cr.Fetch(context.Background(), site, s.URL+tt.path, crawler.Validator{})
			elapsed := time.Since(start)
			var fe *crawler.FetchError
			if !errors.As(err, &fe) || fe.Reason != tt.reason || fe.Temporary != tt.temporary {
				t.Fatalf("got %v, want reason %s (temporary %v)", err, tt.reason, tt.temporary)
			}
			if elapsed > 4*time.Second {
				t.Errorf("took %s; the request timeout is 2s", elapsed)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := int64(after.TotalAlloc - before.TotalAlloc); grew > 64<<20 {
				t.Errorf("allocated %d MB for one page; the body limit is 5 MB", grew>>20)
			}
		})
	}
	if n := len(off.Requests()); n != 0 {
		t.Errorf("the off-whitelist host was contacted %d times", n)
	}
}

func TestWrongCharsetsAndMalformedHTML(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 5, Seed: 6})
	cr := crawler.New(crawler.Options{})
	x := extract.New()
	extractPage := func(t *testing.T, path string) extract.Article {
		t.Helper()
		p, err := cr.Fetch(context.Background(), siteFor(s), s.URL+path, crawler.Validator{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := x.Extract(context.Background(), p.URL, p.Body)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, path := range []string{
		"/hostile/wrong-charset/utf8-declared-latin1",
		"/hostile/wrong-charset/latin1-declared-utf8",
		"/hostile/wrong-charset/meta-only",
	} {
		t.Run(path, func(t *testing.T) {
			a := extractPage(t, path)
			if a.Title != testsite.CharsetTitle {
				t.Errorf("title %q, want %q", a.Title, testsite.CharsetTitle)
			}
			for _, p := range testsite.CharsetParagraphs() {
				if !strings.Contains(a.Text, p) {
					t.Errorf("text lacks %q\ngot %q", p, a.Text)
					break
				}
			}
		})
	}
	t.Run("malformed", func(t *testing.T) {
		a := extractPage(t, "/hostile/malformed")
		missing := 0
		for _, p := range testsite.MalformedParagraphs() {
			if !strings.Contains(a.Text, p) {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%d of %d paragraphs lost from the malformed page; text:\n%s", missing, len(testsite.MalformedParagraphs()), a.Text)
		}
		if strings.ContainsRune(a.Text, 0) {
			t.Errorf("NUL byte kept")
		}
	})
}

func TestRetryAfterPushesTheHostBack(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 5, Seed: 6})
	rdb := testenv.Redis(t)
	lim := crawler.NewRedisLimiter(rdb, time.Minute)
	cr := crawler.New(crawler.Options{Limiter: lim})
	site := siteFor(s)
	_, err := cr.Fetch(context.Background(), site, s.URL+"/hostile/ratelimited?key=r&times=1&after=2", crawler.Validator{})
	var fe *crawler.FetchError
	if !errors.As(err, &fe) || fe.Reason != "status_429" || !fe.Temporary || fe.RetryIn != 2*time.Second {
		t.Fatalf("got %v, want a temporary status_429 to retry in 2s", err)
	}
	// Any request to the host, by any worker sharing the Redis, now waits.
	start := time.Now()
	p, err := cr.Fetch(context.Background(), site, s.URL+"/hostile/ratelimited?key=r&times=1&after=2", crawler.Validator{})
	if err != nil || p.Status != 200 {
		t.Fatalf("second try: %v", err)
	}
	if waited := time.Since(start); waited < 1900*time.Millisecond {
		t.Fatalf("second request went out after %s; Retry-After asked for 2s", waited)
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 10, Seed: 6, CrawlDelay: 1})
	cr := crawler.New(crawler.Options{Limiter: crawler.NewLocalLimiter()})
	site := siteFor(s)
	site.Delay = 0
	for _, a := range s.Allowed()[:3] {
		if _, err := cr.Fetch(context.Background(), site, s.URL+a.Path, crawler.Validator{}); err != nil {
			t.Fatal(err)
		}
	}
	var starts []time.Time
	for _, r := range s.Requests() {
		if r.Path != "/robots.txt" {
			starts = append(starts, r.Time)
		}
	}
	checkSpacing(t, starts, time.Second)
}

func TestDiscoverSitemapIndexAndConditionalGET(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 150, Seed: 9, SitemapIndex: true})
	cr := crawler.New(crawler.Options{})
	site := siteFor(s)
	site.StartURLs = nil // feed and sitemaps only: the index and its gzipped children must do the work
	d, err := cr.Discover(context.Background(), site, crawler.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if missing := undiscovered(s, d); len(missing) > 0 {
		t.Fatalf("%s not discovered through the sitemap index (%d found; failures %v)", missing[0], len(d.Articles), d.Failures)
	}
	prior := map[string]crawler.Validator{}
	for u, src := range d.Sources {
		if src.ETag == "" && src.LastModified == "" {
			t.Errorf("%s %s: no validators", src.Kind, u)
		}
		prior[u] = src.Validator
	}
	if len(prior) < 4 { // feed, index, two gzipped sitemaps, news sitemap
		t.Fatalf("sources recorded: %v", d.Sources)
	}
	s.ResetRequests()
	d2, err := cr.Discover(context.Background(), site, crawler.DiscoverOptions{Prior: prior})
	if err != nil {
		t.Fatal(err)
	}
	if d2.NotModified < 2 {
		t.Errorf("second crawl: %d answers were 304, want the feed and the sitemap index", d2.NotModified)
	}
	for _, r := range s.Requests() {
		if (r.Path == "/feed.xml" || r.Path == "/sitemap_index.xml") && (!r.Conditional || r.Status != 304) {
			t.Errorf("second crawl: %s conditional=%v status %d", r.Path, r.Conditional, r.Status)
		}
	}
}

func TestFetchConditionalAndRevised(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 10, Seed: 6})
	cr := crawler.New(crawler.Options{})
	site := siteFor(s)
	a := s.Allowed()[0]
	p, err := cr.Fetch(context.Background(), site, s.URL+a.Path, crawler.Validator{})
	if err != nil || p.ETag == "" {
		t.Fatalf("first fetch: %v, etag %q", err, p.ETag)
	}
	v := crawler.Validator{ETag: p.ETag, LastModified: p.LastModified}
	if p2, err := cr.Fetch(context.Background(), site, s.URL+a.Path, v); err != nil || !p2.NotModified {
		t.Fatalf("unchanged page: %v, not modified %v", err, p2 != nil && p2.NotModified)
	}
	if _, err := s.Revise(a.Path); err != nil {
		t.Fatal(err)
	}
	p3, err := cr.Fetch(context.Background(), site, s.URL+a.Path, v)
	if err != nil || p3.NotModified || !strings.Contains(string(p3.Body), testsite.CorrectionText) {
		t.Fatalf("revised page: %v, not modified %v", err, p3 != nil && p3.NotModified)
	}
}
