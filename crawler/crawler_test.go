package crawler_test

import (
	"context"
	"errors"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/internal/testsite"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://News.Example.COM:443/a/b?utm_source=x&b=2&a=1#frag", "https://news.example.com/a/b?a=1&b=2"},
		{"http://news.example:80", "http://news.example/"},
		{"http://news.example:8080/x?fbclid=1&gclid=2", "http://news.example:8080/x"},
		{"https://user:pw@news.example/x?", "https://news.example/x"},
		{"https://news.example/x?q=a+b&q=a", "https://news.example/x?q=a&q=a+b"},
	}
	for _, tt := range tests {
		got, err := crawler.Normalize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"ftp://news.example/x", "javascript:alert(1)", "/relative", "http://%zz"} {
		if got, err := crawler.Normalize(bad); err == nil {
			t.Errorf("Normalize(%q) = %q, want error", bad, got)
		}
	}
}

func TestLooksLikeArticle(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/world/2026/11/19/minister-signs-accord-4f2a", true},
		{"/news/uk-politics-67234512", true},
		{"/2026/11/19/short", true},
		{"/business/central-bank-raises-rates.html", true},
		{"/", false},
		{"/section/world", false},
		{"/world", false},
		{"/tag/climate-change-policy-news", false},
		{"/about", false},
		{"/images/big-river-photo-here.jpg", false},
		{"/feed.xml", false},
	}
	for _, tt := range tests {
		if got := crawler.LooksLikeArticle(&url.URL{Path: tt.path}); got != tt.want {
			t.Errorf("LooksLikeArticle(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		want bool
	}{
		{"93.184.216.34", true}, {"2606:2800:220:1:248:1893:25c8:1946", true},
		{"127.0.0.1", false}, {"127.1.2.3", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"172.31.255.255", false},
		{"192.168.1.1", false}, {"169.254.169.254", false}, {"::1", false}, {"fc00::1", false}, {"fd12::1", false},
		{"fe80::1", false}, {"0.0.0.0", false}, {"::ffff:127.0.0.1", false}, {"100.64.0.1", false}, {"224.0.0.1", false},
	} {
		if got := crawler.PublicAddr(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("PublicAddr(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func startSite(t *testing.T, cfg testsite.Config) *testsite.Server {
	t.Helper()
	s, err := testsite.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func siteFor(s *testsite.Server) newsline.Site {
	return newsline.Site{Host: s.Host, StartURLs: []string{s.URL + "/"}, Feeds: []string{s.URL + "/feed.xml"},
		MaxPages: 500, Enabled: true, AllowPrivate: true}
}

func TestFetchOutcomes(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 40, Seed: 3})
	cr := crawler.New(crawler.Options{})
	var allowed, disallowed testsite.Article
	for _, a := range s.Articles() {
		if a.Disallowed {
			disallowed = a
		} else {
			allowed = a
		}
	}
	site := siteFor(s)
	private := site
	private.AllowPrivate = false
	tests := []struct {
		name   string
		site   newsline.Site
		url    string
		reason string // "" means success
	}{
		{"article", site, s.URL + allowed.Path, ""},
		{"robots.txt disallows", site, s.URL + disallowed.Path, crawler.ReasonRobots},
		{"loopback refused without allow_private", private, s.URL + allowed.Path, crawler.ReasonSSRF},
		{"other host", site, "http://elsewhere.example/x", crawler.ReasonOffWhitelist},
		{"missing page", site, s.URL + "/world/2026/01/01/no-such-story", "status_404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Hits(disallowed.Path)
			p, err := cr.Fetch(context.Background(), tt.site, tt.url, crawler.Validator{})
			if tt.reason == "" {
				if err != nil || p.Status != 200 || len(p.Body) == 0 {
					t.Fatalf("fetch: %v", err)
				}
				return
			}
			var fe *crawler.FetchError
			if !errors.As(err, &fe) || fe.Reason != tt.reason || fe.Temporary {
				t.Fatalf("got %v, want final failure %s", err, tt.reason)
			}
			if s.Hits(disallowed.Path) != before {
				t.Fatalf("a disallowed page was requested")
			}
		})
	}
}

// undiscovered lists the paths of s's allowed articles that d lacks.
func undiscovered(s *testsite.Server, d *crawler.Discovery) []string {
	found := map[string]bool{}
	for _, u := range d.Articles {
		found[u] = true
	}
	var missing []string
	for _, a := range s.Allowed() {
		if !found[s.URL+a.Path] {
			missing = append(missing, a.Path)
		}
	}
	return missing
}

func TestDiscoverStaysOnTheWhitelist(t *testing.T) {
	off := startSite(t, testsite.Config{Articles: 3, Seed: 5})
	s := startSite(t, testsite.Config{Articles: 200, Seed: 4, ExternalLinks: []string{off.URL + "/", off.URL + "/feed.xml"}})
	cr := crawler.New(crawler.Options{})
	d, err := cr.Discover(context.Background(), siteFor(s), crawler.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range undiscovered(s, d) {
		t.Errorf("not discovered: %s", p)
	}
	if n := len(off.Requests()); n != 0 {
		t.Errorf("off-whitelist site requested %d times", n)
	}
	if n := s.Hits("/private/"); n != 0 {
		t.Errorf("disallowed pages requested %d times", n)
	}
	for _, r := range s.Requests() {
		if u, _ := url.Parse(r.Path); crawler.LooksLikeArticle(u) {
			t.Errorf("discovery fetched an article page %s; it should only list them", r.Path)
		}
	}
}

func TestDiscoverBoundedByMaxPages(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 200, Seed: 4})
	site := siteFor(s)
	site.MaxPages = 3
	if _, err := crawler.New(crawler.Options{}).Discover(context.Background(), site, crawler.DiscoverOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Requests()); n > site.MaxPages+1 { // + robots.txt, which colly fetches itself
		t.Fatalf("%d requests for max_pages %d", n, site.MaxPages)
	}
}

// Two limiters on one Redis stand for two worker processes: together they
// never start requests to a host closer than the delay.
func TestRedisLimiterSharedAcrossClients(t *testing.T) {
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	const delay = 40 * time.Millisecond
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		rdb := redis.NewClient(opts)
		defer rdb.Close()
		lim := crawler.NewRedisLimiter(rdb, time.Minute)
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 4; i++ {
					release, err := lim.Acquire(context.Background(), "news.example", delay, 0)
					if err != nil {
						t.Error(err)
						return
					}
					release()
					mu.Lock()
					starts = append(starts, time.Now())
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	checkSpacing(t, starts, delay)
}

// checkSpacing asserts that starts are spaced by delay. A goroutine can
// wake a little late under load, which shortens the gap after it, so each
// gap must only exceed a third of the delay (two requests sharing a slot
// would show a gap near zero) while the whole run must take its full
// length.
func checkSpacing(t *testing.T, starts []time.Time, delay time.Duration) {
	t.Helper()
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < delay/3 {
			t.Errorf("requests %d and %d only %s apart, delay %s", i-1, i, gap, delay)
		}
	}
	if span, want := starts[len(starts)-1].Sub(starts[0]), time.Duration(len(starts)-1)*delay; span < want*95/100 {
		t.Errorf("%d requests took %s; at one per %s they need %s", len(starts), span, delay, want)
	}
}

func TestClassifier(t *testing.T) {
	tests := []struct {
		name             string
		include, exclude []string
		path             string
		article, listed  bool
	}{
		{"dated slug", nil, nil, "/world/2026/11/19/minister-signs-accord-4f2a", true, true},
		{"opaque", nil, nil, "/news/9f3ab2c4d1e0f7a6.html", false, true},
		{"section", nil, nil, "/section/world", false, true},
		{"image", nil, nil, "/images/big-river-photo-here.jpg", false, false},
		{"feed", nil, nil, "/feed.xml", false, false},
		{"document", nil, nil, "/reports/annual.PDF", false, false},
		{"excluded", nil, []string{`^/news/`}, "/news/9f3ab2c4d1e0f7a6.html", false, false},
		{"included", []string{`^/news/[0-9a-f]+\.html$`}, nil, "/news/9f3ab2c4d1e0f7a6.html", true, true},
		{"not included", []string{`^/story/`}, nil, "/news/9f3ab2c4d1e0f7a6.html", false, false},
		{"exclude wins", []string{`^/news/`}, []string{`\.html$`}, "/news/9f3ab2c4d1e0f7a6.html", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cls, err := crawler.NewClassifier(newsline.Site{Include: tt.include, Exclude: tt.exclude})
			if err != nil {
				t.Fatal(err)
			}
			u := &url.URL{Scheme: "https", Host: "news.example", Path: tt.path}
			if got := cls.IsArticle(u); got != tt.article {
				t.Errorf("IsArticle(%s) = %v, want %v", tt.path, got, tt.article)
			}
			if got := cls.IsListed(u); got != tt.listed {
				t.Errorf("IsListed(%s) = %v, want %v", tt.path, got, tt.listed)
			}
		})
	}
}

