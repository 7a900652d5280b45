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
	"github.com/newsline/newsline/store"
)

// startProbe starts the health listener on NEWSLINE_METRICS_ADDR, when
// set, in g: /healthz and /readyz for every role, so a worker or a
// scheduler answers `newsline healthcheck` as the server does. It stops
// when ctx is done.
func (a *app) startProbe(ctx context.Context, g *errgroup.Group, db *store.DB, rdb redis.UniversalClient) error {
	if a.cfg.MetricsAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another address with --metrics-addr)", a.cfg.MetricsAddr, err)
	}
	srv := &http.Server{
		Handler:           api.HealthHandler(db, rdb, a.logger),
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
