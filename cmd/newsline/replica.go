package main

import (
	"context"

	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/store"
)

// openReplica adds the read replica (NEWSLINE_READ_DATABASE_URL) to the
// server's database, when one is configured. A replica that is down is
// not an error: the primary serves until it answers.
func (a *app) openReplica(ctx context.Context, db *store.DB) error {
	if a.cfg.Replica.URL == "" {
		return nil
	}
	if err := db.OpenReplica(ctx, a.cfg.Replica.URL, a.cfg.Replica.MaxLag, a.logger); err != nil {
		return err
	}
	state, lag := db.ReplicaStatus()
	a.logger.Info("read replica configured", "url", config.RedactURL(a.cfg.Replica.URL),
		"state", state, "lag", lag, "max_lag", a.cfg.Replica.MaxLag)
	return nil
}
