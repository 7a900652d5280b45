// Package bench measures Newsline end to end against the generated test
// site, for `newsline bench …` and the Go benchmarks. Every benchmark runs
// the real system (PostgreSQL, Redis, the asynq worker) beside a baseline
// measured in the same process, and reports both as Metrics.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/store"
)

// Defaults of CrawlConfig; the goals are the ones the crawl benchmark is
// judged by (on a 2-core machine), reported but never enforced.
const (
	DefaultArticles = 5000
	DefaultWorkers  = 16
	// DefaultExtractPages is how many pages the extract-only phase holds.
	DefaultExtractPages = 2000
	GoalRatio           = 0.70
	GoalPeakRSSMB       = 200
	// pollInterval is how often the pipeline's progress is read from the
	// database. The pipeline's end time does not depend on it: it is the
	// end of the last task, recorded by the worker middleware.
	pollInterval = 500 * time.Millisecond
	// sitemapIndexAbove is the site size past which the test site lists
	// its articles in a sitemap index.
	sitemapIndexAbove = 10000
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
	// only (not the set-up or the baseline), of this process.
	CPUProfile io.Writer
	// WorkerCommand, when set, returns the command of a worker process
	// (`newsline bench crawl-worker`, which calls RunCrawlWorker): the
	// pipeline's worker runs there, so its memory is measured apart from
	// the benchmark's and the test site's. Nil runs it in this process.
	WorkerCommand func(ctx context.Context) *exec.Cmd
	// ExtractPages caps the pages the extract-only phase holds and
	// extracts (0 means DefaultExtractPages), so the benchmark's copies
	// of pages do not grow with the site.
	ExtractPages int
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
	// CPU is the process's CPU time (user and system) during the phase;
	// measured for extract-only, where nothing else runs.
	CPU time.Duration
}

// CPUPerPage is the phase's CPU time per page, or 0 when not measured.
func (p Phase) CPUPerPage() time.Duration {
	if p.Pages+p.Failed == 0 {
		return 0
	}
	return p.CPU / time.Duration(p.Pages+p.Failed)
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
	// PeakRSS is the worker's peak resident set (VmHWM) during the
	// pipeline, in bytes; 0 where /proc does not tell: the worker
	// process's (WorkerPeakRSS), or with the worker in process the whole
	// process's (BenchPeakRSS), which also serves the test site.
	PeakRSS uint64
	// BenchPeakRSS is the benchmark process's own peak RSS during the
	// pipeline: the test site, and the worker when it runs in process.
	BenchPeakRSS uint64
	// WorkerProcess tells that the worker ran in a process of its own,
	// whose peak RSS and peak live heap are WorkerPeakRSS and
	// WorkerPeakHeap (bytes).
	WorkerProcess  bool
	WorkerPeakRSS  uint64
	WorkerPeakHeap uint64
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
	cfg, err = cfg.withDefaults()
	if err != nil {
		return nil, err
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

	db, dbURL, closeDB, err := emptyBenchDB(ctx, cfg.DatabaseURL, cfg.UseDatabase)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, closeDB()) }()

	// No article is disallowed by robots.txt: every one must be stored.
	// Past sitemapIndexAbove articles the site lists them in a sitemap
	// index of several sitemaps, as large sites do.
	ts, err := testsite.Start(testsite.Config{Articles: cfg.Articles, Seed: cfg.Seed, DisallowedEvery: cfg.Articles + 1,
		SitemapIndex: cfg.Articles > sitemapIndexAbove})
	if err != nil {
		return nil, fmt.Errorf("bench: start test site: %w", err)
	}
	defer ts.Close()
	site, err := addBenchSite(ctx, db, ts, cfg.Articles)
	if err != nil {
		return nil, err
	}

	res = &CrawlResult{Articles: cfg.Articles, Workers: cfg.Workers}
	if err := warmUp(ctx, cfg, ts); err != nil {
		return nil, err
	}
	ts.ResetRequests() // the warm-up's downloads are not the pipeline's
	if cfg.WorkerCommand != nil {
		err = runPipelineProcess(ctx, cfg, db, dbURL, rdb, site, ts, res)
	} else {
		err = runPipeline(ctx, cfg, db, rdb, site, res)
	}
	if err != nil {
		return nil, err
	}
	res.Requests = len(ts.Requests())
	allowed := ts.Allowed()
	pages, err := download(ctx, cfg, ts, allowed[:min(cfg.ExtractPages, len(allowed))])
	if err != nil {
		return nil, err
	}
	res.Extract = extractOnly(ctx, cfg, pages)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// withDefaults fills in what cfg leaves zero, and checks it.
func (cfg CrawlConfig) withDefaults() (CrawlConfig, error) {
	if cfg.Articles == 0 {
		cfg.Articles = DefaultArticles
	}
	if cfg.Workers == 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.ExtractPages == 0 {
		cfg.ExtractPages = DefaultExtractPages
	}
	if cfg.Articles < 1 || cfg.Workers < 1 {
		return cfg, fmt.Errorf("bench: articles and workers must be positive, got %d and %d", cfg.Articles, cfg.Workers)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Progress == nil {
		cfg.Progress = func(Progress) {}
	}
	return cfg, nil
}

// emptyBenchDB opens a benchmark's database, migrated and empty: a new
// temporary one on serverURL's server, or serverURL's own with use set. It
// returns the database's URL too, and done, which closes it and drops a
// temporary one.
func emptyBenchDB(ctx context.Context, serverURL string, use bool) (db *store.DB, dbURL string, done func() error, err error) {
	dbURL = serverURL
	drop := func(context.Context) error { return nil }
	if !use {
		if dbURL, _, drop, err = createDatabase(ctx, serverURL, "newsline_bench_"); err != nil {
			return nil, "", nil, err
		}
	}
	dropCtx := func() error {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return drop(cctx)
	}
	if db, err = openEmptyDB(ctx, dbURL); err != nil {
		return nil, "", nil, errors.Join(err, dropCtx())
	}
	return db, dbURL, func() error { db.Close(); return dropCtx() }, nil
}

// openEmptyDB opens and migrates the benchmark's database, which must hold
// no URLs yet.
func openEmptyDB(ctx context.Context, dbURL string) (*store.DB, error) {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if _, err := db.MigrateUp(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("bench: migrate: %w", err)
	}
	if counts, err := db.URLCounts(ctx, 0); err != nil {
		db.Close()
		return nil, fmt.Errorf("bench: %w", err)
	} else if len(counts) > 0 {
		db.Close()
		return nil, fmt.Errorf("bench: database %s already holds URLs; give the benchmark an empty one", redactURL(dbURL))
	}
	return db, nil
}

// addBenchSite whitelists the test site ts for a crawl of all its
// articles, with politeness off and no re-fetches.
func addBenchSite(ctx context.Context, db *store.DB, ts *testsite.Server, articles int) (newsline.Site, error) {
	site, _, err := db.UpsertSite(ctx, newsline.Site{
		Host: ts.Host, Name: "Benchmark test site",
		StartURLs: []string{ts.URL + "/"}, Feeds: []string{ts.URL + "/feed.xml"},
		Schedule: "@every 24h", // never reached: no scheduler runs
		// Index pages, sitemaps and articles all count against MaxPages.
		MaxPages:       2*articles + 100,
		MaxConcurrency: 64,
		RefetchAfter:   []time.Duration{}, // never: a re-fetch would be a second pipeline pass
		Enabled:        true, AllowPrivate: true,
	})
	if err != nil {
		return site, fmt.Errorf("bench: %w", err)
	}
	return site, nil
}
