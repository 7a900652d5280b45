// Package bench measures Newsline end to end against the generated test
// site, for `newsline bench …` and the Go benchmarks. Every benchmark runs
// the real system (PostgreSQL, Redis, the asynq worker) beside a baseline
// measured in the same process, and reports both as Metrics.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// Defaults of CrawlConfig; the goals are the ones the crawl benchmark is
// judged by (on a 2-core machine), reported but never enforced.
const (
	DefaultArticles = 5000
	DefaultWorkers  = 16
	GoalRatio       = 0.70
	GoalPeakRSSMB   = 200
	// pollInterval is how often the pipeline's progress is read from the
	// database. The pipeline's end time does not depend on it: it is the
	// end of the last task, recorded by the worker middleware.
	pollInterval = 500 * time.Millisecond
)

// CrawlConfig configures Crawl.
type CrawlConfig struct {
	Articles int   // articles on the generated site; 0 means DefaultArticles
	Workers  int   // worker concurrency, and the extract-only pool's size; 0 means DefaultWorkers
	Seed     int64 // selects the generated site

	// DatabaseURL names a PostgreSQL server: Crawl creates a temporary
	// database on it (CREATE DATABASE, so the role needs CREATEDB) and
	// drops it at the end. With UseDatabase it names the database itself.
	DatabaseURL string
	// UseDatabase makes Crawl use DatabaseURL's database as it is (it must
	// hold no URLs; tests hand over a fresh one) instead of creating one.
	UseDatabase bool
	// RedisURL names the Redis logical database for the queues. It must be
	// empty, so the benchmark's tasks never mix with a running system's;
	// Crawl flushes it at the end.
	RedisURL string

	// Logger receives the worker's logs; nil means slog.Default().
	Logger *slog.Logger
	// Progress, when set, is called with the state of the running phase a
	// few times a second, from Crawl's goroutine.
	Progress func(Progress)
	// CPUProfile, when set, receives a CPU profile of the pipeline phase
	// only (not the set-up or the baseline).
	CPUProfile io.Writer
}

// Progress is a snapshot of a running phase.
type Progress struct {
	Phase   string // "pipeline", "download" (pages for the baseline, untimed) or "extract-only"
	Done    int    // pages finished
	Failed  int    // of which failed
	Total   int    // pages to do; 0 while the pipeline is still discovering
	Elapsed time.Duration
}

// Phase is what one side of the benchmark measured.
type Phase struct {
	Pages   int           // pages processed successfully (for the pipeline: articles stored)
	Failed  int           // pages that failed
	Elapsed time.Duration // wall time of the phase
	P50     time.Duration // per-page latency
	P99     time.Duration
}

// PagesPerSec is the phase's throughput.
func (p Phase) PagesPerSec() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Pages) / p.Elapsed.Seconds()
}

// CrawlResult is what Crawl measured.
type CrawlResult struct {
	Articles int // articles on the site
	Workers  int
	// Pipeline is the whole crawl: from enqueueing crawl:site until the
	// last URL is fetched or failed. Its latencies are those of the
	// fetch:article tasks (fetch, extract, store).
	Pipeline Phase
	// Discovery is how long the crawl:site task took (discovery and
	// queueing the fetches); fetches run while it queues.
	Discovery time.Duration
	// Failures counts the pipeline's failed URLs by reason.
	Failures map[string]int64
	// Extract is the baseline: extract.Extract alone on the same pages,
	// held in memory, with the same concurrency.
	Extract Phase
	// Requests counts the requests the pipeline made to the test site
	// (robots.txt, feeds, sitemaps, index and article pages); divided by
	// Pipeline.Pages it tells how often a stored page was fetched.
	Requests int
	// PeakRSS is the process's peak resident set (VmHWM) during the
	// pipeline, in bytes; 0 where /proc does not tell. The process also
	// serves the test site.
	PeakRSS uint64
}

// Ratio is pipeline throughput over extract-only throughput.
func (r *CrawlResult) Ratio() float64 {
	if x := r.Extract.PagesPerSec(); x > 0 {
		return r.Pipeline.PagesPerSec() / x
	}
	return 0
}

// RequestsPerPage is the pipeline's requests to the site per article
// stored: 1 plus the share of discovery's pages when every page is fetched
// once.
func (r *CrawlResult) RequestsPerPage() float64 {
	if r.Pipeline.Pages == 0 {
		return 0
	}
	return float64(r.Requests) / float64(r.Pipeline.Pages)
}

