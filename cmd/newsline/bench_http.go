package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

// benchHTTPOptions are the flags of `bench http`.
type benchHTTPOptions struct {
	cfg        bench.HTTPConfig
	database   string
	classes    string
	asJSON     bool
	cpuProfile string
}

func (a *app) benchHTTPCommand() *cobra.Command {
	var o benchHTTPOptions
	cmd := &cobra.Command{
		Use:   "http",
		Short: "Serve a generated archive over HTTP under load and compare with a static file server",
		Long:  benchHTTPLong,
		Example: `  newsline bench http
  newsline bench http --articles 100000 --clients 32 --duration 20s
  newsline bench http --classes feed,feed_304 --json
  newsline bench http --classes crawl --clients 50 --duration 30s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.benchHTTP(cmd, o) },
	}
	f := cmd.Flags()
	f.IntVar(&o.cfg.Articles, "articles", bench.DefaultHTTPArticles, "articles to generate")
	f.Int64Var(&o.cfg.Seed, "seed", 1, "selects the archive")
	f.IntVar(&o.cfg.Clients, "clients", bench.DefaultHTTPClients, "concurrent keep-alive clients per class (mixed: as many of each kind)")
	f.DurationVar(&o.cfg.Duration, "duration", bench.DefaultHTTPDuration, "measured time per class and system")
	f.DurationVar(&o.cfg.Warmup, "warmup", bench.DefaultHTTPWarmup, "unmeasured load before each class and system")
	f.StringVar(&o.classes, "classes", "", "run only these classes, comma-separated ("+strings.Join(bench.HTTPClasses(), ", ")+"; all but crawl by default)")
	f.IntVar(&o.cfg.CrawlWorkers, "crawl-workers", bench.DefaultHTTPCrawlWorkers, "crawl class: tasks the crawling worker runs at once")
	f.IntVar(&o.cfg.CrawlArticles, "crawl-articles", bench.DefaultHTTPCrawlArticles, "crawl class: articles on the crawled test site")
	f.BoolVar(&o.cfg.Keep, "keep", false, "keep the temporary database, to rerun with --database")
	f.StringVar(&o.database, "database", "", "use this database (a name on --database-url's server, or a URL) instead of a temporary one")
	f.BoolVar(&o.asJSON, "json", false, "print one JSON object per figure and line")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured classes (servers and load generator) to this file")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

const benchHTTPLong = `Generate the synthetic archive of 'bench search' (--articles articles from
--seed), load it into a temporary database on the server of --database-url,
and serve it on loopback with Newsline's own HTTP server — the handler and
server settings of 'newsline serve', with the feed cache listening for the
database's notifications — beside a baseline: a bare net/http handler
serving the same feed bytes and headers from memory, which is what this
machine can do at most.

Then drive both with --clients concurrent keep-alive clients per class, for
--warmup and then --duration each, in turn:
  feed      GET of 12 feeds (latest, a site, a section, an author; RSS,
            Atom and JSON Feed), 200 with the whole body   (both systems)
  feed_304  the same with If-None-Match, 304 wanted         (both systems)
  article   /api/v1/articles/{id}, random ids of the archive
  search    /api/v1/search?q=, one of the archive's 50 most common words
            (repeated searches: the server's search cache answers most)
  search_uncached
            the same, each with a freshness weight of its own, so that
            every request is a search the server runs
  mixed, mixed_uncached
            --clients clients search (as in search, search_uncached)
            while as many others fetch feeds
  crawl     --clients clients in all search (as in search), page through
            /api/v1/articles listings and fetch feeds (any length), a
            third each, while a worker of --crawl-workers crawls a test
            site of --crawl-articles articles into the same database
            (needs --redis-url, an empty Redis database, flushed at the
            end); reported as crawl_search, crawl_listing, crawl_feed.
            Not run unless --classes names it
and print req/s, p50 and p99 of every class and system, and the
newsline/static ratios. A request answered otherwise (another status, a
short body, a transport error) is an error: errors are printed loudly and
make the command fail, after the figures.

Goals on a 2-core machine, reported, never enforced: a cached feed at
≥ 0.5× the baseline's req/s, a 304 at ≥ 0.7×, and search p99 under 50 ms
while the server also answers feeds (mixed, 16 + 16 clients).

The load generator runs in the same process as both servers and shares
their CPUs (and PostgreSQL's): the figures are those of one machine doing
both, not a server's alone.

The temporary database is dropped at the end unless --keep is given;
--database uses a database an earlier 'bench http' or 'bench search' run
kept (its archive's size and seed win). With no --database-url, private
servers are started in a temporary directory and stopped at the end.
Server logs are at warn level unless --log-level is given.`

// benchHTTP runs `bench http` and prints its figures; requests that failed
// make it fail after the figures.
func (a *app) benchHTTP(cmd *cobra.Command, o benchHTTPOptions) error {
	ctx, cfg := cmd.Context(), o.cfg
	if cfg.Articles < 1 || cfg.Clients < 1 || cfg.Duration <= 0 || cfg.Warmup < 0 {
		return usageError{fmt.Errorf("--articles and --clients must be at least 1, --duration positive"), "Usage: " + cmd.UseLine()}
	}
	classes, err := httpClasses(o.classes)
	if err != nil {
		return err
	}
	cfg.Classes = classes
	cfg.Logger = a.benchLogger(cmd)
	if a.cfg.DatabaseURL == "" || slices.Contains(classes, "crawl") && a.cfg.RedisURL == "" {
		stop, err := a.privateServers(ctx, cfg.Logger)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg.RedisURL = a.cfg.RedisURL
	if cfg.DatabaseURL, cfg.UseDatabase, err = a.benchDatabase(o.database); err != nil {
		return err
	}
	profile, closeProfile, err := createProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	defer closeProfile()
	cfg.CPUProfile = profile
	show, finish := a.benchProgress(httpProgressLine)
	cfg.Progress = show
	fmt.Fprintf(a.stderr, "bench http: %d articles, seed %d, %d clients, %s per class after %s of warm-up\n",
		cfg.Articles, cfg.Seed, cfg.Clients, cfg.Duration, cfg.Warmup)
	res, err := bench.HTTP(ctx, cfg)
	finish()
	if err != nil {
		return err
	}
	if res.Kept {
		fmt.Fprintf(a.stderr, "the archive stays in database %s: rerun with --database %s\n", res.Database, res.Database)
	}
	if o.asJSON {
		err = writeMetrics(a.stdout, res.Metrics())
	} else {
		err = printHTTPBench(a.stdout, res)
	}
	if err != nil {
		return err
	}
	if n := res.Errors(); n > 0 {
		return fmt.Errorf("%d requests failed: the figures are not to be trusted (see the errors column)", n)
	}
	return nil
}

// httpClasses reads --classes: a comma-separated list of the benchmark's
// classes, or "" for all.
func httpClasses(list string) ([]string, error) {
	if list == "" {
		return nil, nil
	}
	var out []string
	for _, c := range strings.Split(list, ",") {
		c = strings.TrimSpace(c)
		if !slices.Contains(bench.HTTPClasses(), c) {
			return nil, usageError{fmt.Errorf("unknown class %q", c), "Classes: " + strings.Join(bench.HTTPClasses(), ", ")}
		}
		out = append(out, c)
	}
	return out, nil
}

// httpProgressLine formats the HTTP benchmark's phases.
func httpProgressLine(s bench.Progress) string {
	if !strings.HasSuffix(s.Phase, " "+bench.SystemNewsline) && !strings.HasSuffix(s.Phase, " "+bench.SystemStatic) {
		return searchProgressLine(s) // the archive's load
	}
	line := fmt.Sprintf("%s: %d requests", s.Phase, s.Done)
	if s.Failed > 0 {
		line += fmt.Sprintf(", %d FAILED", s.Failed)
	}
	return line + fmt.Sprintf(", %.1f s", s.Elapsed.Seconds())
}

func printHTTPBench(w io.Writer, r *bench.HTTPResult) error {
	fmt.Fprintf(w, "http benchmark: %d articles (seed %d), database %s; %d clients, %s per class after %s of warm-up\n",
		r.Articles, r.Seed, r.Database, r.Clients, r.Duration, r.Warmup)
	fmt.Fprintf(w, "the load generator and both servers share this process and its %d CPUs (GOMAXPROCS)\n\n", r.GOMAXPROCS)
	if n := r.Errors(); n > 0 {
		fmt.Fprintf(w, "!!! %d REQUESTS FAILED: these figures are not to be trusted !!!\n\n", n)
	}
	msf := func(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()*1000) }
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\tclients\tnewsline req/s\tp50 ms\tp99 ms\terrors\tstatic req/s\tp50 ms\tp99 ms\terrors\tnewsline/static\t")
	for _, c := range r.Classes {
		l := c.Newsline
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%d\t", c.Class, l.Clients, l.ReqPerSec(), msf(l.P50), msf(l.P99), l.Errors)
		if s := c.Static; s != nil {
			fmt.Fprintf(tw, "%.0f\t%s\t%s\t%d\t%.2f\t\n", s.ReqPerSec(), msf(s.P50), msf(s.P99), s.Errors, c.Ratio())
		} else {
			fmt.Fprintln(tw, "-\t-\t-\t-\t-\t")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nmixed: the search and feed clients ran at the same time against Newsline")
	if r.Class("crawl_search") != nil || r.Class("crawl_listing") != nil || r.Class("crawl_feed") != nil {
		fivexx := 0
		for _, c := range r.Classes {
			if strings.HasPrefix(c.Class, "crawl_") {
				fivexx += c.Newsline.Status5xx
			}
		}
		fmt.Fprintf(w, "crawl: search, listing and feed clients ran at the same time while a worker crawled a test site; it stored %d articles meanwhile; 5xx answers: %d\n",
			r.CrawlStored, fivexx)
	}

	printHTTPGoals(w, r)

	fmt.Fprintln(w, "\nfeeds (up to 50 items each, full content):")
	for _, f := range r.Feeds {
		fmt.Fprintf(w, "  %-48s %7.1f KB  %s\n", f.Path, float64(f.Bytes)/1024, f.ContentType)
	}
	fmt.Fprintf(w, "feed requests Newsline built afresh while measuring: %d (0: every one came from memory)\n", r.FeedCacheMisses)
	for _, c := range r.Classes {
		if strings.Contains(c.Class, "search") {
			fmt.Fprintf(w, "%s: %d of %d searches missed the search cache (warm-up included) and were run\n",
				c.Class, c.SearchesRun, c.Newsline.Requests)
		}
	}
	fmt.Fprintf(w, "search words: %s, … (%d)\n", strings.Join(r.Words[:min(5, len(r.Words))], ", "), len(r.Words))
	if r.Load.Reused {
		fmt.Fprintln(w, "archive: loaded by an earlier run")
	} else {
		fmt.Fprintf(w, "archive: loaded in %.1f s\n", r.Load.Total().Seconds())
	}
	printHTTPErrors(w, r)
	return nil
}

// printHTTPGoals prints the goals of `bench http` and whether they are met.
func printHTTPGoals(w io.Writer, r *bench.HTTPResult) {
	msf := func(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()*1000) }
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	fmt.Fprintln(w, "\ngoals (reported, never enforced):")
	if c := r.Class("feed"); c != nil {
		fmt.Fprintf(w, "  cached feed   newsline/static %.2f  (goal ≥ %.2f: %s)\n", c.Ratio(), bench.GoalFeedRatio, met(c.Ratio() >= bench.GoalFeedRatio))
	}
	if c := r.Class("feed_304"); c != nil {
		fmt.Fprintf(w, "  304           newsline/static %.2f  (goal ≥ %.2f: %s)\n", c.Ratio(), bench.GoalFeed304Ratio, met(c.Ratio() >= bench.GoalFeed304Ratio))
	}
	if c := r.Class("mixed_search"); c != nil {
		fmt.Fprintf(w, "  search p99 while feeds are served  %s ms  (goal < %s ms: %s)\n", msf(c.Newsline.P99),
			msf(bench.GoalSearchP99), met(c.Newsline.P99 < bench.GoalSearchP99))
	}
	if c := r.Class("mixed_uncached_search"); c != nil {
		fmt.Fprintf(w, "  the same, every search run (none from the cache)  %s ms  (goal < %s ms: %s)\n", msf(c.Newsline.P99),
			msf(bench.GoalSearchP99), met(c.Newsline.P99 < bench.GoalSearchP99))
	}
}

// printHTTPErrors prints the first failed request of each class and
// system, if any failed.
func printHTTPErrors(w io.Writer, r *bench.HTTPResult) {
	if n := r.Errors(); n > 0 {
		fmt.Fprintf(w, "\n!!! %d REQUESTS FAILED; the first of each class:\n", n)
		for _, c := range r.Classes {
			for _, e := range []struct {
				system string
				l      *bench.HTTPLoad
			}{{bench.SystemNewsline, &c.Newsline}, {bench.SystemStatic, c.Static}} {
				if e.l != nil && e.l.Errors > 0 {
					fmt.Fprintf(w, "  %s %s: %d failed, first: %s\n", c.Class, e.system, e.l.Errors, e.l.FirstError)
				}
			}
		}
	}
}
