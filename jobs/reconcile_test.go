package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
)

// TestCrawlReplacesDeadFetchTasks leaves queued URLs without a task that
// will run, as a database outage (a last attempt whose failure could not
// be recorded, archived) or a Redis that lost its data does, and fetched
// URLs due for a re-fetch with an archived task: the site's stats call
// the old ones stuck, and the next crawl queues each of them again,
// counts them, and leaves the live tasks alone.
func TestCrawlReplacesDeadFetchTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL, redisURL := testenv.MigratedDatabaseURL(t), testenv.RedisURL(t)
	n := openNode(t, dbURL, redisURL)
	if _, err := n.db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := testsite.Start(testsite.Config{Articles: 30, Seed: 23})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	site := addTestSite(t, n.db, s, "@hourly", 0)
	logger := testLogger(t, "crawl")
	h := &jobs.Handlers{
		DB: n.db, Crawler: crawler.New(crawler.Options{Limiter: crawler.NewRedisLimiter(n.rdb, 0), Logger: logger}),
		Extractor: extract.New(), Queue: asynq.NewClientFromRedisClient(n.rdb), Logger: logger, Redis: n.rdb,
	}
	insp := asynq.NewInspectorFromRedisClient(n.rdb)

	// No worker yet: every URL the crawl finds stays queued, its task
	// pending.
	first, err := h.Crawl(ctx, s.Host)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := n.db.PendingURLs(ctx, site.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if first.Queued == 0 || len(pending) != first.Queued || first.Requeued != 0 {
		t.Fatalf("first crawl: %+v, %d URLs pending", first, len(pending))
	}
	archived, lost := pending[:3], pending[3:5]
	var dead []int64
	for _, u := range archived {
		if err := insp.ArchiveTask(jobs.QueueFetch, jobs.FetchTaskID(u.ID)); err != nil {
			t.Fatal(err)
		}
		dead = append(dead, u.ID)
	}
	for _, u := range lost {
		if err := insp.DeleteTask(jobs.QueueFetch, jobs.FetchTaskID(u.ID)); err != nil {
			t.Fatal(err)
		}
		dead = append(dead, u.ID)
	}
	if _, err := n.db.Pool.Exec(ctx, `UPDATE urls SET queued_at = now() - interval '2 hours' WHERE id = ANY($1)`, dead); err != nil {
		t.Fatal(err)
	}
	st, err := n.db.Stats(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stuck != int64(len(dead)) {
		t.Errorf("%d URLs stuck, want %d", st.Stuck, len(dead))
	}

	second, err := h.Crawl(ctx, s.Host)
	if err != nil {
		t.Fatal(err)
	}
	if second.Requeued != len(dead) || second.Queued != first.Queued {
		t.Errorf("second crawl: %d queued, %d requeued; want %d and %d", second.Queued, second.Requeued, first.Queued, len(dead))
	}
	for _, u := range pending {
		info, err := insp.GetTaskInfo(jobs.QueueFetch, jobs.FetchTaskID(u.ID))
		if err != nil || info.State != asynq.TaskStatePending {
			t.Errorf("%s: task %v, %v; want pending", u.URL, info, err)
		}
	}
	if st, err = n.db.Stats(ctx, site.ID); err != nil {
		t.Fatal(err)
	}
	if st.Stuck != 0 || st.Requeued != int64(len(dead)) {
		t.Errorf("after the crawl: %d stuck, %d requeued; want 0 and %d", st.Stuck, st.Requeued, len(dead))
	}
	third, err := h.Crawl(ctx, s.Host)
	if err != nil {
		t.Fatal(err)
	}
	if third.Requeued != 0 {
		t.Errorf("a crawl with every task live requeued %d", third.Requeued)
	}

	runWorker(t, dbURL, redisURL, nil)
	crawlSettled(t, n.db, s, 2*time.Minute)
	storedOnce(t, n.db, s)

	// Re-fetches: two fetched URLs are due, and their last fetch task
	// was archived (it ran out of retries on a 5xx, say).
	due := pending[:2]
	for _, u := range due {
		if _, err := h.Queue.EnqueueContext(ctx, jobs.NewFetchArticleTask(u.ID, s.Host), asynq.ProcessIn(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := insp.ArchiveTask(jobs.QueueFetch, jobs.FetchTaskID(u.ID)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.db.Pool.Exec(ctx, `UPDATE urls SET next_fetch_at = now() - interval '1 second' WHERE id = ANY($1)`,
		[]int64{due[0].ID, due[1].ID}); err != nil {
		t.Fatal(err)
	}
	refetch, err := h.Crawl(ctx, s.Host)
	if err != nil {
		t.Fatal(err)
	}
	if refetch.Refetches != len(due) || refetch.Requeued != len(due) {
		t.Errorf("re-fetch crawl: %d re-fetches, %d requeued; want %d of each", refetch.Refetches, refetch.Requeued, len(due))
	}
	waitFor(t, "the re-fetches", time.Minute, func() (bool, string) {
		var left int
		err := n.db.Pool.QueryRow(ctx, `SELECT count(*) FROM urls WHERE id = ANY($1) AND fetch_count < 2`,
			[]int64{due[0].ID, due[1].ID}).Scan(&left)
		return err == nil && left == 0, "re-fetched: " + errString(err)
	})
	if _, err := insp.GetTaskInfo(jobs.QueueFetch, jobs.FetchTaskID(due[0].ID)); !errors.Is(err, asynq.ErrTaskNotFound) {
		t.Errorf("the re-fetch's task is still there: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
