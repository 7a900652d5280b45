package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/internal/suggest"
	"github.com/newsline/newsline/search"
	"github.com/newsline/newsline/store"
)

func (a *app) migrateCommand() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:   "migrate",
		Short: "Apply, roll back or list database migrations",
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := db.MigrateUp(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "applied %d migration(s)\n", n)
			return nil
		},
	}, &cobra.Command{
		Use:   "down",
		Short: "Roll back the newest applied migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			ok, err := db.MigrateDown(cmd.Context())
			if err != nil {
				return err
			}
			if !ok {
				fmt.Fprintln(a.stdout, "nothing to roll back")
				return nil
			}
			fmt.Fprintln(a.stdout, "rolled back 1 migration")
			return nil
		},
	}, &cobra.Command{
		Use:     "status",
		Aliases: []string{"st", "ls", "list"},
		Short:   "List migrations and whether each is applied",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			st, err := db.MigrateStatus(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
			for _, s := range st {
				state, at := "pending", ""
				if s.Applied {
					state, at = "applied", s.AppliedAt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", s.Version, s.Name, state, at)
			}
			return tw.Flush()
		},
	})
	return cmd
}

func (a *app) sitesCommand() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "sites",
		Aliases: []string{"site"},
		Short:   "List, add, remove and inspect whitelisted sites (by host)",
	})
	cmd.AddCommand(a.sitesList(), a.sitesShow(), a.sitesAdd(), a.sitesRemove())
	return cmd
}

