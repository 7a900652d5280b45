package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// emptyRedis connects to the queues' Redis database and checks it is
// empty: asynq keys its queues by name only, so a benchmark sharing a
// database with a running system would take its tasks and give it ours.
func emptyRedis(ctx context.Context, redisURL string) (*redis.Client, error) {
	if redisURL == "" {
		return nil, errors.New("bench: no Redis URL given")
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("bench: bad Redis URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	n, err := rdb.DBSize(ctx).Result()
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("bench: Redis at %s: %w", opts.Addr, err)
	}
	if n != 0 {
		rdb.Close()
		return nil, fmt.Errorf("bench: Redis database %d at %s holds %d keys; the benchmark needs an empty one, "+
			"which it flushes at the end, so it cannot touch a running system's queues: "+
			"pass a Redis URL with an unused database number, such as redis://%s/13",
			opts.DB, opts.Addr, n, opts.Addr)
	}
	return rdb, nil
}

// createDatabase creates the temporary database prefix<random> on
// serverURL's server and returns its URL, its name and a function that
// drops it.
func createDatabase(ctx context.Context, serverURL, prefix string) (string, string, func(context.Context) error, error) {
	if serverURL == "" {
		return "", "", nil, errors.New("bench: no database URL given")
	}
	// Parsed as a pool URL so pool settings (pool_max_conns=…), which the
	// pipeline's pool honours, are not sent to the server as parameters.
	pcfg, err := pgxpool.ParseConfig(serverURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("bench: parse database URL: %w", err)
	}
	admin, err := pgx.ConnectConfig(ctx, pcfg.ConnConfig)
	if err != nil {
		return "", "", nil, fmt.Errorf("bench: connect to PostgreSQL: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	name := prefix + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		admin.Close(ctx)
		return "", "", nil, fmt.Errorf("bench: create temporary database: %w", err)
	}
	drop := func(ctx context.Context) error {
		defer admin.Close(ctx)
		// FORCE: a pool connection still closing must not keep it alive.
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("bench: drop temporary database %s: %w", name, err)
		}
		return nil
	}
	u, err := withDatabase(serverURL, name)
	if err != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return "", "", nil, errors.Join(err, drop(cctx))
	}
	return u, name, drop, nil
}

// withDatabase returns the connection string dsn pointed at database name;
// dsn is a URL or a keyword/value string, as pgx accepts both.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("bench: parse database URL: %w", err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// In keyword/value form the last occurrence of a keyword wins.
	return dsn + " dbname=" + name, nil
}

// redactURL drops a password from a URL for messages.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	return s
}
