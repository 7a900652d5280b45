package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
	"github.com/newsline/newsline/jobs"
)

func (a *app) benchReextractCommand() *cobra.Command {
	var (
		cfg    bench.ReextractConfig
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "reextract",
		Short: "Re-extract a generated archive as `newsline reextract` does and compare with extraction alone",
		Long: `Build an archive of --articles articles from a generated site's pages, stored
as an older extractor left them (extractor version 0, a placeholder text, the
page kept), then re-extract all of it as ` + "`newsline reextract`" + ` does: read the kept
pages a batch at a time in id order, extract --workers at once, write the
results and the version in one transaction per batch. Then run the extractor
alone over the same pages, held in memory, with the same concurrency.
Prints articles/s and the process's CPU milliseconds per article of both
(PostgreSQL's CPU is not counted), and their throughput ratio.

The archive is a temporary database created on the server of
--database-url and dropped at the end; with none configured, a private
server is started in a temporary directory and stopped at the end.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if cfg.Articles < 1 || cfg.Workers < 0 || cfg.Batch < 1 {
				return usageError{fmt.Errorf("--articles and --batch must be at least 1, --workers at least 0"), "Usage: " + cmd.UseLine()}
			}
			logger := a.benchLogger(cmd)
			cfg.Logger = logger
			if a.cfg.DatabaseURL == "" {
				stop, err := a.privateServers(ctx, logger)
				if err != nil {
					return err
				}
				defer stop()
			}
			cfg.DatabaseURL = a.cfg.DatabaseURL
			show, finish := a.benchProgress(crawlProgressLine)
			cfg.Progress = show
			fmt.Fprintf(a.stderr, "bench reextract: %d articles\n", cfg.Articles)
			res, err := bench.Reextract(ctx, cfg)
			finish()
			if err != nil {
				return err
			}
			if asJSON {
				return writeMetrics(a.stdout, res.Metrics())
			}
			return printReextractBench(a.stdout, res)
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Articles, "articles", bench.DefaultReextractArticles, "articles in the archive")
	f.IntVar(&cfg.Workers, "workers", 0, "pages extracted at once (0: one per CPU)")
	f.IntVar(&cfg.Batch, "batch", jobs.DefaultReextractBatch, "articles per batch (one transaction)")
	f.Int64Var(&cfg.Seed, "seed", 1, "selects the generated site")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per figure and line")
	return cmd
}

func printReextractBench(w io.Writer, r *bench.ReextractResult) error {
	fmt.Fprintf(w, "re-extraction benchmark: %d articles from a generated site, %d workers, batches of %d (archive built in %.1f s)\n\n",
		r.Articles, r.Workers, r.Batch, r.Load.Seconds())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tarticles\terrors\tarticles/s\tCPU ms/article\tseconds\t")
	fmt.Fprintf(tw, "reextract (newsline)\t%d\t%d\t%.1f\t%.2f\t%.2f\t\n", r.Run.Pages, r.Run.Failed, r.Run.PagesPerSec(),
		r.CPUPerArticle().Seconds()*1000, r.Run.Elapsed.Seconds())
	fmt.Fprintf(tw, "extract-only\t%d\t%d\t%.1f\t%.2f\t%.2f\t\n", r.Extract.Pages, r.Extract.Failed, r.Extract.PagesPerSec(),
		r.ExtractCPUPerPage().Seconds()*1000, r.Extract.Elapsed.Seconds())
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nratio reextract / extract-only  %.2f\n", r.Ratio())
	fmt.Fprintf(w, "changed bodies                  %d (the archive holds placeholder texts)\n", r.Summary.ChangedBodies)
	return nil
}
