package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/jobs"
)

// TestWorkerStopFoldsTermStats stops a worker while an article's term
// statistics wait in the queue, long before its folder's first tick: the
// stop folds them in rather than leaving them behind.
func TestWorkerStopFoldsTermStats(t *testing.T) {
	db := testenv.DB(t)
	rdb := testenv.Redis(t)
	site := testenv.SeedSite(t, db, "news.example")
	testenv.SeedArticle(t, db, site, newsline.Article{URL: "https://news.example/a", Title: "Accord",
		Language: "en", Text: "The river accord was signed.", Terms: []string{"river", "accord"}})

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := jobs.RunWorker(ctx, rdb, jobs.WorkerConfig{Concurrency: 1, ShutdownTimeout: 10 * time.Second, Logger: logger},
		&jobs.Handlers{DB: db, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	var queued, docs int
	err = db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM term_stats_queue),
		coalesce((SELECT docs FROM corpus_docs WHERE language = 'en'), 0)`).Scan(&queued, &docs)
	if err != nil {
		t.Fatal(err)
	}
	if queued != 0 || docs != 1 {
		t.Fatalf("after stop: %d batches still queued, %d documents counted; want 0 and 1", queued, docs)
	}
}
