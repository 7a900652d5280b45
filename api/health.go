package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// HealthJSON is the answer to GET /healthz.
type HealthJSON struct {
	Status string `json:"status"` // always "ok"
}

// ReadyJSON is the answer to GET /readyz.
type ReadyJSON struct {
	Ready bool `json:"ready"`
	// Checks by dependency (postgres, redis): "ok", "unavailable" or
	// "not configured"; replica, when one is configured: "ok", "lagging"
	// or "unavailable".
	Checks map[string]string `json:"checks"`
}

// Pinger is what readiness asks of the database (store.DB).
type Pinger interface {
	Ping(ctx context.Context) error
}

// replicaStatuser is what readiness asks of a database with a read
// replica (store.DB).
type replicaStatuser interface {
	ReplicaStatus() (string, time.Duration)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, HealthJSON{Status: "ok"})
}

// readyz reports whether the process can do its work: PostgreSQL and Redis
// both answer.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	ready := readiness(r.Context(), s.DB, s.Redis, s.Logger)
	status := http.StatusOK
	if !ready.Ready {
		status = http.StatusServiceUnavailable
	}
	s.writeJSON(w, r, status, ready)
}

// readiness pings PostgreSQL and Redis, each within 2 s.
func readiness(ctx context.Context, db Pinger, rdb redis.UniversalClient, logger *slog.Logger) ReadyJSON {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	checks := map[string]string{"postgres": "ok", "redis": "ok"}
	ready := true
	if err := db.Ping(ctx); err != nil {
		checks["postgres"] = "unavailable"
		ready = false
		logger.Warn("readiness: postgres", "err", err)
	}
	// A replica that lags or is down costs no readiness: the primary
	// serves its reads meanwhile.
	if rs, ok := db.(replicaStatuser); ok {
		if st, _ := rs.ReplicaStatus(); st != "" {
			checks["replica"] = st
		}
	}
	if rdb == nil {
		checks["redis"] = "not configured"
		ready = false
	} else if err := rdb.Ping(ctx).Err(); err != nil {
		checks["redis"] = "unavailable"
		ready = false
		logger.Warn("readiness: redis", "err", err)
	}
	return ReadyJSON{Ready: ready, Checks: checks}
}

// HealthHandler serves GET /healthz and /readyz alone, with the server's
// answers: the probe listener of workers and schedulers, which have no
// HTTP server of their own (NEWSLINE_METRICS_ADDR).
func HealthHandler(db Pinger, rdb redis.UniversalClient, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeProbe(w, http.StatusOK, HealthJSON{Status: "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ready := readiness(r.Context(), db, rdb, logger)
		status := http.StatusOK
		if !ready.Ready {
			status = http.StatusServiceUnavailable
		}
		writeProbe(w, status, ready)
	})
	return mux
}

func writeProbe(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
