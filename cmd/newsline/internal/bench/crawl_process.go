package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// runPipelineProcess is runPipeline with the worker in a process of its
// own (cfg.WorkerCommand), whose peak RSS and heap are reported apart from
// this process's (which serves the test site).
func runPipelineProcess(ctx context.Context, cfg CrawlConfig, db *store.DB, dbURL string, rdb *redis.Client, site newsline.Site, ts *testsite.Server, res *CrawlResult) (err error) {
	articles := ts.Allowed()
	warm := make([]string, 0, warmUpPages)
	for _, a := range articles[:min(warmUpPages, len(articles))] {
		warm = append(warm, ts.URL+a.Path)
	}
	p, err := startWorkerProcess(ctx, cfg.WorkerCommand(ctx), workerSetup{
		DatabaseURL: dbURL, RedisURL: cfg.RedisURL, Workers: cfg.Workers, WarmUp: warm,
	})
	if err != nil {
		return err
	}
	res.WorkerProcess = true
	stopped := false
	defer func() {
		if !stopped {
			err = errors.Join(err, p.stop())
		}
	}()

	var mu sync.Mutex
	var crawlDone bool
	var crawlErr error
	var discovery time.Duration
	workerDone := make(chan error, 1)
	ectx, stopEvents := context.WithCancel(ctx)
	defer stopEvents()
	go func() {
		for {
			select {
			case e := <-p.events:
				if e.CrawlDone {
					mu.Lock()
					crawlDone, discovery = true, e.CrawlTook
					if e.CrawlErr != "" {
						crawlErr = errors.New(e.CrawlErr)
					}
					mu.Unlock()
				}
			case f := <-p.final:
				p.final <- f
				workerDone <- fmt.Errorf("worker process ended: %s", f.Err)
				return
			case <-ectx.Done():
				return
			}
		}
	}()
	status := func() (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		return crawlDone, crawlErr
	}

	resetPeakRSS()
	start := time.Now()
	if _, err := asynq.NewClientFromRedisClient(rdb).EnqueueContext(ctx, jobs.NewCrawlSiteTask(site.Host)); err != nil {
		return fmt.Errorf("bench: queue crawl:site: %w", err)
	}
	if err := waitForPipeline(ctx, cfg, db, site, status, workerDone, start); err != nil {
		return err
	}
	res.WorkerPeakRSS = p.peakRSS()
	res.BenchPeakRSS = peakRSS()
	stopped = true
	stopEvents()
	if err := p.stop(); err != nil {
		return fmt.Errorf("bench: worker process: %w", err)
	}
	final := <-p.final
	if !final.Final {
		return errors.New("bench: the worker process did not report")
	}
	res.WorkerPeakHeap = final.PeakHeap
	res.WorkerPeakRSS = max(res.WorkerPeakRSS, final.PeakRSS)
	res.PeakRSS = res.WorkerPeakRSS
	mu.Lock()
	res.Discovery = discovery
	mu.Unlock()
	return pipelineFigures(ctx, db, site, final.LastEnd.Sub(start), final.Fetches, res)
}
