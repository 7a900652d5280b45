// Package crawler fetches pages from whitelisted news sites with colly:
// robots.txt, per-host politeness shared through Redis, an SSRF guard at
// connect time, the whitelist on every redirect hop, and discovery of
// article URLs from feeds and index pages.
package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline"
)

// Defaults for Options fields left zero.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxBodyBytes   = 5 << 20
	DefaultMaxDepth       = 3
	DefaultMaxRedirects   = 5
	// robotsTTL bounds how long a site's robots.txt is trusted.
	robotsTTL = time.Hour
)

// Options configure a Crawler.
type Options struct {
	UserAgent      string
	RequestTimeout time.Duration // total time for one request
	MaxBodyBytes   int           // larger responses fail with reason too_large
	MaxDepth       int           // link depth of discovery from a start page (start page = 1)
	Limiter        Limiter       // nil means no politeness delay (tests of pure logic only)
	Logger         *slog.Logger
}

// Crawler fetches and discovers pages. It is safe for concurrent use.
type Crawler struct {
	opts Options

	mu   sync.Mutex
	base map[string]baseCollector // by site host
}

type baseCollector struct {
	c       *colly.Collector
	key     string // the site settings it was built for
	created time.Time
}

// New returns a Crawler.
func New(opts Options) *Crawler {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "NewslineBot/0.1"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Crawler{opts: opts, base: map[string]baseCollector{}}
}

// Failure reasons recorded on URLs.
const (
	ReasonRobots       = "robots"
	ReasonOffWhitelist = "off_whitelist"
	ReasonSSRF         = "ssrf_blocked"
	ReasonTimeout      = "timeout"
	ReasonTooLarge     = "too_large"
	ReasonNotHTML      = "not_html"
	ReasonNetwork      = "network"
	ReasonRedirects    = "too_many_redirects"
)

// ErrOffWhitelist is returned for a URL, or a redirect hop, outside the
// site's hosts.
var ErrOffWhitelist = errors.New("host not on the whitelist")

var errTooManyRedirects = errors.New("too many redirects")

// FetchError is a failed fetch with the reason recorded on the URL.
type FetchError struct {
	URL       string
	Reason    string
	Status    int
	Temporary bool // worth retrying later
	Err       error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("fetch %s: %s: %v", e.URL, e.Reason, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// collector returns a fresh per-call collector for site that shares the
// site's HTTP client and robots.txt cache.
func (cr *Crawler) collector(ctx context.Context, site newsline.Site) *colly.Collector {
	key := fmt.Sprintf("%v|%v|%s", site.AllowPrivate, site.Hosts(), cr.opts.UserAgent)
	cr.mu.Lock()
	b, ok := cr.base[site.Host]
	if !ok || b.key != key || time.Since(b.created) > robotsTTL {
		b = baseCollector{c: cr.newBase(site), key: key, created: time.Now()}
		cr.base[site.Host] = b
	}
	cr.mu.Unlock()
	c := b.c.Clone()
	c.Context = ctx
	return c
}

func (cr *Crawler) newBase(site newsline.Site) *colly.Collector {
	c := colly.NewCollector(
		colly.UserAgent(cr.opts.UserAgent),
		// One byte over the limit tells a too-large body from one that
		// just fits.
		colly.MaxBodySize(cr.opts.MaxBodyBytes+1),
		colly.DetectCharset(),
		colly.ParseHTTPErrorResponse(),
	)
	c.IgnoreRobotsTxt = false
	c.AllowURLRevisit = true
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialContext(site.AllowPrivate, 10*time.Second),
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cr.opts.RequestTimeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	c.WithTransport(transport)
	c.SetRequestTimeout(cr.opts.RequestTimeout)
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= DefaultMaxRedirects {
			return errTooManyRedirects
		}
		if !site.AllowsHost(req.URL.Host) {
			return fmt.Errorf("redirect to %s: %w", req.URL.Host, ErrOffWhitelist)
		}
		return nil
	})
	return c
}

// wait applies the host's politeness delay.
func (cr *Crawler) wait(ctx context.Context, site newsline.Site, host string) error {
	if cr.opts.Limiter == nil {
		return nil
	}
	return cr.opts.Limiter.Wait(ctx, host, site.Delay)
}

