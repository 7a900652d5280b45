package main

import (
	"fmt"
	"os"
	"time"

	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/podcast"
	"github.com/newsline/newsline/store"
)

// podcastWork returns the podcast's work for a worker, and what ends the
// speech programs it keeps running.
func (a *app) podcastWork(db *store.DB) (*jobs.Podcast, func(), error) {
	pc := a.cfg.Podcast
	if err := os.MkdirAll(pc.AudioDir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("audio directory: %w", err)
	}
	sp, err := a.speaker()
	if err != nil {
		return nil, nil, err
	}
	m := &podcast.Maker{DB: db, Speaker: sp, Dir: pc.AudioDir, Album: pc.Title, Logger: a.logger}
	w := jobs.NewPodcast(m, podcast.Policy{MinCompleteness: pc.MinCompleteness, PerDay: pc.PerDay, Sites: pc.Sites,
		Trending: pc.Trending, MaxAge: pc.MaxAge}, time.Duration(pc.RetentionDays)*24*time.Hour, pc.Concurrency)
	return w, func() { _ = sp.Close() }, nil
}

// podcastSettings are the server's: none (no podcast routes) when the
// podcast is off.
func (a *app) podcastSettings() config.Podcast {
	if !a.cfg.Podcast.Enabled {
		return config.Podcast{}
	}
	return a.cfg.Podcast
}