// PeakRSSMB is PeakRSS in MB (2^20 bytes).
func (r *CrawlResult) PeakRSSMB() float64 { return float64(r.PeakRSS) / (1 << 20) }

// Crawl crawls a generated site of cfg.Articles articles on loopback
// through the whole pipeline — the asynq worker running crawl:site and
// fetch:article against a fresh database, politeness off — then runs
// extract alone over the same pages, and reports both.
func Crawl(ctx context.Context, cfg CrawlConfig) (res *CrawlResult, err error) {
	if cfg.Articles == 0 {
		cfg.Articles = DefaultArticles
	}
	if cfg.Workers == 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Articles < 1 || cfg.Workers < 1 {
		return nil, fmt.Errorf("bench: articles and workers must be positive, got %d and %d", cfg.Articles, cfg.Workers)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Progress == nil {
		cfg.Progress = func(Progress) {}
	}
	// Clean-up must happen even when ctx is canceled (Ctrl-C).
	cleanupCtx := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	}

	rdb, err := emptyRedis(ctx, cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := cleanupCtx()
		defer cancel()
		if ferr := rdb.FlushDB(cctx).Err(); ferr != nil {
			err = errors.Join(err, fmt.Errorf("bench: flush the benchmark's Redis database: %w", ferr))
		}
		rdb.Close()
	}()

	dbURL := cfg.DatabaseURL
	if !cfg.UseDatabase {
		var drop func(context.Context) error
		dbURL, _, drop, err = createDatabase(ctx, cfg.DatabaseURL, "newsline_bench_")
		if err != nil {
			return nil, err
		}
		defer func() {
			cctx, cancel := cleanupCtx()
			defer cancel()
			err = errors.Join(err, drop(cctx))
		}()
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		return nil, fmt.Errorf("bench: migrate: %w", err)
	}
	if counts, err := db.URLCounts(ctx, 0); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	} else if len(counts) > 0 {
		return nil, fmt.Errorf("bench: database %s already holds URLs; give the benchmark an empty one", redactURL(dbURL))
	}

	// No article is disallowed by robots.txt: every one must be stored.
	ts, err := testsite.Start(testsite.Config{Articles: cfg.Articles, Seed: cfg.Seed, DisallowedEvery: cfg.Articles + 1})
	if err != nil {
		return nil, fmt.Errorf("bench: start test site: %w", err)
	}
	defer ts.Close()
	site, _, err := db.UpsertSite(ctx, newsline.Site{
		Host: ts.Host, Name: "Benchmark test site",
		StartURLs: []string{ts.URL + "/"}, Feeds: []string{ts.URL + "/feed.xml"},
		Schedule: "@every 24h", // never reached: no scheduler runs
		// Index pages, sitemaps and articles all count against MaxPages.
		MaxPages:       2*cfg.Articles + 100,
		MaxConcurrency: 64,
		RefetchAfter:   []time.Duration{}, // never: a re-fetch would be a second pipeline pass
		Enabled:        true, AllowPrivate: true,
	})
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}

	res = &CrawlResult{Articles: cfg.Articles, Workers: cfg.Workers}
	if err := warmUp(ctx, cfg, ts); err != nil {
		return nil, err
	}
	ts.ResetRequests() // the warm-up's downloads are not the pipeline's
	if err := runPipeline(ctx, cfg, db, rdb, site, res); err != nil {
		return nil, err
	}
	res.Requests = len(ts.Requests())
	pages, err := download(ctx, cfg, ts, ts.Allowed())
	if err != nil {
		return nil, err
	}
	res.Extract = extractOnly(ctx, cfg, pages)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// emptyRedis connects to the queues' Redis database and checks it is
