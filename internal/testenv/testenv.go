// Package testenv gives integration tests their own real PostgreSQL
// database and Redis database, created for the test and dropped after it.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/store"
)

// Defaults match the services `make test` starts; override them with
// NEWSLINE_TEST_DATABASE_URL and NEWSLINE_TEST_REDIS_URL.
const (
	defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedisURL = "redis://127.0.0.1:6379/0"
	redisDBs        = 16 // Redis's default; a server with more says so (CONFIG GET databases)
)

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// DatabaseURL creates an empty database for the test and returns its URL.
// The database is dropped when the test ends. Tests that want the schema
// use DB or MigratedDatabaseURL, which copy a migrated template.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	return createDatabase(t, env("NEWSLINE_TEST_DATABASE_URL", defaultAdminURL), "")
}

// createDatabase creates a database for the test, a copy of template when
// that is not empty, drops it when the test ends and returns its URL.
func createDatabase(t testing.TB, adminURL, template string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatalf("testenv: PostgreSQL is not reachable at %s (run `make test`, which starts it): %v", adminURL, err)
	}
	defer admin.Close(ctx)
	name := "newsline_test_" + randomHex(6)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.Exec(ctx, create); err != nil {
		t.Fatalf("testenv: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, adminURL)
		if err != nil {
			t.Logf("testenv: drop database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("testenv: drop database %s: %v", name, err)
		}
	})
	if _, err := url.Parse(adminURL); err != nil {
		t.Fatalf("testenv: parse %s: %v", adminURL, err)
	}
	return withDatabase(adminURL, name)
}

// DB returns a migrated, empty database for the test: a copy of the
// template MigratedDatabaseURL describes.
func DB(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	adminURL := env("NEWSLINE_TEST_DATABASE_URL", defaultAdminURL)
	tmpl, err := ensureTemplate(ctx, adminURL)
	if err != nil {
		t.Fatalf("testenv: template database: %v", err)
	}
	db, err := store.Open(ctx, createDatabase(t, adminURL, tmpl))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// RedisURL reserves one of Redis's numbered databases for the test, empties
// it and returns its URL. Tests in parallel packages get different numbers;
// database 0 holds only the reservations.
func RedisURL(t testing.TB) string {
	t.Helper()
	// Parallel tests in parallel packages may want more databases than the
	// server has: wait for one to be released rather than fail at once.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	base := env("NEWSLINE_TEST_REDIS_URL", defaultRedisURL)
	opts, err := redis.ParseURL(base)
	if err != nil {
		t.Fatalf("testenv: parse %s: %v", base, err)
	}
	ctl := redis.NewClient(opts)
	defer ctl.Close()
	if err := ctl.Ping(ctx).Err(); err != nil {
		t.Fatalf("testenv: Redis is not reachable at %s (run `make test`, which starts it): %v", base, err)
	}
	dbs := redisDBs
	if v, err := ctl.ConfigGet(ctx, "databases").Result(); err == nil {
		if n, err := strconv.Atoi(v["databases"]); err == nil && n > 1 {
			dbs = n
		}
	}
	token := randomHex(8)
	for {
		for n := 1; n < dbs; n++ {
			key := fmt.Sprintf("newsline:testenv:db:%d", n)
			ok, err := ctl.SetNX(ctx, key, token, 15*time.Minute).Result()
			if err != nil {
				t.Fatalf("testenv: reserve redis db: %v", err)
			}
			if !ok {
				continue
			}
			o := *opts
			o.DB = n
			c := redis.NewClient(&o)
			if err := c.FlushDB(ctx).Err(); err != nil {
				t.Fatalf("testenv: flush redis db %d: %v", n, err)
			}
			c.Close()
			t.Cleanup(func() {
				ctx := context.Background()
				c := redis.NewClient(&o)
				c.FlushDB(ctx)
				c.Close()
				ctl := redis.NewClient(opts)
				defer ctl.Close()
				if v, _ := ctl.Get(ctx, key).Result(); v == token {
					ctl.Del(ctx, key)
				}
			})
			u := fmt.Sprintf("redis://%s/%d", o.Addr, n)
			if o.Password != "" {
				u = fmt.Sprintf("redis://:%s@%s/%d", url.QueryEscape(o.Password), o.Addr, n)
			}
			return u
		}
		select {
		case <-ctx.Done():
			t.Fatalf("testenv: every redis database is reserved by another test")
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Redis returns a client of a Redis database reserved for the test (see
// RedisURL), closed when the test ends.
func Redis(t testing.TB) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(RedisURL(t))
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
