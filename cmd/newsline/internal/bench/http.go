package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// SystemStatic is the HTTP benchmark's baseline: a bare net/http handler
// serving Newsline's feed bytes from memory.
const SystemStatic = "static"

// Defaults of the HTTP benchmark, and the goals it is judged by on a
// 2-core machine (reported, never enforced).
const (
	DefaultHTTPArticles = 10_000
	DefaultHTTPClients  = 16
	DefaultHTTPDuration = 10 * time.Second
	DefaultHTTPWarmup   = time.Second
	// GoalFeedRatio is a cached feed's req/s over the baseline's.
	GoalFeedRatio = 0.5
	// GoalFeed304Ratio is a conditional feed request's req/s over the
	// baseline's.
	GoalFeed304Ratio = 0.7
	// GoalSearchP99 bounds search's p99 while as many other clients fetch
	// feeds (class mixed_search).
	GoalSearchP99 = 50 * time.Millisecond
)

// HTTPClasses lists the classes `--classes` may name, in the order they
// run. mixed reports two result classes, mixed_search and mixed_feed, and
// mixed_uncached likewise. The search classes repeat common words, as
// readers do, so the server's search cache answers most of them; the
// uncached classes give every request a weight of freshness of its own, so
// that each one is a search the server runs. crawl spreads --clients
// clients over search, listings and feeds while a worker crawls a test
// site into the server's database, and reports crawl_search,
// crawl_listing and crawl_feed; it needs RedisURL.
func HTTPClasses() []string {
	return []string{"feed", "feed_304", "article", "search", "search_uncached", "mixed", "mixed_uncached", "crawl"}
}

// HTTPConfig configures HTTP.
type HTTPConfig struct {
	Articles   int   // articles to generate; 0 means DefaultHTTPArticles
	Seed       int64 // selects the archive
	Vocabulary int   // word types per language; 0 means DefaultSearchVocabulary
	Clients    int   // concurrent clients per class (mixed: that many of each kind); 0 means DefaultHTTPClients
	Duration   time.Duration
	Warmup     time.Duration // before each class's measurement; 0 means DefaultHTTPWarmup
	// Classes to run, a subset of HTTPClasses(); empty means all but
	// crawl, which needs RedisURL.
	Classes []string
	// RedisURL names the empty Redis logical database of the crawl
	// class's worker; it is flushed at the end.
	RedisURL string
	// CrawlWorkers and CrawlArticles size the crawl class's worker and
	// test site; 0 means DefaultHTTPCrawlWorkers and
	// DefaultHTTPCrawlArticles.
	CrawlWorkers  int
	CrawlArticles int

	// DatabaseURL, UseDatabase and Keep are as in SearchConfig: the archive
	// is loaded into a temporary database on DatabaseURL's server, or one
	// an earlier run of either benchmark kept is used as it is.
	DatabaseURL string
	UseDatabase bool
	Keep        bool

	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// Progress, when set, is called with the state of the running phase,
	// from HTTP's goroutine.
	Progress func(Progress)
	// CPUProfile, when set, receives a CPU profile of the measured classes
	// (server and load generator: they share the process).
	CPUProfile io.Writer
}

// HTTPLoad is what one system answered in one class.
type HTTPLoad struct {
	Clients   int
	Requests  int           // answered as the class expects, after the warm-up
	Errors    int           // failed requests, warm-up included
	Status5xx int           // of which answered with a 5xx status
	Elapsed   time.Duration // of the measurement
	Bytes     int64         // body bytes read
	P50, P99  time.Duration
	// FirstError describes the first failed request.
	FirstError string
}

// ReqPerSec is the load's throughput.
func (l HTTPLoad) ReqPerSec() float64 {
	if l.Elapsed <= 0 {
		return 0
	}
	return float64(l.Requests) / l.Elapsed.Seconds()
}

// HTTPClassResult is one class of requests.
type HTTPClassResult struct {
	Class    string
	Newsline HTTPLoad
	Static   *HTTPLoad // the baseline, for the classes it can serve
	// SearchesRun counts the searches the server ran in a search class,
	// warm-up included: the rest came from its cache.
	SearchesRun int64
}

// Ratio is Newsline's req/s over the baseline's; 0 without a baseline.
func (c HTTPClassResult) Ratio() float64 {
	if c.Static == nil || c.Static.ReqPerSec() == 0 {
		return 0
	}
	return c.Newsline.ReqPerSec() / c.Static.ReqPerSec()
}

// HTTPFeed is one feed the feed classes fetch.
type HTTPFeed struct {
	Path        string
	Bytes       int
	ContentType string
}