// classify turns a transport or policy error into a FetchError.
func classify(rawURL string, err error) *FetchError {
	fe := &FetchError{URL: rawURL, Err: err, Reason: ReasonNetwork, Temporary: true}
	var ne net.Error
	switch {
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		fe.Reason, fe.Temporary = ReasonRobots, false
	case errors.Is(err, ErrOffWhitelist):
		fe.Reason, fe.Temporary = ReasonOffWhitelist, false
	case errors.Is(err, ErrBlockedAddress):
		fe.Reason, fe.Temporary = ReasonSSRF, false
	case errors.Is(err, errTooManyRedirects):
		fe.Reason, fe.Temporary = ReasonRedirects, false
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		fe.Reason = ReasonTimeout
	case errors.Is(err, context.Canceled):
		fe.Reason = "canceled"
	}
	return fe
}

// Page is a fetched page, its body converted to UTF-8.
type Page struct {
	URL          string // final URL after redirects
	Status       int
	ContentType  string
	ETag         string
	LastModified string
	Body         []byte
}

// Fetch fetches one article page of site. Errors are *FetchError.
func (cr *Crawler) Fetch(ctx context.Context, site newsline.Site, rawURL string) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !site.AllowsHost(u.Host) {
		return nil, &FetchError{URL: rawURL, Reason: ReasonOffWhitelist, Err: ErrOffWhitelist}
	}
	if err := cr.wait(ctx, site, u.Host); err != nil {
		return nil, classify(rawURL, err)
	}
	c := cr.collector(ctx, site)
	var page *Page
	c.OnResponse(func(r *colly.Response) {
		page = &Page{
			URL:          r.Request.URL.String(),
			Status:       r.StatusCode,
			ContentType:  r.Headers.Get("Content-Type"),
			ETag:         r.Headers.Get("ETag"),
			LastModified: r.Headers.Get("Last-Modified"),
			Body:         r.Body,
		}
	})
	if err := c.Visit(rawURL); err != nil {
		return nil, classify(rawURL, err)
	}
	if page == nil {
		return nil, &FetchError{URL: rawURL, Reason: ReasonNetwork, Temporary: true, Err: errors.New("no response")}
	}
	return page, checkPage(rawURL, page, cr.opts.MaxBodyBytes)
}

func checkPage(rawURL string, p *Page, maxBytes int) error {
	switch {
	case p.Status == http.StatusTooManyRequests || p.Status >= 500:
		return &FetchError{URL: rawURL, Reason: fmt.Sprintf("status_%d", p.Status), Status: p.Status, Temporary: true,
			Err: errors.New(http.StatusText(p.Status))}
	case p.Status >= 300:
		return &FetchError{URL: rawURL, Reason: fmt.Sprintf("status_%d", p.Status), Status: p.Status,
			Err: errors.New(http.StatusText(p.Status))}
	case len(p.Body) > maxBytes:
		return &FetchError{URL: rawURL, Reason: ReasonTooLarge, Status: p.Status,
			Err: fmt.Errorf("body over %d bytes", maxBytes)}
	}
	ct := strings.ToLower(p.ContentType)
	if ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") {
		return &FetchError{URL: rawURL, Reason: ReasonNotHTML, Status: p.Status, Err: fmt.Errorf("content type %q", p.ContentType)}
	}
	return nil
}

// Discovery is what a crawl of a site's feeds and start pages found.
type Discovery struct {
	Articles []string // normalized candidate article URLs, in discovery order
	Pages    int      // feed and index pages fetched
	Failures map[string]int
}

