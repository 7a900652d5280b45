package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/store"
)

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
			row("languages", languagesOf(s.Languages))
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

// languagesOf shows a site's languages, or that it allows any.
func languagesOf(codes []string) string {
	if len(codes) == 0 {
		return "any (detected)"
	}
	return strings.Join(codes, " ")
}
