package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hibiken/asynq"
	"github.com/spf13/cobra"

	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// reextractKinds are the kinds --kind accepts.
var reextractKinds = []string{extract.KindArticle, extract.KindIndex, extract.KindGallery, extract.KindVideo,
	extract.KindPaywall, extract.KindError, extract.KindStub}

// reextractFlags are the flags of `newsline reextract`.
type reextractFlags struct {
	site, since, kind string
	dryRun, queue     bool
	batch             int
}

func (a *app) reextractCommand() *cobra.Command {
	var fl reextractFlags
	cmd := &cobra.Command{
		Use:   "reextract",
		Short: "Extract the stored articles again from their kept pages, after the extractor improved",
		Long: `Run the extractor again over the pages kept with the stored articles, and
store what it finds the way a crawl does: text, HTML, title, authors, dates,
language, section, kind, keywords and summary, with the search vectors and
the keyword index following. Only articles an older extractor made are
read (each article records its extractor version; this binary's is
extract.Version), so a run that is interrupted resumes where it stopped, and
a second run finds nothing to do. Shows a progress bar, then a summary:
pages, changed bodies, changed kinds and errors (a page the extractor now
rejects keeps its article as it was).

--site, --since (the day the page was fetched) and --kind (the stored kind,
e.g. stub or gallery) narrow the articles. --dry-run extracts and counts but
writes nothing. --queue does no extraction here: it queues the articles as
reextract:batch tasks on the reextract queue, the lowest-priority one, for
the workers to share.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.reextract(cmd, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.site, "site", "", "only this site's articles (its host)")
	f.StringVar(&fl.since, "since", "", "only articles fetched on or after this day (2026-11-19)")
	f.StringVar(&fl.kind, "kind", "", "only articles stored as this kind ("+strings.Join(reextractKinds, ", ")+")")
	f.BoolVar(&fl.dryRun, "dry-run", false, "extract and count, write nothing")
	f.BoolVar(&fl.queue, "queue", false, "queue the work as reextract:batch tasks for the workers instead")
	f.IntVar(&fl.batch, "batch", jobs.DefaultReextractBatch, "articles per transaction (and per queued task)")
	return cmd
}

// reextract runs `newsline reextract`.
func (a *app) reextract(cmd *cobra.Command, fl reextractFlags) error {
	ctx := cmd.Context()
	usage := "Run '" + cmd.CommandPath() + " --help' for usage."
	since, err := parseDay("--since", fl.since)
	if err != nil {
		return err
	}
	switch {
	case fl.kind != "" && !slices.Contains(reextractKinds, fl.kind):
		return usageError{fmt.Errorf("--kind wants one of %s, got %q", strings.Join(reextractKinds, ", "), fl.kind), usage}
	case fl.dryRun && fl.queue:
		return usageError{fmt.Errorf("--dry-run and --queue do not go together"), usage}
	case fl.batch < 1:
		return usageError{fmt.Errorf("--batch must be at least 1"), usage}
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	filter := store.ReextractFilter{Version: extract.Version, Since: since, Kind: fl.kind}
	if fl.site != "" {
		site, err := a.siteByHost(ctx, db, fl.site)
		if err != nil {
			return err
		}
		filter.SiteID = site.ID
	}
	if fl.queue {
		return a.queueReextract(ctx, db, filter, fl)
	}
	total, err := db.CountReextract(ctx, filter)
	if err != nil {
		return err
	}
	h := a.handlers(db, nil, nil, nil)
	bar := &fetchProgress{status: newStatusLine(a.stderr), total: int64(total), verb: "re-extracting", failures: "errors"}
	start := time.Now()
	sum, err := h.Reextract(ctx, jobs.ReextractOptions{
		Filter: filter, Batch: fl.batch, Workers: a.cfg.Concurrency, DryRun: fl.dryRun,
		Progress: func(s jobs.ReextractSummary) { bar.set(int64(s.Pages), int64(s.ErrorCount())) },
	})
	bar.finish()
	printReextract(a.stdout, sum, fl.dryRun, time.Since(start))
	return err
}

// queueReextract runs `newsline reextract --queue`.
func (a *app) queueReextract(ctx context.Context, db *store.DB, filter store.ReextractFilter, fl reextractFlags) error {
	rdb, err := a.openRedis(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()
	client := asynq.NewClientFromRedisClient(rdb)
	h := a.handlers(db, rdb, client, nil)
	tasks, articles, err := h.QueueReextract(ctx, filter, fl.site, fl.batch)
	fmt.Fprintf(a.stdout, "queued %d %s tasks (%d articles) on the %s queue\n",
		tasks, jobs.TypeReextractBatch, articles, jobs.QueueReextract)
	return err
}

// printReextract prints the summary of `newsline reextract`.
func printReextract(w io.Writer, s jobs.ReextractSummary, dryRun bool, took time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if dryRun {
		fmt.Fprintln(tw, "\ndry run: nothing was written")
	} else {
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "extractor version\t%d\n", extract.Version)
	fmt.Fprintf(tw, "pages\t%d\n", s.Pages)
	fmt.Fprintf(tw, "changed bodies\t%d\n", s.ChangedBodies)
	fmt.Fprintf(tw, "changed kinds\t%d\n", s.ChangedKinds)
	fmt.Fprintf(tw, "errors\t%d\n", s.ErrorCount())
	for _, r := range sortedKeys(s.Errors) {
		fmt.Fprintf(tw, "  %s\t%d\n", r, s.Errors[r])
	}
	fmt.Fprintf(tw, "took\t%s\n", took.Round(time.Millisecond))
	tw.Flush()
}
