package store

import (
	"context"
	"log/slog"
	"time"
)

// foldTimeout bounds one fold, the last one on shutdown included, so a
// stuck database cannot hold a stopping worker forever.
const foldTimeout = time.Minute

// TermStatsFolder keeps the corpus statistics current while articles
// arrive: every so often it folds the queued term statistics in (see
// FoldTermStats). It has asynq's shape: Start begins the work in the
// background, and Shutdown stops it, waits for a fold in flight and folds
// what is still queued, so a stop never leaves work behind.
type TermStatsFolder struct {
	db     *DB
	every  time.Duration
	logger *slog.Logger
	stop   chan struct{}
	done   chan struct{}
}

// NewTermStatsFolder returns a folder that folds every interval once
// started; it logs failed folds to logger.
func NewTermStatsFolder(db *DB, every time.Duration, logger *slog.Logger) *TermStatsFolder {
	return &TermStatsFolder{db: db, every: every, logger: logger}
}

// Start begins folding in the background. Call it once, and Shutdown when
// done.
func (f *TermStatsFolder) Start() {
	f.stop, f.done = make(chan struct{}), make(chan struct{})
	go f.run()
}

// Shutdown stops the folder and returns once the fold in flight, if any,
// and a last fold of what is still queued have finished. It does nothing
// when the folder was never started.
func (f *TermStatsFolder) Shutdown() {
	if f.stop == nil {
		return
	}
	close(f.stop)
	<-f.done
}

func (f *TermStatsFolder) run() {
	defer close(f.done)
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			f.fold()
			return
		case <-t.C:
			f.fold()
		}
	}
}

// fold runs on its own context rather than the caller's: the work it does
// is what a stopping worker must not drop.
func (f *TermStatsFolder) fold() {
	ctx, cancel := context.WithTimeout(context.Background(), foldTimeout)
	defer cancel()
	if _, err := f.db.FoldTermStats(ctx); err != nil {
		f.logger.Warn("fold term statistics", "err", err)
	}
}
