package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// The crawl class of the HTTP benchmark: readers search, page through
// listings and fetch feeds while workers crawl a test site into the very
// database the server reads, as on a live system.

// Defaults of the crawl class.
const (
	// DefaultHTTPCrawlWorkers is how many tasks the crawl class's worker
	// runs at once.
	DefaultHTTPCrawlWorkers = 4
	// DefaultHTTPCrawlArticles is the crawled test site's size: more than
	// a worker stores in a class's run, so it crawls throughout.
	DefaultHTTPCrawlArticles = 5000
)

// crawlClasses are the result classes of the crawl class, one per route
// kind, in the order of their jobs.
var crawlClasses = []string{"crawl_search", "crawl_listing", "crawl_feed"}

// httpCrawl is the crawl that runs under the crawl class's load.
type httpCrawl struct {
	ts     *testsite.Server
	db     *store.DB
	siteID int64
	stop   context.CancelFunc
	done   chan error
}

// startHTTPCrawl starts a test site of cfg.CrawlArticles articles, adds
// it to the archive's sites, starts a worker of cfg.CrawlWorkers on
// cfg.RedisURL (which must be empty; it is flushed at the end) and queues
// the site's crawl.
func startHTTPCrawl(ctx context.Context, cfg HTTPConfig, db *store.DB) (c *httpCrawl, err error) {
	rdb, err := emptyRedis(ctx, cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	ts, err := testsite.Start(testsite.Config{Articles: cfg.CrawlArticles, Seed: 1, DisallowedEvery: cfg.CrawlArticles + 1,
		SitemapIndex: cfg.CrawlArticles > sitemapIndexAbove})
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("bench: start test site: %w", err)
	}
	c = &httpCrawl{ts: ts, db: db, done: make(chan error, 1)}
	defer func() {
		if err != nil {
			ts.Close()
			rdb.Close()
		}
	}()
	site, err := addBenchSite(ctx, db, ts, cfg.CrawlArticles)
	if err != nil {
		return nil, err
	}
	c.siteID = site.ID
	wctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.stop = stop
	go func() {
		werr := jobs.RunWorker(wctx, rdb, jobs.WorkerConfig{
			Concurrency: cfg.CrawlWorkers, ShutdownTimeout: 10 * time.Second, Logger: cfg.Logger,
		}, benchHandlers(db, rdb, cfg.Logger))
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if ferr := rdb.FlushDB(fctx).Err(); ferr != nil {
			werr = errors.Join(werr, fmt.Errorf("bench: flush the benchmark's Redis database: %w", ferr))
		}
		c.done <- errors.Join(werr, rdb.Close())
	}()
	if _, err := asynq.NewClientFromRedisClient(rdb).EnqueueContext(ctx, jobs.NewCrawlSiteTask(site.Host)); err != nil {
		stop()
		return nil, errors.Join(fmt.Errorf("bench: queue crawl:site: %w", err), <-c.done)
	}
	if err := c.waitForFetches(ctx); err != nil {
		stop()
		return nil, errors.Join(err, <-c.done)
	}
	return c, nil
}

// waitForFetches waits until the crawl has stored its first article, so
// that the load meets a worker that fetches and stores, not one that
// still discovers.
func (c *httpCrawl) waitForFetches(ctx context.Context) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, err := c.db.Stats(ctx, c.siteID)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		if st.Articles > 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("bench: the crawl class's worker stored no article within 2 minutes")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-c.done:
			c.done <- err
			return fmt.Errorf("bench: the crawl class's worker stopped: %w", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// finish stops the worker and the test site, and returns how many
// articles the crawl stored (the crawled site is new to the archive).
func (c *httpCrawl) finish(ctx context.Context) (int64, error) {
	c.stop()
	err := <-c.done
	c.ts.Close()
	st, serr := c.db.Stats(ctx, c.siteID)
	if serr != nil {
		return 0, errors.Join(err, fmt.Errorf("bench: %w", serr))
	}
	return st.Articles, err
}

// runCrawlClass drives search, listings and feeds at once, cfg.Clients
// clients shared between them, while the crawl runs.
func runCrawlClass(ctx context.Context, cfg HTTPConfig, g *loadGen, nl *newslineServer, db *store.DB, feeds []servedFeed, res *HTTPResult) error {
	crawl, err := startHTTPCrawl(ctx, cfg, db)
	if err != nil {
		return err
	}
	n := cfg.Clients
	perRoute := []int{(n + 2) / 3, (n + 1) / 3, n / 3}
	var jobs []httpJob
	var classes []string
	for i, j := range []httpJob{
		searchRequests(ctx, nl.url, res.Words, perRoute[0], false),
		listingRequests(ctx, nl.url, perRoute[1]),
		anyFeedRequests(ctx, nl.url, feeds, perRoute[2]),
	} {
		if j.clients > 0 {
			jobs, classes = append(jobs, j), append(classes, crawlClasses[i])
		}
	}
	runs := nl.api.SearchCacheMisses()
	ns := g.run(ctx, "crawl newsline", jobs...)
	stored, err := crawl.finish(ctx)
	res.CrawlStored = stored
	for i, l := range ns {
		c := HTTPClassResult{Class: classes[i], Newsline: l}
		if classes[i] == "crawl_search" {
			c.SearchesRun = nl.api.SearchCacheMisses() - runs
		}
		res.Classes = append(res.Classes, c)
	}
	return err
}

// listingRequests pages through article listings through the JSON API:
// the newest articles, one site's, one section's and one author's, first
// pages.
func listingRequests(ctx context.Context, base *url.URL, clients int) httpJob {
	queries := []string{"", "site=" + url.QueryEscape(searchSiteHost(0)), "section=" + url.QueryEscape(searchSections()[0]),
		"author=" + url.QueryEscape(newsline.Slug(searchAuthorNames()[0])), "limit=50"}
	return httpJob{clients: clients, status: http.StatusOK, request: func(c *httpClient) (*http.Request, int64) {
		if c.reqs == nil {
			for _, q := range queries {
				c.reqs = append(c.reqs, getRequest(ctx, base, "/api/v1/articles", q))
			}
		}
		return c.reqs[(c.id+c.k)%len(c.reqs)], -1
	}}
}

// anyFeedRequests fetches the feeds in turn, each client from its own
// place in the list, and takes any length: the crawl changes them.
func anyFeedRequests(ctx context.Context, base *url.URL, feeds []servedFeed, clients int) httpJob {
	j := feedRequests(ctx, base, feeds, clients, false)
	request := j.request
	j.request = func(c *httpClient) (*http.Request, int64) {
		req, _ := request(c)
		return req, -1
	}
	return j
}
