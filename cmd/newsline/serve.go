package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// serve starts the HTTP server in g until ctx is done, with the API
// server's Run beside it: Run listens for the database's notifications of
// changed articles, and without it the feed and search caches never go live,
// so every feed and search would be built afresh.
func (a *app) serve(ctx context.Context, g *errgroup.Group, db *store.DB, rdb redis.UniversalClient, r roles) error {
	if err := a.openReplica(ctx, db); err != nil {
		return err
	}
	r.metrics.Pool("replica", db.ReplicaPool())
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another address with --http-addr)", a.cfg.HTTPAddr, err)
	}
	apiServer := &api.Server{DB: db, Redis: rdb, Logger: a.logger, BaseURL: a.cfg.BaseURL(),
		Signup: a.cfg.SignupOpen(r.dev), TrustedProxies: a.cfg.TrustedProxies,
		Crawls: jobs.CrawlQueue{Client: asynq.NewClientFromRedisClient(rdb)}, Podcast: a.podcastSettings(),
		Metrics: r.metrics}
	srv := &http.Server{
		Handler:           apiServer.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	url := "http://" + ln.Addr().String() + "/"
	a.logger.Info("http server listening", "url", url)
	if a.served != nil {
		a.served(url, apiServer)
	}
	if r.ready != nil {
		r.ready(url)
	}
	g.Go(func() error { return apiServer.Run(ctx) })
	g.Go(func() error {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	return nil
}
