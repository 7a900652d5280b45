package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

func (a *app) benchCrawlCommand() *cobra.Command {
	var (
		cfg        bench.CrawlConfig
		asJSON     bool
		cpuProfile string
		inProcess  bool
	)
	cmd := &cobra.Command{
		Use:   "crawl",
		Short: "Crawl a generated site through the whole pipeline and compare with extraction alone",
		Long: `Crawl a generated site of --articles articles on loopback through the whole
pipeline — crawl:site discovers the articles through robots.txt's sitemap,
the asynq worker fetches, extracts and stores them — with politeness off;
then run the extractor alone over --extract-pages of the same pages, held in
memory, with the same concurrency. Prints pages/s of both and their ratio,
p50 and p99 per-page latency (a fetch:article task; one Extract call), the
requests the pipeline made to the site per article stored, and peak memory
during the pipeline.

The worker runs in a child process (a hidden 'bench crawl-worker'), so its
peak RSS (VmHWM) and peak live heap are reported apart from the benchmark
process's, which serves the test site; --in-process runs it in the
benchmark's process, as before, where only the whole process's peak RSS is
known. Goals on a 2-core machine: ratio ≥ 0.70 and worker peak RSS < 200 MB
at 16 workers; they are reported, never enforced.

The worker runs --workers tasks at once (default 16, the figure the goals
are set for); the global --concurrency, which sizes production workers,
does not apply.

The pipeline uses a temporary database created on the server of
--database-url and dropped at the end, and the Redis database of
--redis-url, which must be empty (use an unused number such as
redis://127.0.0.1:6379/13) and is flushed at the end. With neither
configured, private servers are started in a temporary directory and
stopped at the end. Logs are at warn level unless --log-level is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if cfg.Articles < 1 || cfg.Workers < 1 {
				return usageError{fmt.Errorf("--articles and --workers must be at least 1"), "Usage: " + cmd.UseLine()}
			}
			if _, ok := a.stderr.(*os.File); !ok {
				// os/exec copies the worker process's stderr in from a
				// goroutine of its own while the status line writes too.
				a.stderr = &lockedWriter{w: a.stderr}
			}
			logger := a.benchLogger(cmd)
			cfg.Logger = logger

			var err error
			if a.cfg.DatabaseURL == "" || a.cfg.RedisURL == "" {
				stop, err := a.privateServers(ctx, logger)
				if err != nil {
					return err
				}
				defer stop()
			}
			cfg.DatabaseURL, cfg.RedisURL = a.cfg.DatabaseURL, a.cfg.RedisURL
			if !inProcess {
				if cfg.WorkerCommand, err = a.crawlWorkerCommand(cmd); err != nil {
					return err
				}
			}
			profile, closeProfile, err := createProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer closeProfile()
			cfg.CPUProfile = profile
			show, finish := a.benchProgress(crawlProgressLine)
			cfg.Progress = show
			fmt.Fprintf(a.stderr, "bench crawl: %d articles, %d workers, politeness off\n", cfg.Articles, cfg.Workers)
			res, err := bench.Crawl(ctx, cfg)
			finish()
			if err != nil {
				return err
			}
			if asJSON {
				return writeMetrics(a.stdout, res.Metrics())
			}
			return printCrawlBench(a.stdout, res)
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Articles, "articles", bench.DefaultArticles, "articles on the generated site")
	f.IntVar(&cfg.Workers, "workers", bench.DefaultWorkers, "tasks the worker runs at once, and the extract-only pool's size")
	f.Int64Var(&cfg.Seed, "seed", 1, "selects the generated site")
	f.IntVar(&cfg.ExtractPages, "extract-pages", bench.DefaultExtractPages, "pages the extract-only phase holds in memory and extracts")
	f.BoolVar(&inProcess, "in-process", false, "run the worker in this process instead of a child process (its memory is then the benchmark's)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object per figure and line")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the pipeline phase to this file")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

// crawlProgressLine formats the crawl benchmark's progress.
func crawlProgressLine(s bench.Progress) string {
	total := "?"
	if s.Total > 0 {
		total = fmt.Sprint(s.Total)
	}
	line := fmt.Sprintf("%s: %d/%s pages", s.Phase, s.Done, total)
	if s.Failed > 0 {
		line += fmt.Sprintf(" (%d failed)", s.Failed)
	}
	if secs := s.Elapsed.Seconds(); secs > 0 {
		line += fmt.Sprintf(", %.1f s, %.0f pages/s", secs, float64(s.Done)/secs)
	}
	return line
}

func printCrawlBench(w io.Writer, r *bench.CrawlResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "crawl benchmark: %d articles on a loopback test site, %d workers, politeness off\n\n", r.Articles, r.Workers)
	fmt.Fprintln(tw, "\tpages\tfailed\tpages/s\tp50 ms\tp99 ms\tseconds\t")
	row := func(name string, p bench.Phase) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t\n", name, p.Pages, p.Failed, p.PagesPerSec(),
			p.P50.Seconds()*1000, p.P99.Seconds()*1000, p.Elapsed.Seconds())
	}
	row("pipeline (newsline)", r.Pipeline)
	row("extract-only", r.Extract)
	if err := tw.Flush(); err != nil {
		return err
	}
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	fmt.Fprintf(w, "\nratio pipeline / extract-only  %.2f  (goal ≥ %.2f: %s)\n", r.Ratio(), bench.GoalRatio, met(r.Ratio() >= bench.GoalRatio))
	switch {
	case r.WorkerProcess && r.PeakRSS > 0:
		fmt.Fprintf(w, "peak RSS during the pipeline   %.1f MB  (goal < %d MB: %s; the worker process)\n",
			r.PeakRSSMB(), bench.GoalPeakRSSMB, met(r.PeakRSSMB() < bench.GoalPeakRSSMB))
		fmt.Fprintf(w, "worker peak live heap          %.1f MB\n", float64(r.WorkerPeakHeap)/(1<<20))
		fmt.Fprintf(w, "benchmark process peak RSS     %.1f MB  (serves the test site)\n", float64(r.BenchPeakRSS)/(1<<20))
	case r.PeakRSS > 0:
		fmt.Fprintf(w, "peak RSS during the pipeline   %.1f MB  (goal < %d MB: %s; the process also serves the test site)\n",
			r.PeakRSSMB(), bench.GoalPeakRSSMB, met(r.PeakRSSMB() < bench.GoalPeakRSSMB))
	default:
		fmt.Fprintln(w, "peak RSS during the pipeline   unknown (no /proc/self/status)")
	}
	if cpu := r.Extract.CPUPerPage(); cpu > 0 {
		fmt.Fprintf(w, "extraction CPU per page        %.2f ms  (extract-only, user+system over all cores)\n", cpu.Seconds()*1000)
	}
	fmt.Fprintf(w, "crawl:site task                %.2f s  (discovery and queueing; fetches run meanwhile)\n", r.Discovery.Seconds())
	fmt.Fprintf(w, "requests to the site           %d  (%.2f per stored page)\n", r.Requests, r.RequestsPerPage())
	p50 := "pipeline p50/p99 is one fetch:article task (fetch, extract, store); extract-only is one Extract call"
	fmt.Fprintln(w, p50)
	if len(r.Failures) > 0 {
		reasons := make([]string, 0, len(r.Failures))
		for k := range r.Failures {
			reasons = append(reasons, k)
		}
		sort.Strings(reasons)
		fmt.Fprintln(w, "\npipeline failures (a bug: every page of the test site is a storable article):")
		for _, k := range reasons {
			fmt.Fprintf(w, "  %s  %d\n", k, r.Failures[k])
		}
	}
	return nil
}
