// Package store is Newsline's PostgreSQL access: sites, URLs, articles and
// authors, in plain SQL through pgx, plus the migration runner.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/newsline/newsline/migrations"
)

// Defaults of the connection pool, when the URL does not set them.
const (
	DefaultMaxConns = 20
	// DefaultConnectTimeout bounds a connection attempt: without it, a
	// database host that drops packets holds every request (and task) for
	// the operating system's TCP timeout, minutes, before it can be told
	// the database is unavailable.
	DefaultConnectTimeout = 5 * time.Second
)

// DB is a pool of connections to Newsline's database.
type DB struct {
	Pool *pgxpool.Pool

	replica *replica // nil without a read replica (OpenReplica)
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string) (*DB, error) {
	if url == "" {
		return nil, errors.New("store: no database URL configured (set NEWSLINE_DATABASE_URL or --database-url)")
	}
	pool, err := openPool(ctx, url)
	if err != nil {
		return nil, err
	}
	return &DB{Pool: pool}, nil
}

// openPool makes a pool with Newsline's defaults and pings it.
func openPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := poolConfig(url)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", cfg.ConnConfig.Host, err)
	}
	return pool, nil
}

// poolConfig parses url and sets Newsline's defaults where it sets none.
func poolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse database URL: %w", err)
	}
	// pgx's default (4 on a 2-core machine) starves a worker running 16
	// jobs; pool_max_conns in the URL still wins.
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	if !strings.Contains(url, "connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	markConns(cfg)
	return cfg, nil
}

// Close closes every connection, the replica's too.
func (db *DB) Close() {
	if db.replica != nil {
		db.replica.close()
	}
	db.Pool.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

func (db *DB) migrator() (*goose.Provider, *sql.DB, error) {
	sqlDB := stdlib.OpenDBFromPool(db.Pool)
	sub, err := fs.Sub(migrations.FS, ".")
	if err != nil {
		return nil, nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, sub, goose.WithGoMigrations(goMigrations()...))
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, sqlDB, nil
}

// MigrateUp applies every pending migration and returns how many it applied.
func (db *DB) MigrateUp(ctx context.Context) (int, error) {
	p, sqlDB, err := db.migrator()
	if err != nil {
		return 0, err
	}
	defer sqlDB.Close()
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("store: migrate up: %w", err)
	}
	return len(res), nil
}

// MigrateDown rolls back the newest applied migration. It reports false
// when there was nothing to roll back.
func (db *DB) MigrateDown(ctx context.Context) (bool, error) {
	p, sqlDB, err := db.migrator()
	if err != nil {
		return false, err
	}
	defer sqlDB.Close()
	if _, err := p.Down(ctx); err != nil {
		if errors.Is(err, goose.ErrNoNextVersion) {
			return false, nil
		}
		return false, fmt.Errorf("store: migrate down: %w", err)
	}
	return true, nil
}

// MigrateStatus lists every known migration.
func (db *DB) MigrateStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, sqlDB, err := db.migrator()
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{
			Version:   s.Source.Version,
			Name:      s.Source.Path,
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// inTx runs fn in a transaction: one service call, one transaction.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// After Commit, Rollback does nothing (it reports pgx.ErrTxClosed);
	// after a failure, a rollback that fails closes the connection, so
	// its error has nothing left to tell.
	defer func() { _ = tx.Rollback(ctx) }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
