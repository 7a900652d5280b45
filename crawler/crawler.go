// Package crawler fetches pages from whitelisted news sites with colly:
// robots.txt with Crawl-delay, per-host politeness shared through Redis,
// an SSRF guard at connect time, the whitelist on every redirect hop, size
// and time limits, charset repair, conditional GET, and discovery of
// article URLs from feeds, sitemaps and index pages.
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
	"regexp"
	"strconv"
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
	DefaultConnectTimeout = 10 * time.Second
	DefaultMaxBodyBytes   = 5 << 20
	DefaultMaxDepth       = 3
	DefaultMaxRedirects   = 5
	// DefaultRetryAfter is the back-off for a 429 or 503 without a usable
	// Retry-After; MaxRetryAfter caps what a server may ask for.
	DefaultRetryAfter = 30 * time.Second
	MaxRetryAfter     = time.Hour
	// clientTTL bounds how long a site's HTTP client is reused before its
	// settings are re-read.
	clientTTL = time.Hour
)

// Options configure a Crawler.
type Options struct {
	UserAgent      string
	RequestTimeout time.Duration // total time for one request, body included
	ConnectTimeout time.Duration
	MaxBodyBytes   int     // larger responses fail with reason too_large
	MaxDepth       int     // discovery depth when a site sets none
	Limiter        Limiter // nil means no politeness (benchmarks and pure logic tests only)
	Logger         *slog.Logger
}

// Crawler fetches and discovers pages. It is safe for concurrent use.
type Crawler struct {
	opts   Options
	robots *robotsCache

	mu    sync.Mutex
	sites map[string]siteClient // by site host
}

// siteClient is what one site's requests share: a colly collector (cloned
// per call) and a plain client for robots.txt, both on the guarded
// transport.
type siteClient struct {
	collector *colly.Collector
	client    *http.Client
	key       string // the site settings it was built for
	created   time.Time
}

// New returns a Crawler.
func New(opts Options) *Crawler {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
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
	return &Crawler{opts: opts, robots: newRobotsCache(), sites: map[string]siteClient{}}
}

