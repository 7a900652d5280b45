package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/store"
)

func (a *app) openDB(ctx context.Context) (*store.DB, error) {
	if a.cfg.DatabaseURL == "" {
		return nil, errors.New("no database configured: set NEWSLINE_DATABASE_URL or --database-url (or run `newsline dev`, which starts one)")
	}
	return store.Open(ctx, a.cfg.DatabaseURL)
}

func (a *app) openRedis(ctx context.Context) (redis.UniversalClient, error) {
	if a.cfg.RedisURL == "" {
		return nil, errors.New("no Redis configured: set NEWSLINE_REDIS_URL or --redis-url (or run `newsline dev`, which starts one)")
	}
	opts, err := redis.ParseURL(a.cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("bad Redis URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("connect to Redis at %s: %w", opts.Addr, err)
	}
	return rdb, nil
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
