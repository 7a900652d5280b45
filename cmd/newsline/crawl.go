package main

import (
	"fmt"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

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
			h := a.handlers(db, rdb, nil)
			start := time.Now()
			fmt.Fprintf(a.stderr, "discovering articles on %s…\n", site.Host)
			d, err := h.Discover(ctx, site)
			if err != nil {
				return err
			}
			newURLs, err := h.AddCandidates(ctx, site.ID, d)
			if err != nil {
				return err
			}
			pending, err := db.PendingURLs(ctx, site.ID, site.MaxPages)
			if err != nil {
				return err
			}
			refetch, err := db.DueRefetches(ctx, site.ID, max(site.MaxPages-len(pending), 0))
			if err != nil {
				return err
			}
			pending = append(pending, refetch...)
			if err := db.RecordCrawlRun(ctx, store.CrawlRun{SiteID: site.ID, StartedAt: start, FinishedAt: time.Now(),
				Pages: d.Pages, NotModified: d.NotModified, Links: len(d.Articles), NewURLs: newURLs, Queued: len(pending),
				Failures: d.Failures}); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "%d pages read (%d of them articles, stored), %d article links (%d new), %d to fetch\n",
				d.Pages, d.Kept, len(d.Articles), newURLs, len(pending))

			bar := &progress{w: a.stderr, tty: isTerminal(a.stderr), total: int64(len(pending)), label: "fetching"}
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
			err = g.Wait()
			bar.print(true)
			if _, ferr := db.FoldTermStats(ctx); ferr != nil && err == nil {
				err = ferr
			}

			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "\nsite\t%s\n", site.Host)
			fmt.Fprintf(tw, "index pages read\t%d\n", d.Pages)
			fmt.Fprintf(tw, "article links found\t%d (%d new)\n", len(d.Articles), newURLs)
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
			fmt.Fprintf(tw, "took\t%s\n", time.Since(start).Round(time.Millisecond))
			tw.Flush()
			return err
		},
	}
}