// Failure reasons recorded on URLs.
const (
	ReasonRobots        = "robots"
	ReasonRobotsUnavail = "robots_unavailable"
	ReasonOffWhitelist  = "off_whitelist"
	ReasonSSRF          = "ssrf_blocked"
	ReasonTimeout       = "timeout"
	ReasonTooLarge      = "too_large"
	ReasonNotHTML       = "not_html"
	ReasonEmpty         = "empty"
	ReasonNetwork       = "network"
	ReasonRedirects     = "too_many_redirects"
	ReasonCanceled      = "canceled"
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
	Temporary bool          // worth retrying later
	RetryIn   time.Duration // the server's Retry-After, when it sent one
	Err       error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("fetch %s: %s: %v", e.URL, e.Reason, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// client returns the site's shared collector and robots client.
func (cr *Crawler) client(site newsline.Site) siteClient {
	key := fmt.Sprintf("%v|%v|%s", site.AllowPrivate, site.Hosts(), cr.opts.UserAgent)
	cr.mu.Lock()
	defer cr.mu.Unlock()
	sc, ok := cr.sites[site.Host]
	if ok && sc.key == key && time.Since(sc.created) < clientTTL {
		return sc
	}
	transport := &limitTransport{
		base: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer(site.AllowPrivate, cr.opts.ConnectTimeout).DialContext,
			TLSHandshakeTimeout:   cr.opts.ConnectTimeout,
			ResponseHeaderTimeout: cr.opts.RequestTimeout,
			MaxIdleConnsPerHost:   max(site.MaxConcurrency, 2),
			IdleConnTimeout:       90 * time.Second,
		},
		maxBytes: int64(cr.opts.MaxBodyBytes),
	}
	redirect := func(req *http.Request, via []*http.Request) error {
		if len(via) >= DefaultMaxRedirects {
			return errTooManyRedirects
		}
		if !site.AllowsHost(req.URL.Host) {
			return fmt.Errorf("redirect to %s: %w", req.URL.Host, ErrOffWhitelist)
		}
		return nil
	}
	c := colly.NewCollector(
		colly.UserAgent(cr.opts.UserAgent),
		// One byte over the limit tells a too-large body from one that
		// just fits; limitTransport hands over at most that many.
		colly.MaxBodySize(cr.opts.MaxBodyBytes+1),
		colly.ParseHTTPErrorResponse(),
		colly.IgnoreRobotsTxt(), // applied by the crawler, with Crawl-delay
	)
	c.AllowURLRevisit = true
	c.WithTransport(transport)
	c.SetRequestTimeout(cr.opts.RequestTimeout)
	c.SetRedirectHandler(redirect)
	sc = siteClient{
		collector: c,
		client:    &http.Client{Transport: transport, Timeout: cr.opts.RequestTimeout, CheckRedirect: redirect},
		key:       key,
		created:   time.Now(),
	}
	cr.sites[site.Host] = sc
	return sc
}

// collector returns a fresh per-call collector sharing the site's client.
func (cr *Crawler) collector(ctx context.Context, site newsline.Site) (*colly.Collector, *http.Client) {
	sc := cr.client(site)
	c := sc.collector.Clone()
	c.Context = ctx
	return c, sc.client
}

// checkRobots applies robots.txt to u and returns the delay the host asks
// for.
func (cr *Crawler) checkRobots(ctx context.Context, client *http.Client, site newsline.Site, u *url.URL) (time.Duration, *FetchError) {
	rules := cr.robots.get(ctx, client, cr.opts.UserAgent, u.Scheme+"://"+u.Host)
	if rules.denyAll {
		// A policy refusal (SSRF guard, whitelist) is final and named as
		// such; anything else is a robots.txt that may come back.
		if fe := classify(u.String(), rules.err); rules.err != nil && !fe.Temporary {
			return 0, fe
		}
		return 0, &FetchError{URL: u.String(), Reason: ReasonRobotsUnavail, Temporary: true,
			Err: fmt.Errorf("robots.txt could not be read (%v); nothing is fetched until it can", rules.err)}
	}
	if !rules.allowed(cr.opts.UserAgent, u.RequestURI()) {
		return 0, &FetchError{URL: u.String(), Reason: ReasonRobots, Err: errors.New("disallowed by robots.txt")}
	}
	return max(site.Delay, rules.crawlDelay(cr.opts.UserAgent)), nil
}

func (cr *Crawler) acquire(ctx context.Context, site newsline.Site, host string, delay time.Duration) (func(), error) {
	if cr.opts.Limiter == nil {
		return func() {}, nil
	}
	return cr.opts.Limiter.Acquire(ctx, host, delay, site.MaxConcurrency)
}

// classify turns a transport or policy error into a FetchError.
func classify(rawURL string, err error) *FetchError {
	fe := &FetchError{URL: rawURL, Err: err, Reason: ReasonNetwork, Temporary: true}
	var ne net.Error
	switch {
	case errors.Is(err, ErrOffWhitelist):
		fe.Reason, fe.Temporary = ReasonOffWhitelist, false
	case errors.Is(err, ErrBlockedAddress):
		fe.Reason, fe.Temporary = ReasonSSRF, false
	case errors.Is(err, errTooManyRedirects):
		fe.Reason, fe.Temporary = ReasonRedirects, false
	case errors.Is(err, errBodyTooLarge):
		fe.Reason, fe.Temporary = ReasonTooLarge, false
	case errors.Is(err, context.Canceled):
		fe.Reason = ReasonCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		fe.Reason = ReasonTimeout
	}
	return fe
}

// Validator is what a previous fetch of a URL said about its version.
type Validator struct {
	ETag         string
	LastModified string
}

func (v Validator) header() http.Header {
	h := http.Header{}
	if v.ETag != "" {
		h.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		h.Set("If-Modified-Since", v.LastModified)
	}
	return h
}

// Page is a fetched page, its body converted to UTF-8.
type Page struct {
	URL          string // final URL after redirects
	Status       int
	NotModified  bool // 304: the version in prior is still current
	ContentType  string
	ETag         string
	LastModified string
	Body         []byte
	retryAfter   string
}

// Fetch fetches one article page of site; prior, when set, makes it a
// conditional GET. Errors are *FetchError.
func (cr *Crawler) Fetch(ctx context.Context, site newsline.Site, rawURL string, prior Validator) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !site.AllowsHost(u.Host) {
		return nil, &FetchError{URL: rawURL, Reason: ReasonOffWhitelist, Err: ErrOffWhitelist}
	}
	c, client := cr.collector(ctx, site)
	delay, ferr := cr.checkRobots(ctx, client, site, u)
	if ferr != nil {
		return nil, ferr
	}
	release, err := cr.acquire(ctx, site, u.Host, delay)
	if err != nil {
		return nil, classify(rawURL, err)
	}
	defer release()
	var page *Page
	c.OnResponse(func(r *colly.Response) {
		page = &Page{
			URL:          r.Request.URL.String(),
			Status:       r.StatusCode,
			NotModified:  r.StatusCode == http.StatusNotModified,
			ContentType:  r.Headers.Get("Content-Type"),
			ETag:         r.Headers.Get("ETag"),
			LastModified: r.Headers.Get("Last-Modified"),
			Body:         r.Body,
		}
		page.retryAfter = r.Headers.Get("Retry-After")
	})
	if err := c.Request(http.MethodGet, rawURL, nil, nil, prior.header()); err != nil {
		return nil, classify(rawURL, err)
	}
	if page == nil {
		return nil, &FetchError{URL: rawURL, Reason: ReasonNetwork, Temporary: true, Err: errors.New("no response")}
	}
	if page.Status == http.StatusTooManyRequests || page.Status == http.StatusServiceUnavailable {
		wait := parseRetryAfter(page.retryAfter, time.Now())
		if cr.opts.Limiter != nil {
			_ = cr.opts.Limiter.Backoff(ctx, u.Host, wait)
		}
		return nil, &FetchError{URL: rawURL, Reason: fmt.Sprintf("status_%d", page.Status), Status: page.Status,
			Temporary: true, RetryIn: wait, Err: fmt.Errorf("%s; retry in %s", http.StatusText(page.Status), wait)}
	}
	if page.NotModified {
		return page, nil
	}
	return page, checkPage(rawURL, page, cr.opts.MaxBodyBytes)
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date, within
// sane bounds.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	d := DefaultRetryAfter
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, time.Second), MaxRetryAfter)
}