func (a *app) sitesList() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List whitelisted sites",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			sites, err := db.SiteSummaries(ctx)
			if err != nil {
				return err
			}
			if len(sites) == 0 {
				fmt.Fprintln(a.stdout, "no sites yet: add one with 'newsline sites add HOST --feed URL', or start the scheduler to load the whitelist file")
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "HOST\tNAME\tENABLED\tSCHEDULE\tARTICLES\tNEWEST ARTICLE\tLAST CRAWL")
			for _, s := range sites {
				newest, crawl := "-", "never"
				if s.LastArticleAt != nil {
					newest = s.LastArticleAt.Local().Format("2006-01-02 15:04")
				}
				if r := s.LastRun; r != nil {
					crawl = r.StartedAt.Local().Format("2006-01-02 15:04") + " ok"
					if r.Error != "" {
						crawl = r.StartedAt.Local().Format("2006-01-02 15:04") + " failed: " + r.Error
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%d\t%s\t%s\n", s.Host, s.Name, yesNo(s.Enabled), s.Schedule, s.Articles, newest, crawl)
			}
			return tw.Flush()
		},
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// siteByHost finds a site, suggesting the closest host on a miss.
func (a *app) siteByHost(ctx context.Context, db *store.DB, host string) (newsline.Site, error) {
	s, err := db.Site(ctx, host)
	if newsline.ErrorCode(err) != newsline.ENOTFOUND {
		return s, err
	}
	hosts, herr := db.SiteHosts(ctx)
	if herr != nil {
		return s, err
	}
	if best := suggest.Closest(host, hosts); best != "" {
		return s, newsline.Errorf(newsline.ENOTFOUND, "no site %q on the whitelist; did you mean %s?", host, best)
	}
	return s, newsline.Errorf(newsline.ENOTFOUND, "no site %q on the whitelist; 'newsline sites list' shows them", host)
}

// openSite opens the database and finds a site by host; the caller closes
// the database.
func (a *app) openSite(ctx context.Context, host string) (*store.DB, newsline.Site, error) {
	db, err := a.openDB(ctx)
	if err != nil {
		return nil, newsline.Site{}, err
	}
	s, err := a.siteByHost(ctx, db, host)
	if err != nil {
		db.Close()
		return nil, s, err
	}
	return db, s, nil
}

func (a *app) sitesShow() *cobra.Command {
	return &cobra.Command{
		Use:     "show HOST",
		Aliases: []string{"info", "get"},
		Short:   "Show a site's settings and crawl statistics",
		Args:    exactArgs(1, "HOST"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, s, err := a.openSite(ctx, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			st, err := db.Stats(ctx, s.ID)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
			row("host", s.Host)
			row("name", s.Name)
			row("enabled", yesNo(s.Enabled))
			row("schedule", s.Schedule)
			row("delay", s.Delay)
			row("max pages", s.MaxPages)
			row("feeds", strings.Join(s.Feeds, " "))
			row("start urls", strings.Join(s.StartURLs, " "))
			if len(s.ExtraHosts) > 0 {
				row("extra hosts", strings.Join(s.ExtraHosts, " "))
			}
			row("include", strings.Join(s.Include, " "))
			row("exclude", strings.Join(s.Exclude, " "))
			row("max depth", s.MaxDepth)
			row("follow article links", yesNo(s.FollowArticleLinks))
			row("max concurrency", s.MaxConcurrency)
			row("refetch after", s.RefetchAfter)
			if next, err := config.NextRun(s.Schedule, time.Now()); err == nil && s.Enabled {
				row("next run", next.Local().Format(time.DateTime))
			}
			row("crawl runs", st.Runs)
			if st.LastRunAt != nil {
				row("last run", st.LastRunAt.Local().Format(time.DateTime))
			}
			if st.LastSuccessAt != nil {
				row("last success", st.LastSuccessAt.Local().Format(time.DateTime))
			}
			if st.LastError != "" {
				row("last error", st.LastError)
			}
			for _, r := range sortedKeys(st.LastFailures) {
				row("  last crawl failed: "+r, st.LastFailures[r])
			}
			row("articles", st.Articles)
			row("updated by re-fetch", st.Updated)
			row("copies (aliases)", st.Aliases)
			for _, state := range []string{store.URLNew, store.URLQueued, store.URLFetched, store.URLFailed} {
				row("urls "+state, st.URLsByState[state])
			}
			for _, r := range sortedKeys(st.FailuresBy) {
				row("  failed: "+r, st.FailuresBy[r])
			}
			row("urls stuck", st.Stuck)       // queued over store.StuckAfter
			row("urls requeued", st.Requeued) // found without a live task
			if st.LastFetchedAt != nil {
				row("last fetch", st.LastFetchedAt.Local().Format(time.DateTime))
			}
			if st.LastArticleAt != nil {
				row("last new article", st.LastArticleAt.Local().Format(time.DateTime))
			}
			return tw.Flush()
		},
	}
}

func (a *app) sitesAdd() *cobra.Command {
	var feeds, starts, extra, include, exclude, refetch []string
	var maxDepth, maxConc int
	var schedule string
	var delay time.Duration
	var maxPages int
	var disabled, followLinks bool
	cmd := &cobra.Command{
		Use:   "add HOST",
		Short: "Add a site to the whitelist (or update it)",
		Example: `  newsline sites add www.example.com --feed https://www.example.com/rss.xml
  newsline sites add news.example.org --start https://news.example.org/latest --schedule "@every 1h"`,
		Args: exactArgs(1, "HOST"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			// Updating a site changes only what the flags name; a new site
			// gets the whitelist file's defaults for the rest.
			entry := map[string]any{"host": args[0]}
			if old, err := db.Site(ctx, args[0]); err == nil {
				entry = map[string]any{"host": old.Host, "name": old.Name, "feeds": old.Feeds, "start_urls": old.StartURLs,
					"extra_hosts": old.ExtraHosts, "schedule": old.Schedule, "delay": old.Delay.String(),
					"max_pages": old.MaxPages, "enabled": old.Enabled, "allow_private": old.AllowPrivate,
					"include": old.Include, "exclude": old.Exclude, "max_depth": old.MaxDepth, "max_concurrency": old.MaxConcurrency,
					"follow_article_links": old.FollowArticleLinks}
				ages := []string{}
				for _, d := range old.RefetchAfter {
					ages = append(ages, d.String())
				}
				entry["refetch_after"] = ages
			} else if newsline.ErrorCode(err) != newsline.ENOTFOUND {
				return err
			}
			f := cmd.Flags()
			set := func(flag, key string, v any) {
				if f.Changed(flag) {
					entry[key] = v
				}
			}
			set("feed", "feeds", feeds)
			set("start", "start_urls", starts)
			set("extra-host", "extra_hosts", extra)
			set("schedule", "schedule", schedule)
			set("delay", "delay", delay.String())
			set("max-pages", "max_pages", maxPages)
			set("disabled", "enabled", !disabled)
			set("include", "include", include)
			set("exclude", "exclude", exclude)
			set("max-depth", "max_depth", maxDepth)
			set("follow-article-links", "follow_article_links", followLinks)
			set("max-concurrency", "max_concurrency", maxConc)
			set("refetch-after", "refetch_after", refetch)
			// Through the whitelist parser, so the CLI and the YAML file
			// apply exactly the same rules and defaults.
			sites, err := config.ParseSites("command line", yamlOf(map[string]any{"sites": []any{entry}}))
			if err != nil {
				return usageError{err, ""}
			}
			s, created, err := db.UpsertSite(ctx, sites[0])
			if err != nil {
				return err
			}
			verb := "updated"
			if created {
				verb = "added"
			}
			fmt.Fprintf(a.stdout, "%s %s (schedule %s); a running scheduler picks it up within %s\n", verb, s.Host, s.Schedule, a.cfg.SchedulerSync)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&feeds, "feed", nil, "RSS or Atom feed URL (repeatable)")
	f.StringSliceVar(&starts, "start", nil, "start page URL whose links lead to articles (repeatable; default https://HOST/)")
	f.StringSliceVar(&extra, "extra-host", nil, "another host the site may be fetched from (repeatable)")
	f.StringVar(&schedule, "schedule", config.DefaultSchedule, "cron expression or @every duration")
	f.DurationVar(&delay, "delay", config.DefaultDelay, "minimum time between two requests to the host")
	f.IntVar(&maxPages, "max-pages", config.DefaultMaxPages, "most pages one crawl fetches")
	f.BoolVar(&disabled, "disabled", false, "add the site without crawling it yet")
	f.StringSliceVar(&include, "include", nil, "regular expression an article URL's path must match (repeatable; default: a heuristic)")
	f.StringSliceVar(&exclude, "exclude", nil, "regular expression for URLs that are never articles (repeatable)")
	f.IntVar(&maxDepth, "max-depth", config.DefaultMaxDepth, "how many links deep discovery follows index pages")
	f.BoolVar(&followLinks, "follow-article-links", false, "also follow the links of an article discovery reads")
	f.IntVar(&maxConc, "max-concurrency", config.DefaultMaxConc, "requests in flight to the host across all workers")
	f.StringSliceVar(&refetch, "refetch-after", nil, "ages at which an article is fetched again for corrections (default 1h,24h)")
	return cmd
}

func (a *app) sitesRemove() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "remove HOST",
		Aliases: []string{"rm", "delete", "del"},
		Short:   "Remove a site with its URLs and articles",
		Args:    exactArgs(1, "HOST"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, s, err := a.openSite(ctx, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := db.CountArticles(ctx, s.Host)
			if err != nil {
				return err
			}
			if n > 0 && !force {
				return usageError{fmt.Errorf("%s has %d stored article(s) that would be deleted", s.Host, n),
					"Pass --force to remove it anyway, or set enabled: false to stop crawling and keep them."}
			}
			if _, err := db.DeleteSite(ctx, s.Host); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed %s and %d article(s)\n", s.Host, n)
			if listed, _ := config.LoadSites(a.cfg.SitesFile); containsHost(listed, s.Host) {
				fmt.Fprintf(a.stderr, "note: %s is in the whitelist file; the scheduler adds it back at its next start unless you remove it there\n", s.Host)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove the site even if it has stored articles")
	return cmd
}

func yamlOf(v any) []byte {
	b, _ := yaml.Marshal(v)
	return b
}

func containsHost(sites []newsline.Site, host string) bool {
	for _, s := range sites {
		if s.Host == host {
			return true
		}
	}
	return false
}

func (a *app) searchCommand() *cobra.Command {
	var p search.Params
	var from, to string
	var recency float64
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "search QUERY",
		Aliases: []string{"find", "s"},
		Short:   `Search stored articles (websearch syntax: words, "a phrase", OR, -exclude)`,
		Example: `  newsline search 'river accord'
  newsline search '"climate summit" -football' --site www.theguardian.com --from 2026-11-01
  newsline search election --sort date --language en --facets`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p.Query = strings.Join(args, " ")
			var err error
			if p.From, err = parseDay("--from", from); err != nil {
				return err
			}
			if p.To, err = parseDay("--to", to); err != nil {
				return err
			}
			if cmd.Flags().Changed("recency") {
				p.Recency = &recency
			}
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := search.Query(ctx, db.Pool, p)
			if err != nil {
				return err
			}
			if asJSON {
				// What GET /api/v1/search answers, encoded by the API.
				b, err := api.Encode(api.SearchResults(p, res))
				if err != nil {
					return err
				}
				_, err = a.stdout.Write(b)
				return err
			}
			printHits(a.stdout, res, p.Offset, isTerminal(a.stdout))
			for _, kind := range sortedKeys(res.Facets) {
				fmt.Fprintf(a.stdout, "%s:", kind)
				for _, f := range res.Facets[kind] {
					fmt.Fprintf(a.stdout, " %s (%d)", f.Value, f.Count)
				}
				fmt.Fprintln(a.stdout)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Site, "site", "", "only articles from this site (host)")
	f.StringVar(&p.Author, "author", "", "only articles by this author (name or slug)")
	f.StringVar(&p.Language, "language", "", "only articles in this language (two-letter code)")
	f.StringVar(&p.Section, "section", "", "only articles in this section (name or slug)")
	f.StringVar(&from, "from", "", "published on or after this day (2026-11-19)")
	f.StringVar(&to, "to", "", "published before this day")
	f.StringVar(&p.Sort, "sort", search.SortRelevance, "relevance or date")
	f.Float64Var(&recency, "recency", search.DefaultRecency, "weight of freshness in relevance order (0 turns it off)")
	f.BoolVar(&p.Facets, "facets", false, "also count matches by site and language")
	f.IntVarP(&p.Limit, "limit", "n", 10, "results per page")
	f.IntVar(&p.Offset, "offset", 0, "skip this many results (relevance order)")
	f.StringVar(&p.Cursor, "cursor", "", "continue a date-ordered search")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON, as GET /api/v1/search answers them")
	return cmd
}

func parseDay(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return t, usageError{fmt.Errorf("%s wants a day such as 2026-11-19, got %q", flag, v), ""}
	}
	return t, nil
}

func (a *app) trendingCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "trending [24h|7d]",
		Short: "Terms rising in the news, compared with the period before",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			window := "24h"
			if len(args) == 1 {
				window = args[0]
			}
			d, err := search.TrendingWindow(window)
			if err != nil {
				return err
			}
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			terms, err := search.Trending(cmd.Context(), db.Pool, d, time.Now(), 20)
			if err != nil {
				return err
			}
			if len(terms) == 0 {
				fmt.Fprintf(a.stdout, "nothing trending in the last %s", window)
				if window == "24h" {
					fmt.Fprint(a.stdout, " (a small archive may have more to say over 'newsline trending 7d')")
				}
				fmt.Fprintln(a.stdout)
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "TERM\tLAST %s\tBEFORE\n", strings.ToUpper(window))
			for _, t := range terms {
				fmt.Fprintf(tw, "%s\t%d\t%d\n", t.Term, t.Now, t.Before)
			}
			return tw.Flush()
		},
	}
}

func printHits(w io.Writer, res *search.Results, offset int, color bool) {
	if len(res.Hits) == 0 {
		fmt.Fprintf(w, "no articles match %q\n", res.Query)
		return
	}
	on, off := "*", "*"
	if color {
		on, off = "\x1b[1;33m", "\x1b[0m"
	}
	for i, h := range res.Hits {
		a := h.Article
		date := ""
		if a.PublishedAt != nil {
			date = " · " + a.PublishedAt.Local().Format("2 Jan 2006")
		}
		fmt.Fprintf(w, "%d. %s\n   %s%s · %s\n", offset+i+1, a.Title, a.Site, date, a.URL)
		hl := strings.NewReplacer("<mark>", on, "</mark>", off, "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(h.Headline)
		fmt.Fprintf(w, "   %s\n\n", hl)
	}
	if res.More {
		if res.NextCursor != "" {
			fmt.Fprintf(w, "more results: add --cursor %s\n", res.NextCursor)
		} else {
			fmt.Fprintf(w, "more results: add --offset %d\n", offset+len(res.Hits))
		}
	}
	fmt.Fprint(w, res.MatchesText())
	if !res.Since.IsZero() {
		fmt.Fprintf(w, "; searched those published since %s (%d); use --from and --to for older ones",
			res.Since.Local().Format("2 Jan 2006 15:04"), res.Ranked)
	}
	fmt.Fprintln(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// exactArgs names the missing argument instead of cobra's bare count.
func exactArgs(n int, name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s takes %d argument (%s), got %d", cmd.CommandPath(), n, name, len(args)), "Usage: " + cmd.UseLine()}
		}
		return nil
	}
}

// progress prints a one-line, self-overwriting progress report on a
// terminal and a line every few seconds elsewhere.
type progress struct {
	w     io.Writer
	tty   bool
	total int64
	done  atomic.Int64
	fail  atomic.Int64
	mu    sync.Mutex
	last  time.Time
	label string
}

func (p *progress) add(ok bool) {
	if ok {
		p.done.Add(1)
	} else {
		p.fail.Add(1)
	}
	p.print(false)
}

func (p *progress) print(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !final && time.Since(p.last) < 200*time.Millisecond && p.tty || !final && !p.tty && time.Since(p.last) < 3*time.Second {
		return
	}
	p.last = time.Now()
	n := p.done.Load() + p.fail.Load()
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = int(n * width / p.total)
	}
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	line := fmt.Sprintf("%s [%s] %d/%d (%d failed)", p.label, bar, n, p.total, p.fail.Load())
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
		if final {
			fmt.Fprintln(p.w)
		}
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
