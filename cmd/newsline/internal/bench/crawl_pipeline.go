package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// recorder is worker middleware that times every task.
type recorder struct {
	mu        sync.Mutex
	fetches   []time.Duration // fetch:article durations
	lastEnd   time.Time       // end of the latest task of any kind
	crawlDone bool
	crawlErr  error
	crawlTook time.Duration
	// onCrawl, when set, is called when the crawl:site task ends.
	onCrawl func(took time.Duration, err error)
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
			if r.onCrawl != nil {
				r.onCrawl(r.crawlTook, err)
			}
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
	h := benchHandlers(db, rdb, cfg.Logger)
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
	status := func() (bool, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.crawlDone, rec.crawlErr
	}
	if err := waitForPipeline(ctx, cfg, db, site, status, workerDone, start); err != nil {
		return err
	}
	stopProfile()
	rec.mu.Lock()
	end, fetches := rec.lastEnd, slices.Clone(rec.fetches)
	res.Discovery = rec.crawlTook
	rec.mu.Unlock()
	res.PeakRSS = peakRSS()
	res.BenchPeakRSS = res.PeakRSS

	return pipelineFigures(ctx, db, site, end.Sub(start), fetches, res)
}

// pipelineFigures fills in the pipeline's figures from the database and
// the worker's record.
func pipelineFigures(ctx context.Context, db *store.DB, site newsline.Site, elapsed time.Duration, fetches []time.Duration, res *CrawlResult) error {
	st, err := db.Stats(ctx, site.ID)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	res.Failures = st.FailuresBy
	res.Pipeline = Phase{
		Pages:   int(st.Articles),
		Failed:  int(st.URLsByState[store.URLFailed]),
		Elapsed: elapsed,
	}
	res.Pipeline.P50, res.Pipeline.P99 = percentiles(fetches)
	return nil
}

// waitForPipeline polls until the crawl:site task is done and every URL
// it found is fetched or failed, reporting progress.
func waitForPipeline(ctx context.Context, cfg CrawlConfig, db *store.DB, site newsline.Site, status func() (bool, error), workerDone chan error, start time.Time) error {
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
		crawlDone, crawlErr := status()
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
			return nil
		}
	}
}
