package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

// benchSearchOptions are the flags of `bench search`.
type benchSearchOptions struct {
	cfg        bench.SearchConfig
	database   string
	asJSON     bool
	cpuProfile string
}

func (a *app) benchSearchCommand() *cobra.Command {
	var o benchSearchOptions
	cmd := &cobra.Command{
		Use:   "search",
		Short: "Load a generated archive and compare Newsline's search with naive SQL",
		Long:  benchSearchLong,
		Example: `  newsline bench search --articles 100000
  newsline bench search --articles 1000000 --keep
  newsline bench search --database newsline_bench_search_0123456789 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.benchSearch(cmd, o) },
	}
	f := cmd.Flags()
	f.IntVar(&o.cfg.Articles, "articles", bench.DefaultSearchArticles, "articles to generate")
	f.Int64Var(&o.cfg.Seed, "seed", 1, "selects the archive and the queries")
	f.IntVar(&o.cfg.Queries, "queries", bench.DefaultSearchQueries, "queries per class")
	f.IntVar(&o.cfg.Streams, "streams", bench.DefaultSearchStreams, "COPY streams in parallel")
	f.DurationVar(&o.cfg.NaiveTimeout, "naive-timeout", bench.DefaultSearchNaiveTimeout, "statement_timeout of the naive queries")
	f.DurationVar(&o.cfg.NaiveBudget, "naive-budget", bench.DefaultSearchNaiveBudget, "time the naive side may spend per class before skipping its remaining queries")
	f.BoolVar(&o.cfg.Keep, "keep", false, "keep the temporary database, to rerun with --database")
	f.StringVar(&o.database, "database", "", "use this database (a name on --database-url's server, or a URL) instead of a temporary one")
	f.BoolVar(&o.cfg.Explain, "explain", false, "print EXPLAIN ANALYZE (auto_explain; superuser) of each class's slowest query")
	f.BoolVar(&o.asJSON, "json", false, "print one JSON object per figure and line")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load's COPY to this file")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

const benchSearchLong = `Generate a synthetic archive of --articles articles from --seed (a Zipf
vocabulary of made-up words under a few hundred real common words, 50
sites, four languages, authors, sections, three years of dates), load it
with COPY into a temporary database on the server of --database-url, with
each article's search vector computed in Go, then build the indexes.
Then run --queries queries of each class (rare, common, and2, phrase,
exclude, site, date, datesort, page10) through Newsline's search.Query,
then the same queries through naive SQL that ranks and highlights every
match (after all of Newsline's, so that their reads of most of the archive
do not evict what the next Newsline query reads), and print p50/p95/p99 of
both and their ratio, with the load's figures.

The temporary database is dropped at the end unless --keep is given.
--database names a database to use instead: an empty one is loaded (and
kept), one an earlier run loaded (see --keep) is used as it is, so
repeated query runs skip the load; its archive's size and seed win over
--articles and --seed. Classes Newsline's API cannot express yet run a
stated fallback on both sides (see the note column).`

// benchSearch runs `bench search` and prints its figures.
func (a *app) benchSearch(cmd *cobra.Command, o benchSearchOptions) error {
	cfg := o.cfg
	if cfg.Articles < 1 || cfg.Queries < 1 || cfg.Streams < 1 {
		return usageError{fmt.Errorf("--articles, --queries and --streams must be at least 1"), "Usage: " + cmd.UseLine()}
	}
	if a.cfg.DatabaseURL == "" {
		return usageError{fmt.Errorf("no database configured"), "Set NEWSLINE_DATABASE_URL or --database-url to a PostgreSQL server; the benchmark creates its own database there."}
	}
	var err error
	if cfg.DatabaseURL, cfg.UseDatabase, err = a.benchDatabase(o.database); err != nil {
		return err
	}
	profile, closeProfile, err := createProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	defer closeProfile()
	cfg.CPUProfile = profile
	show, finish := a.benchProgress(searchProgressLine)
	cfg.Progress = show
	fmt.Fprintf(a.stderr, "bench search: %d articles, seed %d, %d queries per class\n", cfg.Articles, cfg.Seed, cfg.Queries)
	res, err := bench.Search(cmd.Context(), cfg)
	finish()
	if err != nil {
		return err
	}
	if res.Kept {
		fmt.Fprintf(a.stderr, "the archive stays in database %s: rerun with --database %s\n", res.Database, res.Database)
	}
	if o.asJSON {
		return writeMetrics(a.stdout, res.Metrics())
	}
	return printSearchBench(a.stdout, res)
}

// searchProgressLine formats the search benchmark's phases.
func searchProgressLine(s bench.Progress) string {
	line := s.Phase + "…"
	switch s.Phase {
	case "load":
		line = fmt.Sprintf("load: %d/%d articles", s.Done, s.Total)
		if secs := s.Elapsed.Seconds(); secs > 0 {
			line += fmt.Sprintf(", %.1f s, %.0f articles/s", secs, float64(s.Done)/secs)
		}
	case "warm-up", "queries", "naive queries":
		line = fmt.Sprintf("%s: %d", s.Phase, s.Done)
		if s.Total > 0 {
			line += fmt.Sprintf("/%d", s.Total)
		}
		line += fmt.Sprintf(" queries, %.1f s", s.Elapsed.Seconds())
	}
	return line
}

func printSearchBench(w io.Writer, r *bench.SearchResult) error {
	fmt.Fprintf(w, "search benchmark: %d articles (seed %d, %d word types per language), database %s\n\n",
		r.Articles, r.Seed, r.Vocabulary, r.Database)
	msf := func(d time.Duration) string { return fmt.Sprintf("%.1f", d.Seconds()*1000) }
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tnewsline p50\tp95\tp99\tnaive p50\tp95\tp99\tn\tratio p50\tratio p99\tnaive timeouts\t")
	for _, c := range r.Classes {
		to := "-"
		if c.NaiveTimeouts+c.NaiveSkipped > 0 {
			to = fmt.Sprintf("%d, %d skipped", c.NaiveTimeouts, c.NaiveSkipped)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%.1f×\t%.1f×\t%s\t\n", c.Class,
			msf(c.Newsline.P50), msf(c.Newsline.P95), msf(c.Newsline.P99),
			msf(c.Naive.P50), msf(c.Naive.P95), msf(c.Naive.P99), c.Naive.N, c.Ratio(), c.RatioP99(), to)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nlatencies in ms, wall time of one call; ratio = naive / newsline. Naive statement_timeout %s:\n", r.NaiveTimeout)
	fmt.Fprintf(w, "a timed-out query counts as %s (percentiles then are lower bounds); after 2 timeouts, or %s spent,\na class's remaining naive queries are skipped (n = naive queries measured).\n\n", r.NaiveTimeout, r.NaiveBudget)
	fmt.Fprintln(w, "queries (the first of each class, as run) and notes:")
	for _, c := range r.Classes {
		fmt.Fprintf(w, "  %-8s %s", c.Class, c.Example)
		if c.NewslineEmpty > 0 {
			fmt.Fprintf(w, "  [%d newsline queries found nothing]", c.NewslineEmpty)
		}
		fmt.Fprintln(w)
		if c.Note != "" {
			fmt.Fprintf(w, "           note: %s\n", c.Note)
		}
	}
	l := r.Load
	fmt.Fprintln(w)
	if l.Reused {
		fmt.Fprintln(w, "load (by the run that filled this database):")
	} else {
		fmt.Fprintln(w, "load:")
	}
	fmt.Fprintf(w, "  COPY          %d articles, %d author links in %.1f s = %.0f articles/s (%d streams; secondary indexes and foreign keys dropped)\n",
		l.Articles, l.Authors, l.Copy.Seconds(), l.ArticlesPerSec(), l.Streams)
	fmt.Fprintf(w, "  indexes       %.1f s for all (maintenance_work_mem %d MB); the GIN index alone %.1f s\n", l.Indexes.Seconds(), l.MaintMemMB, l.GINBuild.Seconds())
	fmt.Fprintf(w, "  VACUUM ANALYZE %.1f s; whole load %.1f s\n", l.Analyze.Seconds(), l.Total().Seconds())
	fmt.Fprintf(w, "prewarm:\n  read the archive into the OS cache before the queries (%s) in %.1f s\n", r.Prewarmed, r.PrewarmTime.Seconds())
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "sizes:\n  articles total %s (heap and TOAST %s, indexes %s); GIN index articles_search_idx %s\n",
		mb(r.Sizes.Total), mb(r.Sizes.Table), mb(r.Sizes.Index), mb(r.Sizes.GIN))
	for _, e := range r.Explains {
		fmt.Fprintf(w, "\nEXPLAIN ANALYZE, %s, slowest %s query: %s\n", e.System, e.Class, e.Query)
		for _, p := range e.Plans {
			fmt.Fprintln(w, strings.TrimRight(p, "\n"))
		}
	}
	return nil
}
