package api

import (
	"context"
	"net/http"
	"time"
)

// HealthJSON is the answer to GET /healthz.
type HealthJSON struct {
	Status string `json:"status"` // always "ok"
}

// ReadyJSON is the answer to GET /readyz.
type ReadyJSON struct {
	Ready bool `json:"ready"`
	// Checks by dependency (postgres, redis): "ok", "unavailable" or
	// "not configured".
	Checks map[string]string `json:"checks"`
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
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"postgres": "ok", "redis": "ok"}
	status := http.StatusOK
	if err := s.DB.Ping(ctx); err != nil {
		checks["postgres"] = "unavailable"
		status = http.StatusServiceUnavailable
		s.Logger.Warn("readiness: postgres", "err", err)
	}
	if s.Redis == nil {
		checks["redis"] = "not configured"
		status = http.StatusServiceUnavailable
	} else if err := s.Redis.Ping(ctx).Err(); err != nil {
		checks["redis"] = "unavailable"
		status = http.StatusServiceUnavailable
		s.Logger.Warn("readiness: redis", "err", err)
	}
	s.writeJSON(w, r, status, ReadyJSON{Ready: status == http.StatusOK, Checks: checks})
}