// HTTPResult is what HTTP measured.
type HTTPResult struct {
	Articles   int
	Seed       int64
	Database   string
	Kept       bool
	Load       SearchLoad
	Clients    int
	Duration   time.Duration
	Warmup     time.Duration
	GOMAXPROCS int
	Feeds      []HTTPFeed
	Words      []string // what the search classes search for
	Classes    []HTTPClassResult
	// FeedCacheMisses counts the feed requests Newsline built afresh while
	// the classes ran: 0 when every feed was served from memory.
	FeedCacheMisses int64
	// CrawlStored counts the articles the crawl class's worker stored
	// while it ran.
	CrawlStored int64
}

// Class returns the result of a class, or nil when it did not run.
func (r *HTTPResult) Class(name string) *HTTPClassResult {
	for i := range r.Classes {
		if r.Classes[i].Class == name {
			return &r.Classes[i]
		}
	}
	return nil
}

// Errors counts the failed requests of every class and system.
func (r *HTTPResult) Errors() int {
	n := 0
	for _, c := range r.Classes {
		n += c.Newsline.Errors
		if c.Static != nil {
			n += c.Static.Errors
		}
	}
	return n
}

// Metrics lists the HTTP benchmark's figures: per class and system the
// throughput, p50 and p99 latency, requests and errors, and for the feed
// classes Newsline's ratio to the baseline.
func (r *HTTPResult) Metrics() []Metric {
	var out []Metric
	add := func(system, class string, l HTTPLoad) {
		out = append(out,
			Metric{"http", system, "req_per_s", round(l.ReqPerSec(), 1), "req/s", class},
			Metric{"http", system, "p50", ms(l.P50), "ms", class},
			Metric{"http", system, "p99", ms(l.P99), "ms", class},
			Metric{"http", system, "requests", float64(l.Requests), "requests", class},
			Metric{"http", system, "errors", float64(l.Errors), "requests", class},
			Metric{"http", system, "status_5xx", float64(l.Status5xx), "requests", class},
		)
	}
	for _, c := range r.Classes {
		add(SystemNewsline, c.Class, c.Newsline)
		if c.Static != nil {
			add(SystemStatic, c.Class, *c.Static)
			out = append(out, Metric{"http", SystemNewsline, "ratio", round(c.Ratio(), 3), "x", c.Class})
		}
		if strings.Contains(c.Class, "search") {
			out = append(out, Metric{"http", SystemNewsline, "searches_run", float64(c.SearchesRun), "searches", c.Class})
		}
	}
	if r.Class("crawl_search") != nil || r.Class("crawl_listing") != nil || r.Class("crawl_feed") != nil {
		out = append(out, Metric{"http", SystemNewsline, "crawl_stored", float64(r.CrawlStored), "articles", "crawl"})
	}
	return append(out, Metric{"http", SystemNewsline, "feed_cache_misses", float64(r.FeedCacheMisses), "requests", ""})
}