// TestDiscoverListedFirst: on a site whose article URLs look like no
// article's, every feed and sitemap entry is a candidate, listed ones come
// before links found on pages, and discovery reads none of them; only the
// pages it walks are offered as possible articles, and known URLs are not
// read.
func TestDiscoverListedFirst(t *testing.T) {
	s := startSite(t, testsite.Config{Articles: 60, Seed: 6, OpaqueURLs: true, LinkInBodies: true})
	var mu sync.Mutex
	var offered []string
	opts := crawler.DiscoverOptions{
		Known: func(_ context.Context, urls []string) (map[string]bool, error) {
			return map[string]bool{s.URL + "/section/sport": true}, nil
		},
		Article: func(_ context.Context, rawURL string, p *crawler.Page) (bool, error) {
			mu.Lock()
			defer mu.Unlock()
			if len(p.Body) == 0 || p.Status != 200 {
				t.Errorf("offered %s with status %d and %d bytes", rawURL, p.Status, len(p.Body))
			}
			offered = append(offered, rawURL)
			return false, nil
		},
	}
	d, err := crawler.New(crawler.Options{}).Discover(context.Background(), siteFor(s), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range undiscovered(s, d) {
		t.Errorf("not discovered: %s", p)
	}
	listed := true
	for i, u := range d.Articles {
		switch o := d.Origin[u]; {
		case o == crawler.OriginPage:
			listed = false
		case o != crawler.OriginFeed && o != crawler.OriginSitemap:
			t.Errorf("%s: origin %q", u, o)
		case !listed:
			t.Errorf("listed %s at %d after links found on pages", u, i)
		}
	}
	for _, a := range s.Allowed() {
		if o := d.Origin[s.URL+a.Path]; o == crawler.OriginPage {
			t.Errorf("%s: origin page, but the sitemap lists it", a.Path)
		}
	}
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, "/news/") || r.Path == "/section/sport" {
			t.Errorf("discovery requested %s", r.Path)
		}
	}
	if len(offered) == 0 || slices.Contains(offered, s.URL+"/") {
		t.Errorf("offered %v: want the walked pages, not the start page", offered)
	}
	for _, u := range offered {
		if slices.Contains(d.Articles, u) {
			t.Errorf("offered a candidate, %s", u)
		}
	}
}