// Discover reads a site's feeds and start pages, follows index pages up to
// the depth limit, and returns the article URLs it found. It never leaves
// the site's hosts and fetches at most site.MaxPages pages.
func (cr *Crawler) Discover(ctx context.Context, site newsline.Site) (*Discovery, error) {
	d := &Discovery{Failures: map[string]int{}}
	seen := map[string]bool{}
	add := func(raw string) {
		n, err := Normalize(raw)
		if err != nil || seen[n] {
			return
		}
		u, _ := url.Parse(n)
		if !site.AllowsHost(u.Host) {
			return
		}
		seen[n] = true
		d.Articles = append(d.Articles, n)
	}

	c := cr.collector(ctx, site)
	c.AllowURLRevisit = false
	c.MaxDepth = cr.opts.MaxDepth
	if site.MaxPages > 0 {
		c.MaxRequests = uint32(site.MaxPages)
	}
	var sitemaps []string
	var mu sync.Mutex // colly callbacks run on the calling goroutine, but keep d safe regardless
	c.OnRequest(func(r *colly.Request) {
		if !site.AllowsHost(r.URL.Host) {
			r.Abort()
			return
		}
		if err := cr.wait(ctx, site, r.URL.Host); err != nil {
			r.Abort()
		}
	})
	c.OnResponse(func(r *colly.Response) {
		mu.Lock()
		defer mu.Unlock()
		d.Pages++
		if r.StatusCode >= 300 {
			d.Failures[fmt.Sprintf("status_%d", r.StatusCode)]++
			return
		}
		if r.Ctx.Get("kind") == "robots" {
			sitemaps = append(sitemaps, sitemapsFromRobots(r.Body)...)
			return
		}
		if r.Ctx.Get("kind") == "sitemap" || looksLikeSitemap(r.Body) {
			pages, articles, err := parseSitemap(r.Body, cr.opts.MaxBodyBytes)
			if err != nil {
				d.Failures["bad_sitemap"]++
				cr.opts.Logger.Warn("unreadable sitemap", "site", site.Host, "url", r.Request.URL.String(), "err", err)
				return
			}
			sitemaps = append(sitemaps, pages...)
			for _, a := range articles {
				if u, err := url.Parse(a); err == nil && LooksLikeArticle(u) {
					add(a)
				}
			}
			return
		}
		if r.Ctx.Get("kind") == "feed" || looksLikeFeed(r.Headers.Get("Content-Type"), r.Body) {
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(r.Body))
			if err != nil {
				d.Failures["bad_feed"]++
				cr.opts.Logger.Warn("unreadable feed", "site", site.Host, "url", r.Request.URL.String(), "err", err)
				return
			}
			for _, it := range feed.Items {
				for _, l := range append([]string{it.Link}, it.Links...) {
					if l != "" {
						add(r.Request.AbsoluteURL(l))
						break
					}
				}
			}
		}
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		abs := e.Request.AbsoluteURL(e.Attr("href"))
		if abs == "" {
			return
		}
		n, err := Normalize(abs)
		if err != nil {
			return
		}
		u, _ := url.Parse(n)
		if !site.AllowsHost(u.Host) {
			return
		}
		if LooksLikeArticle(u) {
			mu.Lock()
			add(n)
			mu.Unlock()
			return
		}
		// An index page: follow it for more links. Colly enforces depth,
		// the page budget and its own already-visited set.
		_ = e.Request.Visit(n)
	})
	var firstErr error
	visit := func(raw, kind string) {
		ctx := colly.NewContext()
		ctx.Put("kind", kind)
		if err := c.Request(http.MethodGet, raw, nil, ctx, nil); err != nil {
			var already *colly.AlreadyVisitedError
			if errors.As(err, &already) || errors.Is(err, colly.ErrMaxRequests) {
				return
			}
			fe := classify(raw, err)
			d.Failures[fe.Reason]++
			if firstErr == nil {
				firstErr = fe
			}
			cr.opts.Logger.Warn("discovery fetch failed", "site", site.Host, "url", raw, "reason", fe.Reason, "err", err)
		}
	}
	for _, f := range site.Feeds {
		visit(f, "feed")
	}
	for _, s := range site.StartURLs {
		visit(s, "page")
	}
	// Sitemaps come last: feeds and front pages list the newest articles,
	// and URLs are fetched in the order they were found. Sitemap indexes
	// add more sitemaps as they are read; MaxRequests bounds the walk.
	for _, h := range site.Hosts() {
		if len(site.Feeds)+len(site.StartURLs) > 0 {
			scheme := "https"
			if u, err := url.Parse(firstOf(site.StartURLs, site.Feeds)); err == nil {
				scheme = u.Scheme
			}
			visit(scheme+"://"+h+"/robots.txt", "robots")
		}
	}
	for i := 0; i < len(sitemaps); i++ {
		if u, err := url.Parse(sitemaps[i]); err == nil && site.AllowsHost(u.Host) {
			visit(sitemaps[i], "sitemap")
		}
	}
	if err := ctx.Err(); err != nil {
		return d, err
	}
	if d.Pages == 0 && firstErr != nil {
		return d, fmt.Errorf("crawler: discover %s: nothing could be fetched: %w", site.Host, firstErr)
	}
	return d, nil
}

func looksLikeFeed(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "rss") || strings.Contains(ct, "atom") {
		return true
	}
	head := body
	if len(head) > 512 {
		head = head[:512]
	}
	return (strings.Contains(ct, "xml") || ct == "") && (bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed")))
}

func firstOf(lists ...[]string) string {
	for _, l := range lists {
		if len(l) > 0 {
			return l[0]
		}
	}
	return ""
}

// looksLikeSitemap sniffs a sitemap, plain or gzipped, whatever link led
// to it.
func looksLikeSitemap(body []byte) bool {
	if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		return true
	}
	head := body[:min(len(body), 1024)]
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}
