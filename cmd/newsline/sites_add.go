package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/store"
)

func (a *app) sitesAdd() *cobra.Command {
	var feeds, starts, extra, include, exclude, refetch, languages []string
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
			entry, err := siteEntry(ctx, db, args[0])
			if err != nil {
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
			set("languages", "languages", languages)
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
	f.StringSliceVar(&languages, "languages", nil, "ISO 639-1 codes of the languages the site publishes in, e.g. de,en (default: any)")
	f.StringSliceVar(&refetch, "refetch-after", nil, "ages at which an article is fetched again for corrections (default 1h,24h)")
	return cmd
}

// siteEntry is the whitelist entry `sites add` starts from: the stored
// site's settings, so that updating a site changes only what the flags
// name, or just the host for a new site, which gets the whitelist file's
// defaults for the rest.
func siteEntry(ctx context.Context, db *store.DB, host string) (map[string]any, error) {
	old, err := db.Site(ctx, host)
	if newsline.ErrorCode(err) == newsline.ENOTFOUND {
		return map[string]any{"host": host}, nil
	}
	if err != nil {
		return nil, err
	}
	entry := map[string]any{"host": old.Host, "name": old.Name, "feeds": old.Feeds, "start_urls": old.StartURLs,
		"extra_hosts": old.ExtraHosts, "schedule": old.Schedule, "delay": old.Delay.String(),
		"max_pages": old.MaxPages, "enabled": old.Enabled, "allow_private": old.AllowPrivate,
		"include": old.Include, "exclude": old.Exclude, "max_depth": old.MaxDepth, "max_concurrency": old.MaxConcurrency,
		"follow_article_links": old.FollowArticleLinks, "languages": old.Languages}
	ages := []string{}
	for _, d := range old.RefetchAfter {
		ages = append(ages, d.String())
	}
	entry["refetch_after"] = ages
	return entry, nil
}

func yamlOf(v any) []byte {
	b, _ := yaml.Marshal(v)
	return b
}
