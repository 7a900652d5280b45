package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

func (a *app) crawlCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "crawl HOST",
		Short: "Crawl one site now, in the foreground, and show what happened",
		Long: `Crawl one site now: discover its articles from its feeds and start pages,
fetch every URL still waiting for a fetch, extract and store the articles,
with a progress bar and a summary at the end. It does not need a running
worker; with Redis configured it shares the politeness limits of the workers.`,
		Args: exactArgs(1, "HOST"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, site, err := a.openSite(ctx, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			var rdb redis.UniversalClient
			if a.cfg.RedisURL != "" {
				if rdb, err = a.openRedis(ctx); err != nil {
					return err
				}
				defer rdb.Close()
			}
			h := a.handlers(db, rdb, nil, nil)
			start := time.Now()
			found, err := a.discover(ctx, h, site, start)
			if err != nil {
				return err
			}
			outcomes, err := a.fetchAll(ctx, h, site, found.pending)
			if _, ferr := db.FoldTermStats(ctx); ferr != nil && err == nil {
				err = ferr
			}
			printCrawl(a.stdout, site, found, outcomes, time.Since(start))
			return err
		},
	}
}

// discovered is what the discovery step of `newsline crawl` found.
type discovered struct {
	*crawler.Discovery
	newURLs int         // of Articles, those not known before
	pending []store.URL // to fetch: new URLs and due re-fetches
}

// discover reads the site's feeds and start pages, records the new
// article URLs and the crawl run, and returns the URLs to fetch.
func (a *app) discover(ctx context.Context, h *jobs.Handlers, site newsline.Site, start time.Time) (*discovered, error) {
	fmt.Fprintf(a.stderr, "discovering articles on %s…\n", site.Host)
	d, err := h.Discover(ctx, site)
	if err != nil {
		return nil, err
	}
	newURLs, err := h.AddCandidates(ctx, site.ID, d)
	if err != nil {
		return nil, err
	}
	pending, err := h.DB.PendingURLs(ctx, site.ID, site.MaxPages)
	if err != nil {
		return nil, err
	}
	refetch, err := h.DB.DueRefetches(ctx, site.ID, max(site.MaxPages-len(pending), 0))
	if err != nil {
		return nil, err
	}
	pending = append(pending, refetch...)
	if err := h.DB.RecordCrawlRun(ctx, store.CrawlRun{SiteID: site.ID, StartedAt: start, FinishedAt: time.Now(),
		Pages: d.Pages, NotModified: d.NotModified, Links: len(d.Articles), NewURLs: newURLs, Queued: len(pending),
		Failures: d.Failures}); err != nil {
		return nil, err
	}
	fmt.Fprintf(a.stderr, "%d pages read (%d of them articles, stored), %d article links (%d new), %d to fetch\n",
		d.Pages, d.Kept, len(d.Articles), newURLs, len(pending))
	return &discovered{Discovery: d, newURLs: newURLs, pending: pending}, nil
}

// fetchAll fetches, extracts and stores pending with the configured
// concurrency, showing a progress bar, and counts the outcomes by reason.
func (a *app) fetchAll(ctx context.Context, h *jobs.Handlers, site newsline.Site, pending []store.URL) (map[string]int, error) {
	bar := &fetchProgress{status: newStatusLine(a.stderr), total: int64(len(pending))}
	var mu sync.Mutex
	outcomes := map[string]int{}
	work := make(chan store.URL)
	g, gctx := errgroup.WithContext(ctx)
	for range min(a.cfg.Concurrency, max(len(pending), 1)) {
		g.Go(func() error {
			for u := range work {
				out, err := h.Fetch(gctx, site, u)
				if err != nil && gctx.Err() != nil {
					return gctx.Err()
				}
				reason := out.Reason
				if err != nil {
					reason += " (will retry)"
				}
				mu.Lock()
				outcomes[reason]++
				mu.Unlock()
				bar.add(err == nil && out.Stored())
			}
			return nil
		})
	}
feed:
	for _, u := range pending {
		select {
		case work <- u:
		case <-gctx.Done():
			break feed
		}
	}
	close(work)
	err := g.Wait()
	bar.finish()
	return outcomes, err
}

// fetchProgress counts the fetches of `newsline crawl` (or the pages of
// `newsline reextract`) and shows them as a bar on a status line.
type fetchProgress struct {
	status   *statusLine
	total    int64
	verb     string // "fetching" when empty
	failures string // "failed" when empty
	done     atomic.Int64
	fail     atomic.Int64
}

// set sets the counts: n pages, fail of them failed.
func (p *fetchProgress) set(n, fail int64) {
	p.done.Store(n - fail)
	p.fail.Store(fail)
	p.status.set(p.line())
}

func (p *fetchProgress) add(ok bool) {
	if ok {
		p.done.Add(1)
	} else {
		p.fail.Add(1)
	}
	p.status.set(p.line())
}

// finish leaves the final count on screen.
func (p *fetchProgress) finish() {
	p.status.set(p.line())
	p.status.finish()
}

func (p *fetchProgress) line() string {
	n := p.done.Load() + p.fail.Load()
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = int(n * width / p.total)
	}
	filled = min(filled, width)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	verb, failures := p.verb, p.failures
	if verb == "" {
		verb, failures = "fetching", "failed"
	}
	return fmt.Sprintf("%s [%s] %d/%d (%d %s)", verb, bar, n, p.total, p.fail.Load(), failures)
}

// printCrawl prints the summary of `newsline crawl`: what discovery found,
// the fetches' outcomes, stored ones first, and the time taken.
func printCrawl(w io.Writer, site newsline.Site, d *discovered, outcomes map[string]int, took time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nsite\t%s\n", site.Host)
	fmt.Fprintf(tw, "index pages read\t%d\n", d.Pages)
	fmt.Fprintf(tw, "article links found\t%d (%d new)\n", len(d.Articles), d.newURLs)
	labels := map[string]string{
		store.SavedNew: "new articles", store.SavedUpdated: "updated (corrections)", store.SavedUnchanged: "unchanged",
		store.SavedAlias: "copies of stored articles", "not_modified": "not modified (304)",
	}
	reasons := sortedKeys(outcomes)
	for _, r := range reasons {
		if l, ok := labels[r]; ok {
			fmt.Fprintf(tw, "%s\t%d\n", l, outcomes[r])
		}
	}
	for _, r := range reasons {
		if _, ok := labels[r]; !ok {
			fmt.Fprintf(tw, "not stored: %s\t%d\n", r, outcomes[r])
		}
	}
	if d.NotModified > 0 {
		fmt.Fprintf(tw, "feeds/sitemaps unchanged (304)\t%d\n", d.NotModified)
	}
	for _, r := range sortedKeys(d.Failures) {
		fmt.Fprintf(tw, "discovery failed: %s\t%d\n", r, d.Failures[r])
	}
	fmt.Fprintf(tw, "took\t%s\n", took.Round(time.Millisecond))
	tw.Flush()
}
