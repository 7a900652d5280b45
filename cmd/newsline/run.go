package main

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/metrics"
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
	// metrics is the process's, made by run: served at /metrics by the
	// server and the health listener.
	metrics *metrics.Metrics
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

// handlers returns the task handlers, recording in m (nil: nowhere).
func (a *app) handlers(db *store.DB, rdb redis.UniversalClient, q jobs.Enqueuer, m *metrics.Metrics) *jobs.Handlers {
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
			OnFetch:        m.PageFetched,
		}),
		Extractor: jobs.NewExtractor(db),
		Queue:     q,
		Logger:    a.logger,
		Redis:     rdb,
		Metrics:   m,
	}
}

func (a *app) run(ctx context.Context, db *store.DB, rdb redis.UniversalClient, r roles) error {
	g, ctx := errgroup.WithContext(ctx)
	// An early return (a listen that fails) stops what started before it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.metrics = a.newMetrics(db, rdb, r)
	if err := a.startProbe(ctx, g, db, rdb, r.metrics); err != nil {
		return err
	}
	if r.serve {
		if err := a.serve(ctx, g, db, rdb, r); err != nil {
			return err
		}
	}
	if r.work {
		client := asynq.NewClientFromRedisClient(rdb)
		h := a.handlers(db, rdb, client, r.metrics)
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

// newMetrics makes the process's metrics: its database pool, and the
// queues' sizes where a worker or scheduler runs.
func (a *app) newMetrics(db *store.DB, rdb redis.UniversalClient, r roles) *metrics.Metrics {
	m := metrics.New()
	m.Pool("primary", db.Pool)
	if (r.work || r.schedule) && rdb != nil {
		m.Queues(asynq.NewInspectorFromRedisClient(rdb))
	}
	return m
}
