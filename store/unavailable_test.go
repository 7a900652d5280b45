package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/faultproxy"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// TestIsUnavailable gets real errors from PostgreSQL reached through a
// proxy the test cuts, and from other sources, and checks which of them
// mean the database is unavailable.
func TestIsUnavailable(t *testing.T) {
	// Not parallel: it times a statement reaching the server before a cut.
	ctx := context.Background()
	dbURL := testenv.DatabaseURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := faultproxy.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	proxied, err := proxy.URL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, proxied)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	_, syntaxErr := db.Pool.Exec(ctx, `SELEC 1`)
	_, uniqueErr := db.Pool.Exec(ctx, `CREATE TEMP TABLE t (x int PRIMARY KEY); INSERT INTO t VALUES (1), (1)`)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, canceledErr := db.Pool.Exec(canceled, `SELECT 1`)
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	_, deadlineErr := db.Pool.Exec(short, `SELECT pg_sleep(5)`)
	_, netErr := net.DialTimeout("tcp", "127.0.0.1:1", time.Second)
	_, httpErr := http.Get("http://127.0.0.1:1/")

	// A statement in flight when the connection is cut.
	midway := make(chan error, 1)
	go func() {
		_, err := db.Pool.Exec(ctx, `SELECT pg_sleep(30)`)
		midway <- err
	}()
	for deadline := time.Now().Add(20 * time.Second); db.Pool.Stat().AcquiredConns() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the statement never started")
		}
	}
	time.Sleep(100 * time.Millisecond) // let it reach the server
	proxy.Cut()
	midwayErr := <-midway
	// A new connection while cut.
	_, connectErr := db.Pool.Exec(ctx, `SELECT 1`)
	proxy.Restore()
	if _, err := db.Pool.Exec(ctx, `SELECT 1`); err != nil {
		t.Fatalf("after the restore: %v", err)
	}

	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"statement cut midway", midwayErr, true},
		{"connect while cut", connectErr, true},
		{"wrapped", fmt.Errorf("store: articles: %w", connectErr), true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"syntax error", syntaxErr, false},
		{"unique violation", uniqueErr, false},
		{"canceled", canceledErr, false},
		{"past the caller's deadline", deadlineErr, false},
		{"another client's unexpected EOF", fmt.Errorf("read feed: %w", io.ErrUnexpectedEOF), false},
		{"another client's network error", netErr, false},
		{"an HTTP client's network error", httpErr, false},
		{"domain error", newsline.Errorf(newsline.ENOTFOUND, "no such site"), false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil && tc.name != "nil" {
				t.Fatal("the case produced no error")
			}
			if got := store.IsUnavailable(tc.err); got != tc.want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", tc.err, got, tc.want)
			}
			wrapped := store.Unavailable(tc.err)
			if code := newsline.ErrorCode(wrapped); (code == newsline.EUNAVAILABLE) != tc.want {
				t.Errorf("Unavailable(%v) has code %q", tc.err, code)
			}
			if tc.err != nil && !errors.Is(wrapped, tc.err) {
				t.Errorf("Unavailable(%v) lost its cause", tc.err)
			}
		})
	}
}