// empty: asynq keys its queues by name only, so a benchmark sharing a
// database with a running system would take its tasks and give it ours.
func emptyRedis(ctx context.Context, redisURL string) (*redis.Client, error) {
	if redisURL == "" {
		return nil, errors.New("bench: no Redis URL given")
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("bench: bad Redis URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	n, err := rdb.DBSize(ctx).Result()
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("bench: Redis at %s: %w", opts.Addr, err)
	}
	if n != 0 {
		rdb.Close()
		return nil, fmt.Errorf("bench: Redis database %d at %s holds %d keys; the benchmark needs an empty one, "+
			"which it flushes at the end, so it cannot touch a running system's queues: "+
			"pass a Redis URL with an unused database number, such as redis://%s/13",
			opts.DB, opts.Addr, n, opts.Addr)
	}
	return rdb, nil
}

// createDatabase creates the temporary database prefix<random> on
// serverURL's server and returns its URL, its name and a function that
// drops it.
func createDatabase(ctx context.Context, serverURL, prefix string) (string, string, func(context.Context) error, error) {
	if serverURL == "" {
		return "", "", nil, errors.New("bench: no database URL given")
	}
	// Parsed as a pool URL so pool settings (pool_max_conns=…), which the
	// pipeline's pool honours, are not sent to the server as parameters.
	pcfg, err := pgxpool.ParseConfig(serverURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("bench: parse database URL: %w", err)
	}
	admin, err := pgx.ConnectConfig(ctx, pcfg.ConnConfig)
	if err != nil {
		return "", "", nil, fmt.Errorf("bench: connect to PostgreSQL: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	name := prefix + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		admin.Close(ctx)
		return "", "", nil, fmt.Errorf("bench: create temporary database: %w", err)
	}
	drop := func(ctx context.Context) error {
		defer admin.Close(ctx)
		// FORCE: a pool connection still closing must not keep it alive.
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("bench: drop temporary database %s: %w", name, err)
		}
		return nil
	}
	u, err := withDatabase(serverURL, name)
	if err != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return "", "", nil, errors.Join(err, drop(cctx))
	}
	return u, name, drop, nil
}

// withDatabase returns the connection string dsn pointed at database name;
// dsn is a URL or a keyword/value string, as pgx accepts both.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("bench: parse database URL: %w", err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// In keyword/value form the last occurrence of a keyword wins.
	return dsn + " dbname=" + name, nil
}

// redactURL drops a password from a URL for messages.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	return s
}

// recorder is worker middleware that times every task.
type recorder struct {
	mu        sync.Mutex
	fetches   []time.Duration // fetch:article durations
	lastEnd   time.Time       // end of the latest task of any kind
	crawlDone bool
	crawlErr  error
	crawlTook time.Duration
}

func (r *recorder) middleware(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		end := time.Now()
		r.mu.Lock()
		defer r.mu.Unlock()
		switch t.Type() {
		case jobs.TypeFetchArticle:
			r.fetches = append(r.fetches, end.Sub(start))
		case jobs.TypeCrawlSite:
			r.crawlDone, r.crawlErr, r.crawlTook = true, err, end.Sub(start)
		}
		if end.After(r.lastEnd) {
			r.lastEnd = end
		}
		return err
	})
}

// runPipeline runs the real worker on the crawl of site and fills in the
// pipeline's figures.
func runPipeline(ctx context.Context, cfg CrawlConfig, db *store.DB, rdb *redis.Client, site newsline.Site, res *CrawlResult) (err error) {
	rec := &recorder{}
	h := &jobs.Handlers{
		DB: db,
		// A nil Limiter turns politeness off.
		Crawler: crawler.New(crawler.Options{Limiter: nil, Logger: cfg.Logger}),
		// As the production worker builds it (cmd/newsline, run.go):
		// keywords are weighed against the stored corpus.
		Extractor: jobs.NewExtractor(db),
		Queue:     asynq.NewClientFromRedisClient(rdb),
		Logger:    cfg.Logger,
	}
	wctx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan error, 1)
	go func() {
		workerDone <- jobs.RunWorker(wctx, rdb, jobs.WorkerConfig{
			Concurrency: cfg.Workers, ShutdownTimeout: 10 * time.Second, Logger: cfg.Logger,
			Middleware: []asynq.MiddlewareFunc{rec.middleware},
		}, h)
	}()
	defer func() {
		stopWorker()
		err = errors.Join(err, <-workerDone)
	}()

	resetPeakRSS()
	if cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(cfg.CPUProfile); err != nil {
			return fmt.Errorf("bench: start CPU profile: %w", err)
		}
	}
	profiling := cfg.CPUProfile != nil
	stopProfile := func() {
		if profiling {
			pprof.StopCPUProfile()
			profiling = false
		}
	}
	defer stopProfile()

	start := time.Now()
	if _, err := h.Queue.EnqueueContext(ctx, jobs.NewCrawlSiteTask(site.Host)); err != nil {
		return fmt.Errorf("bench: queue crawl:site: %w", err)
	}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-workerDone:
			workerDone <- err // for the deferred stop
			return fmt.Errorf("bench: worker stopped early: %w", err)
		case <-tick.C:
		}
		rec.mu.Lock()
		crawlDone, crawlErr := rec.crawlDone, rec.crawlErr
		rec.mu.Unlock()
		if crawlErr != nil {
			return fmt.Errorf("bench: crawl:site failed: %w", crawlErr)
		}
		counts, err := db.URLCounts(ctx, site.ID)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		var total int64
		for _, n := range counts {
			total += n
		}
		fetched, failed := counts[store.URLFetched], counts[store.URLFailed]
		cfg.Progress(Progress{Phase: "pipeline", Done: int(fetched + failed), Failed: int(failed), Total: int(total), Elapsed: time.Since(start)})
		if crawlDone && fetched+failed == total {
			break
		}
	}
	stopProfile()
	rec.mu.Lock()
	end, fetches := rec.lastEnd, slices.Clone(rec.fetches)
	res.Discovery = rec.crawlTook
	rec.mu.Unlock()
	res.PeakRSS = peakRSS()

	st, err := db.Stats(ctx, site.ID)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	res.Failures = st.FailuresBy
	res.Pipeline = Phase{
		Pages:   int(st.Articles),
		Failed:  int(st.URLsByState[store.URLFailed]),
		Elapsed: end.Sub(start),
	}
	res.Pipeline.P50, res.Pipeline.P99 = percentiles(fetches)
	return nil
}