func checkPage(rawURL string, p *Page, maxBytes int) error {
	switch {
	case p.Status >= 500:
		return &FetchError{URL: rawURL, Reason: fmt.Sprintf("status_%d", p.Status), Status: p.Status, Temporary: true,
			Err: errors.New(http.StatusText(p.Status))}
	case p.Status >= 300:
		return &FetchError{URL: rawURL, Reason: fmt.Sprintf("status_%d", p.Status), Status: p.Status,
			Err: errors.New(http.StatusText(p.Status))}
	case len(p.Body) > maxBytes:
		return &FetchError{URL: rawURL, Reason: ReasonTooLarge, Status: p.Status,
			Err: fmt.Errorf("body over %d bytes", maxBytes)}
	case len(bytes.TrimSpace(p.Body)) == 0:
		return &FetchError{URL: rawURL, Reason: ReasonEmpty, Status: p.Status, Err: errors.New("empty body")}
	}
	ct := strings.ToLower(p.ContentType)
	if ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") {
		return &FetchError{URL: rawURL, Reason: ReasonNotHTML, Status: p.Status, Err: fmt.Errorf("content type %q", p.ContentType)}
	}
	return nil
}

// Source is what discovery learned about one feed or sitemap.
type Source struct {
	Kind   string // feed or sitemap
	Status int
	Validator
}

