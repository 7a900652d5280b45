package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/spf13/cobra"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/devenv"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

func (a *app) devCommand() *cobra.Command {
	var withTestsite bool
	var testsiteAddr string
	var testsiteArticles, pgPort, redisPort int
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run everything on this machine: private PostgreSQL and Redis, server, worker and scheduler",
		Long: `Run the whole of Newsline in one process for development or a first look.

When no database or Redis URL is configured, dev starts private PostgreSQL
and Redis servers from the binaries on this machine, with their data under
--data-dir (./var), so data survives a restart. It migrates the database,
syncs the whitelist, queues a first crawl of every enabled site, and runs
the server, the worker and the scheduler. Ctrl-C stops everything.

--testsite also serves a generated news site on loopback and whitelists it,
so articles arrive within a minute even without internet access.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a.devLogging(cmd)
			started, stop, err := a.startDevServers(ctx, pgPort, redisPort)
			if err != nil {
				return err
			}
			defer stop()
			db, rdb, err := a.connect(ctx, true, true)
			if err != nil {
				return err
			}
			defer db.Close()
			defer rdb.Close()
			if withTestsite {
				stopSite, err := a.serveTestsite(ctx, db, testsiteAddr, testsiteArticles)
				if err != nil {
					return err
				}
				defer stopSite()
			}
			if err := a.kickCrawls(ctx, db, asynq.NewClientFromRedisClient(rdb)); err != nil {
				return err
			}
			// The test site's fetches take seconds, not minutes.
			return a.run(ctx, db, rdb, roles{serve: true, work: true, schedule: true, dev: true, selectDelay: 15 * time.Second,
				ready: func(url string) {
					fmt.Fprintf(a.stdout, "\nNewsline is running: open %s\n(JSON API at %sapi/v1/articles; Ctrl-C stops everything)\n", url, url)
					if len(started) > 0 {
						fmt.Fprintf(a.stdout, "To use the other commands against it, in another shell:\n  export %s\n\n", strings.Join(started, " "))
					}
				}})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&withTestsite, "testsite", false, "also serve a generated news site on loopback and whitelist it")
	f.StringVar(&testsiteAddr, "testsite-addr", "127.0.0.1:8090", "address of the generated news site")
	f.IntVar(&testsiteArticles, "testsite-articles", 200, "number of articles on the generated news site")
	f.IntVar(&pgPort, "pg-port", devenv.DefaultPGPort, "port of the private PostgreSQL server")
	f.IntVar(&redisPort, "redis-port", devenv.DefaultRedisPort, "port of the private Redis server")
	return cmd
}

// serveTestsite serves the generated site and puts it on the whitelist.
func (a *app) serveTestsite(ctx context.Context, db *store.DB, addr string, articles int) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("test site: listen on %s: %w (choose another with --testsite-addr)", addr, err)
	}
	// Dated up to now and over three days, so that the newest articles
	// and trending terms (today against yesterday) are today's; whole hours
	// keep the pages the same within a run.
	site := testsite.Generate(testsite.Config{Articles: articles, Seed: 1, Now: time.Now().Truncate(time.Hour), Span: 72 * time.Hour})
	srv := &http.Server{Handler: site.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	host := ln.Addr().String()
	base := "http://" + host
	_, _, err = db.UpsertSite(ctx, newsline.Site{
		Host: host, Name: "Generated test site", StartURLs: []string{base + "/"}, Feeds: []string{base + "/feed.xml"},
		Schedule: "*/5 * * * *", Delay: 50 * time.Millisecond, MaxPages: 1000, Enabled: true, AllowPrivate: true,
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	// Its complete articles are read aloud whatever is trending, so that
	// a newcomer hears episodes within minutes.
	if len(a.cfg.Podcast.Sites) == 0 {
		a.cfg.Podcast.Sites = []string{host}
	}
	a.logger.Info("serving generated test site", "url", base+"/", "articles", articles)
	return func() { srv.Close() }, nil
}

// kickCrawls queues a crawl of every enabled site now, rather than at its
// next cron time, so a newcomer sees work start at once.
func (a *app) kickCrawls(ctx context.Context, db *store.DB, q *asynq.Client) error {
	sites, err := db.Sites(ctx)
	if err != nil {
		return err
	}
	for _, s := range sites {
		if !s.Enabled {
			continue
		}
		if _, err := q.EnqueueContext(ctx, jobs.NewCrawlSiteTask(s.Host)); err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
			return fmt.Errorf("queue first crawl of %s: %w", s.Host, err)
		}
	}
	return nil
}
