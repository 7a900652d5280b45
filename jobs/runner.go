package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/store"
)

// WorkerConfig configures a worker process.
type WorkerConfig struct {
	Concurrency     int
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	// Middleware wraps every task handler, e.g. to measure it.
	Middleware []asynq.MiddlewareFunc
	// RetryDelay replaces the retry policy's delays (nil: retryDelay's,
	// minutes long), for tests that need a task to run out of retries
	// within seconds.
	RetryDelay asynq.RetryDelayFunc
}

// RunWorker processes tasks until ctx is done, then lets running tasks
// finish for up to ShutdownTimeout; tasks still running after that go back
// to the queue and run again elsewhere. h is the worker's own while it
// runs.
func RunWorker(ctx context.Context, rdb redis.UniversalClient, cfg WorkerConfig, h *Handlers) error {
	if cfg.RetryDelay == nil {
		cfg.RetryDelay = retryDelay
	}
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency:     cfg.Concurrency,
		Queues:          Queues(),
		RetryDelayFunc:  cfg.RetryDelay,
		ShutdownTimeout: cfg.ShutdownTimeout,
		Logger:          slogAdapter{cfg.Logger.With("component", "worker")},
		LogLevel:        asynq.WarnLevel,
		// A database that cannot be reached is nobody's fault: the task
		// tries again (soon, see retryDelay) without spending a retry, so
		// an outage of any length archives no task and strands no URL.
		// Nor is a speech job that waits for a speech slot of its worker,
		// nor a re-extraction that waits for a worker with the newer
		// extractor.
		IsFailure: func(err error) bool {
			return !store.IsUnavailable(err) && !busy(err) && !errors.Is(err, errOlderExtractor)
		},
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			if busy(err) {
				return // waiting for a speech slot is no failure, and common
			}
			id, _ := asynq.GetTaskID(ctx)
			cfg.Logger.Warn("task failed", "task", t.Type(), "task_id", id, "err", err,
				"database_unavailable", store.IsUnavailable(err))
		}),
	})
	if h.Redis == nil {
		h.Redis = rdb
	}
	// The worker's tasks store their articles through one writer, which
	// shares transactions between them; it is h's Saver while the worker
	// runs, unless h brings its own.
	closeSaver := func() {}
	if h.Saver == nil {
		w := h.DB.NewWriter(0)
		h.Saver = w
		closeSaver = func() {
			w.Close()
			h.Saver = nil
		}
	}
	mux := h.Mux()
	mux.Use(h.observe)
	mux.Use(awaitRedis(rdb))
	mux.Use(cfg.Middleware...)
	if err := srv.Start(mux); err != nil {
		closeSaver()
		return fmt.Errorf("jobs: start worker: %w", err)
	}
	folder := store.NewTermStatsFolder(h.DB, termStatsEvery, h.Logger)
	folder.Start()
	cfg.Logger.Info("worker started", "concurrency", cfg.Concurrency)
	<-ctx.Done()
	// In order: running tasks finish, the writer stores what they saved,
	// and the folder folds the terms those saves queued.
	srv.Shutdown()
	closeSaver()
	folder.Shutdown()
	cfg.Logger.Info("worker stopped")
	return nil
}

// termStatsEvery is how often a worker folds queued term statistics.
const termStatsEvery = 30 * time.Second

// sitesProvider gives the scheduler one cron entry per enabled site, read
// from the database on every sync so whitelist changes need no restart.
type sitesProvider struct {
	db *store.DB
	// podcast is the cron of the daily podcast selection; empty: none.
	podcast string
}

func (p sitesProvider) GetConfigs() ([]*asynq.PeriodicTaskConfig, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sites, err := p.db.Sites(ctx)
	if err != nil {
		return nil, err
	}
	var out []*asynq.PeriodicTaskConfig
	if p.podcast != "" {
		out = append(out, &asynq.PeriodicTaskConfig{Cronspec: p.podcast, Task: NewSelectTask(true, 0)})
	}
	for _, s := range sites {
		if s.Enabled {
			out = append(out, &asynq.PeriodicTaskConfig{Cronspec: s.Schedule, Task: NewScheduledCrawlTask(s.Host)})
		}
	}
	return out, nil
}

// SchedulerConfig configures the cron scheduler.
type SchedulerConfig struct {
	SyncInterval time.Duration // how often the sites table is re-read
	// PodcastSchedule is the cron of the daily podcast selection and
	// expiry; empty: none.
	PodcastSchedule string
	Logger          *slog.Logger
}

// RunScheduler enqueues crawl:site for every enabled site on its cron
// schedule until ctx is done.
//
// The scheduler gets its own Redis connection (redisURL): asynq closes it
// on shutdown, which it refuses to do for a shared client.
func RunScheduler(ctx context.Context, redisURL string, db *store.DB, cfg SchedulerConfig) error {
	opt, err := asynq.ParseRedisURI(redisURL)
	if err != nil {
		return fmt.Errorf("jobs: scheduler: %w", err)
	}
	mgr, err := asynq.NewPeriodicTaskManager(asynq.PeriodicTaskManagerOpts{
		PeriodicTaskConfigProvider: sitesProvider{db: db, podcast: cfg.PodcastSchedule},
		RedisConnOpt:               opt,
		SyncInterval:               cfg.SyncInterval,
		SchedulerOpts: &asynq.SchedulerOpts{
			Logger:   slogAdapter{cfg.Logger.With("component", "scheduler")},
			LogLevel: asynq.WarnLevel,
			PostEnqueueFunc: func(info *asynq.TaskInfo, err error) {
				if err != nil && !errors.Is(err, asynq.ErrDuplicateTask) {
					cfg.Logger.Warn("enqueue crawl failed", "err", err)
				}
			},
		},
	})
	if err != nil {
		return fmt.Errorf("jobs: scheduler: %w", err)
	}
	if err := mgr.Start(); err != nil {
		return fmt.Errorf("jobs: start scheduler: %w", err)
	}
	cfg.Logger.Info("scheduler started", "sync", cfg.SyncInterval)
	<-ctx.Done()
	mgr.Shutdown()
	cfg.Logger.Info("scheduler stopped")
	return nil
}

// slogAdapter lets asynq log through slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }

// Fatal matches asynq's contract: the process cannot go on.
func (a slogAdapter) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...))
	os.Exit(1)
}