// page is an article page held in memory for the baseline.
type page struct {
	url  string
	body []byte
}

// warmUpPages is how many pages warmUp extracts.
const warmUpPages = 64

// warmUp extracts a few of the site's pages, untimed, before either phase:
// the language detector loads its models on first use, once per process,
// and neither phase should pay for that; a worker pays it once at start.
func warmUp(ctx context.Context, cfg CrawlConfig, ts *testsite.Server) error {
	articles := ts.Allowed()
	pages, err := download(ctx, cfg, ts, articles[:min(warmUpPages, len(articles))])
	if err != nil {
		return err
	}
	x := extract.New()
	for _, p := range pages {
		if _, err := x.Extract(ctx, p.url, p.body); err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// download fetches article pages into memory; it is not timed.
func download(ctx context.Context, cfg CrawlConfig, ts *testsite.Server, articles []testsite.Article) ([]page, error) {
	pages := make([]page, len(articles))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Workers}, Timeout: time.Minute}
	defer client.CloseIdleConnections()
	start := time.Now()
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cfg.Workers)
	for i, a := range articles {
		g.Go(func() error {
			u := ts.URL + a.Path
			body, err := get(gctx, client, u)
			if err != nil {
				return err
			}
			pages[i] = page{url: u, body: body}
			done.Add(1)
			return nil
		})
		if i%200 == 0 {
			cfg.Progress(Progress{Phase: "download", Done: int(done.Load()), Total: len(articles), Elapsed: time.Since(start)})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("bench: download pages for the baseline: %w", err)
	}
	cfg.Progress(Progress{Phase: "download", Done: len(pages), Total: len(articles), Elapsed: time.Since(start)})
	return pages, nil
}

func get(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// extractOnly runs extract.Extract over pages with cfg.Workers goroutines
// and times the whole and each page. The extractor has no corpus
// statistics: the baseline is extraction alone, without the database.
func extractOnly(ctx context.Context, cfg CrawlConfig, pages []page) Phase {
	x := extract.New()
	lat := make([]time.Duration, len(pages))
	var next, done, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.Workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(pages) {
					return
				}
				t0 := time.Now()
				_, err := x.Extract(ctx, pages[i].url, pages[i].body)
				lat[i] = time.Since(t0)
				if err != nil {
					failed.Add(1)
				}
				done.Add(1)
			}
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-finished:
			waiting = false
		case <-tick.C:
			cfg.Progress(Progress{Phase: "extract-only", Done: int(done.Load()), Failed: int(failed.Load()), Total: len(pages), Elapsed: time.Since(start)})
		}
	}
	elapsed := time.Since(start)
	cfg.Progress(Progress{Phase: "extract-only", Done: int(done.Load()), Failed: int(failed.Load()), Total: len(pages), Elapsed: elapsed})
	p := Phase{Pages: int(done.Load() - failed.Load()), Failed: int(failed.Load()), Elapsed: elapsed}
	p.P50, p.P99 = percentiles(lat)
	return p
}