// Discovery is what a crawl of a site's feeds, sitemaps and start pages
// found.
type Discovery struct {
	Articles    []string // normalized candidate article URLs, newest sources first
	Pages       int      // pages fetched
	NotModified int      // feeds and sitemaps that answered 304
	Failures    map[string]int
	Sources     map[string]Source // feeds and sitemaps by URL, with their new validators
}

// Classifier tells article URLs from index pages for one site.
type Classifier struct {
	include, exclude []*regexp.Regexp
}

// NewClassifier compiles a site's include and exclude patterns.
func NewClassifier(site newsline.Site) (*Classifier, error) {
	var c Classifier
	for _, p := range site.Include {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("crawler: include pattern %q: %w", p, err)
		}
		c.include = append(c.include, re)
	}
	for _, p := range site.Exclude {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("crawler: exclude pattern %q: %w", p, err)
		}
		c.exclude = append(c.exclude, re)
	}
	return &c, nil
}

// IsArticle reports whether u should be fetched as an article.
func (c *Classifier) IsArticle(u *url.URL) bool {
	target := u.RequestURI()
	for _, re := range c.exclude {
		if re.MatchString(target) {
			return false
		}
	}
	if len(c.include) == 0 {
		return LooksLikeArticle(u)
	}
	for _, re := range c.include {
		if re.MatchString(target) {
			return true
		}
	}
	return false
}

