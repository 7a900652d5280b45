package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/internal/metrics"
	"github.com/newsline/newsline/store"
)

// startProbe starts the health listener on NEWSLINE_METRICS_ADDR, when
// set, in g: /healthz, /readyz and /metrics (m's) for every role, so a
// worker or a scheduler answers `newsline healthcheck` and Prometheus as
// the server does. It stops when ctx is done.
func (a *app) startProbe(ctx context.Context, g *errgroup.Group, db *store.DB, rdb redis.UniversalClient, m *metrics.Metrics) error {
	if a.cfg.MetricsAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another address with --metrics-addr)", a.cfg.MetricsAddr, err)
	}
	srv := &http.Server{
		Handler:           probeHandler(api.HealthHandler(db, rdb, a.logger), m),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      10 * time.Second,
	}
	a.logger.Info("health listener", "addr", ln.Addr().String())
	g.Go(func() error {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("health listener: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	return nil
}

// probeHandler serves GET /metrics from m and the rest from health.
func probeHandler(health http.Handler, m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("/", health)
	return mux
}
