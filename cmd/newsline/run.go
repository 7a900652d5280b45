package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// roles are the long-running parts one process runs.
type roles struct {
	serve, work, schedule bool
	// dev is `newsline dev`, where sign-up is open unless configured.
	dev bool
	// ready, when set, is called with the server's URL once it listens.
	ready func(url string)
	// selectDelay is how long after a crawl the podcast selection runs;
	// jobs.DefaultSelectDelay when 0.
	selectDelay time.Duration
}

func (a *app) serveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Serve the JSON API and the web page",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runRoles(cmd.Context(), roles{serve: true}, false)
		},
	}
}

func (a *app) workerCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run crawl and fetch jobs from the queue",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runRoles(cmd.Context(), roles{work: true}, false)
		},
	}
}

func (a *app) schedulerCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "scheduler",
		Short: "Queue a crawl of every enabled site on its cron schedule",
		Long: `Queue a crawl of every enabled site on its cron schedule.

The whitelist file (--sites, or the embedded default) is synced into the
database at start: its entries are added or updated, and sites added with
'newsline sites add' are kept. Run one scheduler per deployment.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runRoles(cmd.Context(), roles{schedule: true}, true)
		},
	}
}

func (a *app) allCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "all",
		Short: "Run server, worker and scheduler in one process (migrates first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runRoles(cmd.Context(), roles{serve: true, work: true, schedule: true}, true)
		},
	}
}

// runRoles connects, optionally migrates and syncs the whitelist, and runs
// the roles until ctx is done.
func (a *app) runRoles(ctx context.Context, r roles, migrate bool) error {
	db, rdb, err := a.connect(ctx, migrate, r.schedule)
	if err != nil {
		return err
	}
	defer db.Close()
	defer rdb.Close()
	return a.run(ctx, db, rdb, r)
}

// connect opens the database and Redis, then optionally migrates the
// database and syncs the whitelist file into it. The caller closes both.
func (a *app) connect(ctx context.Context, migrate, syncSites bool) (*store.DB, redis.UniversalClient, error) {
	db, err := a.openDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	rdb, err := a.openRedis(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	fail := func(err error) (*store.DB, redis.UniversalClient, error) {
		db.Close()
		rdb.Close()
		return nil, nil, err
	}
	if migrate {
		n, err := db.MigrateUp(ctx)
		if err != nil {
			return fail(err)
		}
		if n > 0 {
			a.logger.Info("migrated database", "applied", n)
		}
	}
	if syncSites {
		if err := a.syncSites(ctx, db); err != nil {
			return fail(err)
		}
	}
	return db, rdb, nil
}

func (a *app) syncSites(ctx context.Context, db *store.DB) error {
	sites, err := config.LoadSites(a.cfg.SitesFile)
	if err != nil {
		return err
	}
	created, updated, err := db.SyncSites(ctx, sites)
	if err != nil {
		return err
	}
	file := a.cfg.SitesFile
	if file == "" {
		file = "embedded default whitelist"
	}
	a.logger.Info("synced whitelist", "file", file, "added", created, "updated", updated)
	return nil
}

func (a *app) handlers(db *store.DB, rdb redis.UniversalClient, q jobs.Enqueuer) *jobs.Handlers {
	var lim crawler.Limiter = crawler.NewLocalLimiter()
	if rdb != nil {
		// Slots a live worker renews: a dead one's lapse within
		// crawler.DefaultLeaseTTL, however long requests may take.
		lim = crawler.NewRedisLimiter(rdb, 0)
	}
	return &jobs.Handlers{
		DB: db,
		Crawler: crawler.New(crawler.Options{
			UserAgent:      a.cfg.UserAgent,
			RequestTimeout: a.cfg.RequestTimeout,
			MaxBodyBytes:   a.cfg.MaxBodyBytes,
			Limiter:        lim,
			Logger:         a.logger,
		}),
		Extractor: jobs.NewExtractor(db),
		Queue:     q,
		Logger:    a.logger,
		Redis:     rdb,
	}
}

func (a *app) run(ctx context.Context, db *store.DB, rdb redis.UniversalClient, r roles) error {
	g, ctx := errgroup.WithContext(ctx)
	if r.serve {
		ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w (choose another address with --http-addr)", a.cfg.HTTPAddr, err)
		}
		srv := &http.Server{
			Handler: (&api.Server{DB: db, Redis: rdb, Logger: a.logger, BaseURL: a.cfg.BaseURL(),
				Signup: a.cfg.SignupOpen(r.dev), TrustedProxies: a.cfg.TrustedProxies,
				Crawls: jobs.CrawlQueue{Client: asynq.NewClientFromRedisClient(rdb)}, Podcast: a.podcastSettings()}).Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       2 * time.Minute,
		}
		url := "http://" + ln.Addr().String() + "/"
		a.logger.Info("http server listening", "url", url)
		if r.ready != nil {
			r.ready(url)
		}
		g.Go(func() error {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("http server: %w", err)
			}
			return nil
		})
		g.Go(func() error {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
			defer cancel()
			return srv.Shutdown(sctx)
		})
	}
	if r.work {
		client := asynq.NewClientFromRedisClient(rdb)
		h := a.handlers(db, rdb, client)
		if a.cfg.Podcast.Enabled {
			pc, closeSpeaker, err := a.podcastWork(db)
			if err != nil {
				return err
			}
			defer closeSpeaker()
			pc.SelectDelay = r.selectDelay
			h.Podcast = pc
		}
		g.Go(func() error {
			return jobs.RunWorker(ctx, rdb, jobs.WorkerConfig{
				Concurrency: a.cfg.Concurrency, ShutdownTimeout: a.cfg.ShutdownTimeout, Logger: a.logger,
			}, h)
		})
	}
	if r.schedule {
		g.Go(func() error {
			sc := jobs.SchedulerConfig{SyncInterval: a.cfg.SchedulerSync, Logger: a.logger}
			if a.cfg.Podcast.Enabled {
				sc.PodcastSchedule = a.cfg.Podcast.Schedule
			}
			return jobs.RunScheduler(ctx, a.cfg.RedisURL, db, sc)
		})
	}
	return g.Wait()
}
