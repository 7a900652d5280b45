package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

// The fault tests run workers and schedulers as a deployment does, each
// over its own connections to dbURL and redisURL, which a test routes
// through a proxy it cuts or to a Redis it restarts; the test itself
// watches through connections of its own.

// logBuffer collects a node's log and shows its tail when the test fails.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func testLogger(t *testing.T, name string) *slog.Logger {
	t.Helper()
	buf := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			buf.mu.Lock()
			defer buf.mu.Unlock()
			s := buf.b.String()
			if len(s) > 6000 {
				s = "…" + s[len(s)-6000:]
			}
			t.Logf("%s log:\n%s", name, s)
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// taskCounts counts what a worker's tasks did, by task id.
type taskCounts struct {
	mu        sync.Mutex
	failures  map[string]int
	processed map[string]int // by task type
}

func (c *taskCounts) middleware(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		err := next.ProcessTask(ctx, t)
		id, _ := asynq.GetTaskID(ctx)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.processed[t.Type()]++
		if err != nil {
			c.failures[id]++
		}
		return err
	})
}

// Failures is how many times task id failed on this worker.
func (c *taskCounts) Failures(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures[id]
}

// Processed is how many tasks of type typ ran to an end on this worker.
func (c *taskCounts) Processed(typ string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.processed[typ]
}

// node is the connections of one worker or scheduler process.
type node struct {
	db  *store.DB
	rdb *redis.Client
}

func openNode(t *testing.T, dbURL, redisURL string) node {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	return node{db: db, rdb: rdb}
}

// runWorker starts a worker with four jobs at once; retry replaces its
// retry delays when not nil. It stops when the test ends.
func runWorker(t *testing.T, dbURL, redisURL string, retry asynq.RetryDelayFunc) *taskCounts {
	t.Helper()
	n := openNode(t, dbURL, redisURL)
	logger := testLogger(t, "worker")
	h := &jobs.Handlers{
		DB:        n.db,
		Crawler:   crawler.New(crawler.Options{Limiter: crawler.NewRedisLimiter(n.rdb, 0), Logger: logger}),
		Extractor: extract.New(),
		Queue:     asynq.NewClientFromRedisClient(n.rdb),
		Logger:    logger,
		Redis:     n.rdb,
	}
	counts := &taskCounts{failures: map[string]int{}, processed: map[string]int{}}
	cfg := jobs.WorkerConfig{Concurrency: 4, ShutdownTimeout: 10 * time.Second, Logger: logger, RetryDelay: retry,
		Middleware: []asynq.MiddlewareFunc{counts.middleware}}
	background(t, "worker", func(ctx context.Context) error { return jobs.RunWorker(ctx, n.rdb, cfg, h) })
	return counts
}

// runScheduler starts a scheduler that re-reads the sites every second;
// the returned func stops it (as does the end of the test).
func runScheduler(t *testing.T, dbURL, redisURL string) (stop func()) {
	t.Helper()
	n := openNode(t, dbURL, redisURL)
	cfg := jobs.SchedulerConfig{SyncInterval: time.Second, Logger: testLogger(t, "scheduler")}
	return background(t, "scheduler", func(ctx context.Context) error { return jobs.RunScheduler(ctx, redisURL, n.db, cfg) })
}

// background runs f until the returned func is called or the test ends.
func background(t *testing.T, name string, f func(ctx context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s: %v", name, err)
				}
			case <-time.After(time.Minute):
				t.Errorf("%s did not stop within a minute", name)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// addTestSite puts a test site on the whitelist.
func addTestSite(t *testing.T, db *store.DB, s *testsite.Server, schedule string, delay time.Duration) newsline.Site {
	t.Helper()
	site, _, err := db.UpsertSite(context.Background(), newsline.Site{
		Host: s.Host, Name: s.Host, StartURLs: []string{s.URL + "/"}, Feeds: []string{s.URL + "/feed.xml"},
		Schedule: schedule, Delay: delay, MaxPages: 1000, Enabled: true, AllowPrivate: true, MaxConcurrency: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// waitFor polls cond until it holds or timeout passes, and fails the test
// then with what cond last said.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, still waiting for %s: %s", timeout, what, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// articlesStored waits until at least n articles are stored.
func articlesStored(t *testing.T, db *store.DB, n int64, timeout time.Duration) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d articles", n), timeout, func() (bool, string) {
		got, err := db.CountArticles(context.Background(), "")
		return err == nil && got >= n, fmt.Sprintf("%d stored (%v)", got, err)
	})
}

// crawlSettled waits until every allowed article of site is stored and
// no URL waits for a fetch.
func crawlSettled(t *testing.T, db *store.DB, site *testsite.Server, timeout time.Duration) {
	t.Helper()
	want := int64(len(site.Allowed()))
	waitFor(t, "the crawl to settle", timeout, func() (bool, string) {
		ctx := context.Background()
		n, err := db.CountArticles(ctx, "")
		if err != nil {
			return false, err.Error()
		}
		counts, err := db.URLCounts(ctx, 0)
		if err != nil {
			return false, err.Error()
		}
		return n >= want && counts[store.URLNew]+counts[store.URLQueued] == 0,
			fmt.Sprintf("%d of %d articles; urls by state %v", n, want, counts)
	})
}

// storedOnce checks that every allowed article of site is stored exactly
// once, counting copies by URL and by content hash (urls.url and
// articles.canonical_url are unique by schema and could not show one),
// and returns the counts.
func storedOnce(t *testing.T, db *store.DB, site *testsite.Server) (stored, dupURLs, dupHashes int) {
	t.Helper()
	ctx := context.Background()
	err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) - count(DISTINCT canonical_url),
		count(*) - count(DISTINCT content_hash) FROM articles`).Scan(&stored, &dupURLs, &dupHashes)
	if err != nil {
		t.Fatal(err)
	}
	allowed := site.Allowed()
	if stored != len(allowed) || dupURLs != 0 || dupHashes != 0 {
		t.Errorf("%d articles stored (want %d), %d copies by URL, %d by content hash", stored, len(allowed), dupURLs, dupHashes)
	}
	var missing []string
	for _, a := range allowed {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM articles WHERE canonical_url = $1`, site.URL+a.Path).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			missing = append(missing, a.Path)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d articles not stored: %s", len(missing), strings.Join(missing, " "))
	}
	return stored, dupURLs, dupHashes
}
