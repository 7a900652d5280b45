package jobs

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline/crawler"
)

func TestRetryDelay(t *testing.T) {
	down := fmt.Errorf("store: url 7: %w", &pgconn.PgError{Code: "57P01"})
	for _, tc := range []struct {
		name string
		n    int
		err  error
		want time.Duration
	}{
		{"first retry", 0, errors.New("timeout"), 5 * time.Second},
		{"third retry", 2, errors.New("timeout"), 20 * time.Second},
		{"capped", 30, errors.New("timeout"), time.Hour},
		{"Retry-After", 1, &crawler.FetchError{Reason: "status_429", RetryIn: 90 * time.Second}, 90 * time.Second},
		{"orphaned by a dead worker", 3, asynq.ErrLeaseExpired, time.Second},
		{"database unreachable", 4, down, unavailableRetry},
	} {
		if got := retryDelay(tc.n, tc.err, nil); got != tc.want {
			t.Errorf("%s: retryDelay(%d, %v) = %s, want %s", tc.name, tc.n, tc.err, got, tc.want)
		}
	}
}

func TestTickClaimTTL(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		schedule string
		now      time.Time
		want     time.Duration
		fires    bool
	}{
		// A quarter-hour cron run 30 s late still frees the tick 90 s
		// before the next one.
		{"*/15 * * * *", at("2026-12-04T10:00:30Z"), (14*time.Minute + 31*time.Second) * 9 / 10, true},
		{"@every 2s", at("2026-12-04T10:00:00.9Z"), 1800 * time.Millisecond, true},
		{"@every 2s", at("2026-12-04T10:00:00.1Z"), 1800 * time.Millisecond, true},
		// Twice a day, unevenly: the claim ends before the nearer tick.
		{"0 9,17 * * *", at("2026-12-04T09:00:00Z"), (8*time.Hour + time.Second) * 9 / 10, true},
		{"@hourly", at("2026-12-04T10:00:00Z"), time.Hour * 9 / 10, true},
		{"not a schedule", at("2026-12-04T10:00:00Z"), 0, false},
	} {
		got, fires := tickClaimTTL(tc.schedule, tc.now)
		if got != tc.want || fires != tc.fires {
			t.Errorf("tickClaimTTL(%q, %s) = %s, %v; want %s, %v", tc.schedule, tc.now, got, fires, tc.want, tc.fires)
		}
	}
}
