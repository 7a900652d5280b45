package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/jobs"
)

// TestWorkerKilledDuringCrawlSite kills the worker process with SIGKILL
// while it runs crawl:site, before the crawl has queued a single fetch,
// and starts another: asynq hands the dead worker's crawl to the new one
// once its lease has run out, the crawl runs again (its tick's claim is
// its own), and every article ends up stored exactly once, by URL and by
// content.
func TestWorkerKilledDuringCrawlSite(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, _, sitesFile := setup(t, 60, "150ms")
	e, db := workerEnv(t, sitesFile)
	opts, err := redis.ParseURL(e["NEWSLINE_REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	insp := asynq.NewInspectorFromRedisClient(rdb)
	runInProcess(t, e, "scheduler")
	worker := startProcess(t, e, "worker")

	// A crawl is running, it has read some of the site, and no fetch is
	// queued yet: discovery is under way.
	crawling := func() (bool, string) {
		active, err := insp.ListActiveTasks(jobs.QueueCrawl)
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		fetches := 0
		if qi, err := insp.GetQueueInfo(jobs.QueueFetch); err == nil {
			fetches = qi.Size
		}
		read := len(site.Requests())
		return len(active) == 1 && read >= 3 && fetches == 0,
			fmt.Sprintf("%d crawls running, %d requests to the site, %d fetches queued", len(active), read, fetches)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		ok, state := crawling()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never caught a crawl in discovery: %s", state)
		}
	}
	if err := worker.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = worker.Wait()
	_, state := crawling()
	t.Logf("killed the worker during crawl:site: %s", state)
	n, _ := db.CountArticles(context.Background(), "")
	if n != 0 {
		t.Fatalf("%d articles stored before the kill; the crawl was not in discovery", n)
	}

	startProcess(t, e, "worker")
	// asynq takes the crawl back once its lease has been expired for 30 s,
	// on the new worker's minute-long recovery round: about a minute.
	waitForArticles(t, db, int64(len(site.Allowed())), 4*time.Minute)
	checkStoredOnce(t, db, site)
	t.Logf("worker killed during crawl:site: %d articles expected, all stored once (by URL and content hash); settled %s after the kill",
		len(site.Allowed()), time.Since(killed).Round(100*time.Millisecond))
}
