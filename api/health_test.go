package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/internal/testenv"
)

// TestHealthHandler checks the probe listener's answers with Redis up and
// with Redis unreachable.
func TestHealthHandler(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	up := redis.NewClient(opts)
	defer up.Close()
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer down.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name   string
		rdb    redis.UniversalClient
		path   string
		status int
		redis  string
	}{
		{"healthz", down, "/healthz", http.StatusOK, ""},
		{"ready", up, "/readyz", http.StatusOK, "ok"},
		{"redis down", down, "/readyz", http.StatusServiceUnavailable, "unavailable"},
		{"no redis", nil, "/readyz", http.StatusServiceUnavailable, "not configured"},
		{"other path", up, "/metrics", http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			HealthHandler(db, tc.rdb, logger).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("GET %s: %d, want %d: %s", tc.path, rec.Code, tc.status, rec.Body)
			}
			if tc.path != "/readyz" {
				return
			}
			var ready ReadyJSON
			if err := json.Unmarshal(rec.Body.Bytes(), &ready); err != nil {
				t.Fatal(err)
			}
			if ready.Ready != (tc.status == http.StatusOK) || ready.Checks["redis"] != tc.redis || ready.Checks["postgres"] != "ok" {
				t.Errorf("GET /readyz: %+v", ready)
			}
		})
	}
}
