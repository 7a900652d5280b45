package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// TestHealthcheckEveryRole starts each role with a health listener and
// checks that `newsline healthcheck`, reading the same environment, finds
// it ready.
func TestHealthcheckEveryRole(t *testing.T) {
	t.Parallel()
	dbURL := testenv.MigratedDatabaseURL(t)
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.MigrateUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	redisURL := testenv.RedisURL(t)
	for _, role := range []string{"serve", "worker", "scheduler"} {
		t.Run(role, func(t *testing.T) {
			e := env{"NEWSLINE_DATABASE_URL": dbURL, "NEWSLINE_REDIS_URL": redisURL, "NEWSLINE_LOG_LEVEL": "warn",
				"NEWSLINE_HTTP_ADDR": freeAddr(t), "NEWSLINE_METRICS_ADDR": "0.0.0.0:" + strings.Split(freeAddr(t), ":")[1]}
			runInProcess(t, e, role)
			code, out := waitReady(t, e)
			if code != 0 || !strings.HasPrefix(out, "ready: http://127.0.0.1:") {
				t.Fatalf("healthcheck of %s: exit %d:\n%s", role, code, out)
			}
			resp, err := http.Get(strings.Replace(strings.TrimSpace(strings.TrimPrefix(out, "ready: ")), "/readyz", "/healthz", 1))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("/healthz of %s: %s", role, resp.Status)
			}
		})
	}
}

// waitReady runs healthcheck until it exits 0 or 30 s have passed.
func waitReady(t *testing.T, e env) (int, string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, out := run(t, e, "healthcheck")
		if code == 0 || time.Now().After(deadline) {
			return code, out
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestHealthcheckNotReady checks the exit code and message of each way a
// process may not be ready, and that a URL's password is never printed.
func TestHealthcheckNotReady(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/readyz":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"ready":false,"checks":{"postgres":"ok","redis":"unavailable"}}`))
		case "/ok":
			_, _ = w.Write([]byte(`{"ready":true,"checks":{"postgres":"ok","redis":"ok"}}`))
		case "/lies":
			_, _ = w.Write([]byte(`{"ready":false}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	withPassword := strings.Replace(srv.URL, "http://", "http://u:"+password+"@", 1)
	for _, tc := range []struct {
		url  string
		code int
		want string
	}{
		{withPassword + "/ok", 0, "ready: " + srv.URL + "/ok"},
		{withPassword + "/readyz", 1, "503 Service Unavailable (redis unavailable)"},
		{srv.URL + "/lies", 1, "answered 200 OK"},
		{srv.URL + "/missing", 1, "answered 404 Not Found"},
		{"http://127.0.0.1:1/readyz", 1, "does not answer"},
		{"ftp://" + password + "@x/", 2, "--url: want an http(s) URL"},
	} {
		code, out := run(t, env{}, "healthcheck", "--url", tc.url)
		if code != tc.code || !strings.Contains(out, tc.want) || strings.Contains(out, password) {
			t.Errorf("healthcheck --url %s: exit %d, want %d with %q and no password:\n%s", tc.url, code, tc.code, tc.want, out)
		}
	}
}