// HTTP loads the generated archive, serves it with Newsline's real
// handler (and Server.Run, which keeps feeds in memory) on loopback, and
// drives it class by class with cfg.Clients keep-alive clients, beside a
// bare net/http handler serving the same feed bytes.
func HTTP(ctx context.Context, cfg HTTPConfig) (res *HTTPResult, err error) {
	cfg, err = cfg.withDefaults()
	if err != nil {
		return nil, err
	}

	a, err := openArchive(ctx, SearchConfig{
		Articles: cfg.Articles, Seed: cfg.Seed, Vocabulary: cfg.Vocabulary, Streams: DefaultSearchStreams,
		DatabaseURL: cfg.DatabaseURL, UseDatabase: cfg.UseDatabase, Keep: cfg.Keep, Progress: cfg.Progress,
	}, "newsline_bench_http_")
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, a.close(ctx)) }()
	res = &HTTPResult{Articles: a.cfg.Articles, Seed: a.cfg.Seed, Database: a.name, Kept: a.kept, Load: a.load,
		Clients: cfg.Clients, Duration: cfg.Duration, Warmup: cfg.Warmup, GOMAXPROCS: runtime.GOMAXPROCS(0),
		Words: commonWords(a.vocabs)}
	cfg.Progress(Progress{Phase: "prewarm"})
	if _, err := prewarm(ctx, a.db.Pool); err != nil {
		return nil, err
	}

	tr := newLoadTransport(2 * cfg.Clients) // mixed runs two sets of clients
	defer tr.CloseIdleConnections()
	nl, err := startNewsline(ctx, a, cfg.Logger)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, nl.stop()) }()
	cfg.Progress(Progress{Phase: "feeds"})
	feeds, err := nl.fetchFeeds(ctx, tr, httpFeedPaths())
	if err != nil {
		return nil, err
	}
	for _, f := range feeds {
		res.Feeds = append(res.Feeds, HTTPFeed{Path: f.path, Bytes: len(f.body), ContentType: f.header.Get("Content-Type")})
	}
	static, err := startStatic(feeds)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, static.stop()) }()

	if cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(cfg.CPUProfile); err != nil {
			return nil, fmt.Errorf("bench: start CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	misses := nl.api.FeedCacheMisses()
	g := &loadGen{tr: tr, warmup: cfg.Warmup, duration: cfg.Duration, progress: cfg.Progress, seed: uint64(a.cfg.Seed)}
	if err := runHTTPClasses(ctx, cfg, g, nl, static, feeds, a.db, res); err != nil {
		return nil, err
	}
	res.FeedCacheMisses = nl.api.FeedCacheMisses() - misses
	return res, nil
}

// withDefaults fills in what cfg leaves zero, and checks it.
func (cfg HTTPConfig) withDefaults() (HTTPConfig, error) {
	if cfg.Articles == 0 {
		cfg.Articles = DefaultHTTPArticles
	}
	if cfg.Vocabulary == 0 {
		cfg.Vocabulary = DefaultSearchVocabulary
	}
	if cfg.Clients == 0 {
		cfg.Clients = DefaultHTTPClients
	}
	if cfg.Duration == 0 {
		cfg.Duration = DefaultHTTPDuration
	}
	if cfg.Warmup == 0 {
		cfg.Warmup = DefaultHTTPWarmup
	}
	if len(cfg.Classes) == 0 {
		cfg.Classes = slices.DeleteFunc(HTTPClasses(), func(c string) bool { return c == "crawl" })
	}
	if cfg.CrawlWorkers == 0 {
		cfg.CrawlWorkers = DefaultHTTPCrawlWorkers
	}
	if cfg.CrawlArticles == 0 {
		cfg.CrawlArticles = DefaultHTTPCrawlArticles
	}
	if slices.Contains(cfg.Classes, "crawl") && cfg.RedisURL == "" {
		return cfg, errors.New("bench: the crawl class needs a Redis URL for its worker")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Progress == nil {
		cfg.Progress = func(Progress) {}
	}
	if cfg.Articles < 1 || cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Warmup < 0 || cfg.Vocabulary < 1000 {
		return cfg, errors.New("bench: articles and clients must be at least 1, the duration positive, the vocabulary at least 1000 words")
	}
	for _, c := range cfg.Classes {
		if !slices.Contains(HTTPClasses(), c) {
			return cfg, fmt.Errorf("bench: unknown class %q (classes: %s)", c, strings.Join(HTTPClasses(), ", "))
		}
	}
	return cfg, nil
}

// runHTTPClasses drives both systems through each class of cfg in turn
// with g, adding a result per class (two for a mixed one) to res.
func runHTTPClasses(ctx context.Context, cfg HTTPConfig, g *loadGen, nl *newslineServer, static *loopbackServer, feeds []servedFeed, db *store.DB, res *HTTPResult) error {
	n := cfg.Clients
	feedJob := func(base *url.URL, conditional bool) httpJob { return feedRequests(ctx, base, feeds, n, conditional) }
	for _, class := range cfg.Classes {
		switch class {
		case "feed", "feed_304":
			st := g.run(ctx, class+" static", feedJob(static.url, class == "feed_304"))
			ns := g.run(ctx, class+" newsline", feedJob(nl.url, class == "feed_304"))
			res.Classes = append(res.Classes, HTTPClassResult{Class: class, Newsline: ns[0], Static: &st[0]})
		case "article":
			ns := g.run(ctx, "article newsline", articleRequests(ctx, nl.url, res.Articles, n))
			res.Classes = append(res.Classes, HTTPClassResult{Class: class, Newsline: ns[0]})
		case "search", "search_uncached":
			runs := nl.api.SearchCacheMisses()
			ns := g.run(ctx, class+" newsline", searchRequests(ctx, nl.url, res.Words, n, class == "search_uncached"))
			res.Classes = append(res.Classes, HTTPClassResult{Class: class, Newsline: ns[0], SearchesRun: nl.api.SearchCacheMisses() - runs})
		case "mixed", "mixed_uncached":
			runs := nl.api.SearchCacheMisses()
			uncached := class == "mixed_uncached"
			ns := g.run(ctx, class+" newsline", searchRequests(ctx, nl.url, res.Words, n, uncached), feedJob(nl.url, false))
			res.Classes = append(res.Classes,
				HTTPClassResult{Class: class + "_search", Newsline: ns[0], SearchesRun: nl.api.SearchCacheMisses() - runs},
				HTTPClassResult{Class: class + "_feed", Newsline: ns[1]})
		case "crawl":
			if err := runCrawlClass(ctx, cfg, g, nl, db, feeds, res); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// httpFeedPaths are the feeds the feed classes fetch: the newest articles,
// one site's, one section's and one author's, in every format.
func httpFeedPaths() []string {
	var out []string
	for _, p := range []string{"/feeds/latest", "/feeds/sites/" + searchSiteHost(0), "/feeds/sections/" + searchSections()[0],
		"/feeds/authors/" + newsline.Slug(searchAuthorNames()[0])} {
		for _, ext := range []string{".rss", ".atom", ".json"} {
			out = append(out, p+ext)
		}
	}
	return out
}