// TestDiscoverKeepsArticlesItReads: with neither feed nor sitemap, pages
// the walk reads that the caller keeps as articles are not candidates,
// and their links are followed only with FollowArticleLinks.
func TestDiscoverKeepsArticlesItReads(t *testing.T) {
	for _, follow := range []bool{false, true} {
		s := startSite(t, testsite.Config{Articles: 40, Seed: 7, OpaqueURLs: true, LinkInBodies: true, NoSitemap: true})
		site := siteFor(s)
		site.Feeds, site.FollowArticleLinks = nil, follow
		kept := map[string]bool{}
		d, err := crawler.New(crawler.Options{}).Discover(context.Background(), site, crawler.DiscoverOptions{
			Article: func(_ context.Context, rawURL string, p *crawler.Page) (bool, error) {
				u, _ := url.Parse(rawURL)
				if _, ok := s.Lookup(u.Path); ok {
					kept[rawURL] = true
					return true, nil
				}
				return false, nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if d.Kept != len(kept) || len(kept) == 0 {
			t.Errorf("follow %v: Kept = %d, %d pages kept", follow, d.Kept, len(kept))
		}
		for _, a := range s.Allowed() {
			if u := s.URL + a.Path; kept[u] == slices.Contains(d.Articles, u) {
				t.Errorf("follow %v: %s kept %v, a candidate %v (%s)", follow, a.Path, kept[u], slices.Contains(d.Articles, u), d.Origin[u])
			}
		}
		deadSeen := 0
		for _, p := range s.DeadLinks() {
			if s.Hits(p) > 0 || slices.Contains(d.Articles, s.URL+p) {
				deadSeen++
			}
		}
		if follow != (deadSeen > 0) {
			t.Errorf("follow %v: %d dead links in article bodies requested or listed", follow, deadSeen)
		}
	}
}
