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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/newsline/newsline"
)

// Defaults for Options fields left zero.
const (
	// DefaultUserAgent names the crawler and where to learn about it, as
	// site operators expect; config uses it as the user-agent default.
	DefaultUserAgent      = "NewslineBot/0.1 (+https://github.com/newsline/newsline)"
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
	// OnFetch, when set, is called after every HTTP exchange with a site
	// (robots.txt, feeds, sitemaps, pages, each redirect hop) with the
	// site's whitelist host and one of the Fetch* outcomes: the metrics'
	// hook, so this package needs no metrics library.
	OnFetch func(site, outcome string)
}

// The outcomes OnFetch reports: a status class, or the failure of the
// exchange itself.
const (
	FetchOK          = "ok"           // 2xx
	FetchNotModified = "not_modified" // 304
	FetchRedirect    = "redirect"     // other 3xx
	FetchClientError = "client_error" // 4xx
	FetchServerError = "server_error" // 5xx
	FetchTooLarge    = "too_large"    // refused for its size
	FetchFailed      = "failed"       // no answer: network, timeout, TLS, guard
)

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
		opts.UserAgent = DefaultUserAgent
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
		site:     site.Host,
		onFetch:  cr.opts.OnFetch,
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
