package api

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// articlesChannel is where the database announces changed articles
// (migration 17): the payload lists the sites touched, "*" for all.
const articlesChannel = "newsline_articles"

// Run keeps the server's caches honest until ctx is done: it listens for
// the database's notifications of stored, changed and deleted articles on
// a connection of its own, reconnecting after an outage. Without Run the
// server still answers everything, but builds every feed afresh.
func (s *Server) Run(ctx context.Context) error {
	backoff := time.Second
	for {
		err := s.listen(ctx)
		s.caches().setLive(false)
		if ctx.Err() != nil {
			return nil
		}
		s.Logger.Warn("feed cache: lost the database's notifications; serving feeds uncached until they are back",
			"err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// listen holds one LISTEN connection until it fails or ctx is done.
func (s *Server) listen(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, s.DB.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+articlesChannel); err != nil {
		return err
	}
	cache := s.caches()
	cache.setLive(true)
	for {
		// A connection that died silently would leave the cache trusting
		// it: wake up now and then and ping.
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			if err := conn.Ping(ctx); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		sites, all := parseSites(n.Payload)
		cache.changed(sites, all)
	}
}

// parseSites reads a notification's payload: site ids separated by
// commas, or "*" (or anything unreadable) for every site.
func parseSites(payload string) ([]int64, bool) {
	var ids []int64
	for _, f := range strings.Split(payload, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, true
		}
		ids = append(ids, id)
	}
	return ids, false
}