// Discover reads a site's feeds, sitemaps and start pages, follows index
// pages up to the site's depth, and returns the article URLs it found. It
// never leaves the site's hosts, obeys robots.txt, and fetches at most
// site.MaxPages pages. prior holds validators from the previous crawl, so
// unchanged feeds and sitemaps cost a 304.
func (cr *Crawler) Discover(ctx context.Context, site newsline.Site, prior map[string]Validator) (*Discovery, error) {
	d := &Discovery{Failures: map[string]int{}, Sources: map[string]Source{}}
	cls, err := NewClassifier(site)
	if err != nil {
		return d, err
	}
	seen := map[string]bool{}
	add := func(raw string) {
		n, err := Normalize(raw)
		if err != nil || seen[n] {
			return
		}
		u, _ := url.Parse(n)
		if !site.AllowsHost(u.Host) || !cls.IsArticle(u) {
			return
		}
		seen[n] = true
		d.Articles = append(d.Articles, n)
	}

	c, client := cr.collector(ctx, site)
	maxDepth := site.MaxDepth
	if maxDepth <= 0 {
		maxDepth = cr.opts.MaxDepth
	}
	if site.MaxPages > 0 {
		c.MaxRequests = uint32(site.MaxPages)
	}
	// Index pages are walked breadth-first by the crawler itself, so a page
	// is read at its shortest depth (colly's synchronous recursion is
	// depth-first), and with a visited set of its own (a clone shares its
	// parent's, which would make the next crawl skip every page this one
	// read).
	type link struct {
		url   string
		depth int
	}
	var queue []link
	queued := map[string]bool{}
	var firstErr error
	var sitemaps []string
	c.OnRequest(func(r *colly.Request) {
		if !site.AllowsHost(r.URL.Host) {
			r.Abort()
			return
		}
		delay, ferr := cr.checkRobots(ctx, client, site, r.URL)
		if ferr != nil {
			d.Failures[ferr.Reason]++
			if firstErr == nil {
				firstErr = ferr
			}
			r.Abort()
			return
		}
		release, err := cr.acquire(ctx, site, r.URL.Host, delay)
		if err != nil {
			r.Abort()
			return
		}
		r.Ctx.Put("release", sync.OnceFunc(release))
	})
	releaseOf := func(ctx *colly.Context) {
		if f, ok := ctx.GetAny("release").(func()); ok {
			f()
		}
	}
	c.OnError(func(r *colly.Response, err error) { releaseOf(r.Ctx) })
	c.OnResponse(func(r *colly.Response) {
		releaseOf(r.Ctx)
		d.Pages++
		kind := r.Ctx.Get("kind")
		if kind == "feed" || kind == "sitemap" {
			d.Sources[r.Request.URL.String()] = Source{Kind: kind, Status: r.StatusCode,
				Validator: Validator{ETag: r.Headers.Get("ETag"), LastModified: r.Headers.Get("Last-Modified")}}
		}
		switch {
		case r.StatusCode == http.StatusNotModified:
			d.NotModified++
			return
		case r.StatusCode >= 300:
			d.Failures[fmt.Sprintf("status_%d", r.StatusCode)]++
			return
		case len(r.Body) > cr.opts.MaxBodyBytes:
			d.Failures[ReasonTooLarge]++
			return
		}
		if kind == "sitemap" || looksLikeSitemap(r.Body) {
			children, pages, err := parseSitemap(r.Body)
			if err != nil {
				d.Failures["bad_sitemap"]++
				cr.opts.Logger.Warn("unreadable sitemap", "site", site.Host, "url", r.Request.URL.String(), "err", err)
				return
			}
			sitemaps = append(sitemaps, children...)
			for _, p := range pages {
				add(p)
			}
			return
		}
		if kind == "feed" || looksLikeFeed(r.Headers.Get("Content-Type"), r.Body) {
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
		if cls.IsArticle(u) {
			add(n)
			return
		}
		depth, _ := strconv.Atoi(e.Request.Ctx.Get("depth"))
		if depth < maxDepth && !queued[n] {
			queued[n] = true
			queue = append(queue, link{n, depth + 1})
		}
	})
	visit := func(raw, kind string, depth int) {
		cctx := colly.NewContext()
		cctx.Put("kind", kind)
		cctx.Put("depth", strconv.Itoa(depth))
		if err := c.Request(http.MethodGet, raw, nil, cctx, prior[raw].header()); err != nil {
			if errors.Is(err, colly.ErrMaxRequests) {
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
	once := func(raw string) bool {
		n, err := Normalize(raw)
		if err != nil || queued[n] {
			return false
		}
		queued[n] = true
		return true
	}
	for _, f := range site.Feeds {
		if once(f) {
			visit(f, "feed", 1)
		}
	}
	for _, s := range site.StartURLs {
		if once(s) {
			visit(s, "page", 1)
		}
	}
	// Then sitemaps (feeds and front pages list the newest articles, and
	// URLs are fetched in the order found); indexes add more sitemaps as
	// they are read. Then the index pages, level by level. MaxRequests
	// bounds the whole walk.
	if base := firstOf(site.StartURLs, site.Feeds); base != "" {
		if u, err := url.Parse(base); err == nil {
			sitemaps = append(sitemaps, cr.robots.get(ctx, client, cr.opts.UserAgent, u.Scheme+"://"+u.Host).sitemaps()...)
		}
	}
	for i := 0; i < len(sitemaps) && ctx.Err() == nil; i++ {
		if u, err := url.Parse(sitemaps[i]); err == nil && site.AllowsHost(u.Host) && once(sitemaps[i]) {
			visit(sitemaps[i], "sitemap", 1)
		}
	}
	for i := 0; i < len(queue) && ctx.Err() == nil; i++ {
		visit(queue[i].url, "page", queue[i].depth)
	}
	if err := ctx.Err(); err != nil {
		return d, err
	}
	if d.Pages == 0 && firstErr != nil {
		return d, fmt.Errorf("crawler: discover %s: nothing could be fetched: %w", site.Host, firstErr)
	}
	return d, nil
}

func firstOf(lists ...[]string) string {
	for _, l := range lists {
		if len(l) > 0 {
			return l[0]
		}
	}
	return ""
}

func looksLikeFeed(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "rss") || strings.Contains(ct, "atom") {
		return true
	}
	head := body[:min(len(body), 512)]
	return (strings.Contains(ct, "xml") || ct == "") && (bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed")))
}

// looksLikeSitemap sniffs a sitemap, whatever link led to it.
func looksLikeSitemap(body []byte) bool {
	head := body[:min(len(body), 1024)]
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}
