package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testsite"
)

// page is an article page held in memory for the baseline.
type page struct {
	url  string
	body []byte
}

// warmUpPages is how many pages warmUp extracts.
const warmUpPages = 64

// warmUp extracts a few of the site's pages, untimed, before either phase:
// anything loaded on first use, once per process, is loaded here,
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
	cpu0, cpuErr := cpuTime()
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
	if cpu1, err := cpuTime(); err == nil && cpuErr == nil {
		p.CPU = cpu1 - cpu0
	}
	p.P50, p.P99 = percentiles(lat)
	return p
}
