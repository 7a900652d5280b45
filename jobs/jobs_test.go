package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/jobs"
	"github.com/newsline/newsline/store"
)

type harness struct {
	db     *store.DB
	client *asynq.Client
}

// start runs a real worker against the test's PostgreSQL and Redis.
func start(t *testing.T) *harness {
	t.Helper()
	db := testenv.DB(t)
	rdb := testenv.Redis(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	client := asynq.NewClientFromRedisClient(rdb)
	h := &jobs.Handlers{
		DB:        db,
		Crawler:   crawler.New(crawler.Options{Limiter: crawler.NewRedisLimiter(rdb, time.Minute), Logger: logger}),
		Extractor: extract.New(),
		Queue:     client,
		Logger:    logger,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- jobs.RunWorker(ctx, rdb, jobs.WorkerConfig{Concurrency: 4, ShutdownTimeout: 10 * time.Second, Logger: logger}, h)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return &harness{db: db, client: client}
}

func (h *harness) addSite(t *testing.T, s *testsite.Server) newsline.Site {
	t.Helper()
	site, _, err := h.db.UpsertSite(context.Background(), newsline.Site{
		Host: s.Host, Name: s.Host, StartURLs: []string{s.URL + "/"}, Feeds: []string{s.URL + "/feed.xml"},
		Schedule: "@hourly", MaxPages: 1000, Enabled: true, AllowPrivate: true, MaxConcurrency: 4,
	})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// crawl queues a crawl of each host and waits until no URL waits for a
// fetch.
func (h *harness) crawl(t *testing.T, hosts ...string) {
	t.Helper()
	ctx := context.Background()
	for _, host := range hosts {
		if _, err := h.client.EnqueueContext(ctx, jobs.NewCrawlSiteTask(host)); err != nil {
			t.Fatal(err)
		}
	}
	// Wait for the crawls themselves to be recorded, then for the fetches.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var runs int
		h.db.Pool.QueryRow(ctx, `SELECT count(*) FROM crawl_runs WHERE finished_at > now() - interval '2 minutes'`).Scan(&runs)
		counts, err := h.db.URLCounts(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var busy int
		h.db.Pool.QueryRow(ctx, `SELECT count(*) FROM urls WHERE state IN ('new','queued') OR (state = 'fetched' AND next_fetch_at <= now())`).Scan(&busy)
		if runs >= len(hosts) && busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("crawl did not settle: runs %d, urls %v, busy %d", runs, counts, busy)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDuplicatesStoredOnce crawls a site that links the same articles at a
// mirror URL and with tracking parameters, and a second site syndicating
// the very same articles: each article is stored once, and every other URL
// points at it.
func TestDuplicatesStoredOnce(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := context.Background()
	a, err := testsite.Start(testsite.Config{Articles: 60, Seed: 21, Duplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := testsite.Start(testsite.Config{Articles: 60, Seed: 21}) // the same articles on another host
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	h.addSite(t, a)
	h.addSite(t, b)
	h.crawl(t, a.Host, b.Host)

	var articles, tracking, mirrors, mirrorsLinked int
	h.db.Pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&articles)
	h.db.Pool.QueryRow(ctx, `SELECT count(*) FROM urls WHERE url LIKE '%utm_%' OR url LIKE '%fbclid%'`).Scan(&tracking)
	h.db.Pool.QueryRow(ctx, `SELECT count(*), count(article_id) FROM urls WHERE url LIKE '%/mirror/%'`).Scan(&mirrors, &mirrorsLinked)
	if want := len(a.Allowed()); articles != want {
		t.Errorf("%d articles stored, want %d (one per article across both sites and all URLs)", articles, want)
	}
	if tracking != 0 {
		t.Errorf("%d URLs kept tracking parameters", tracking)
	}
	if mirrors == 0 || mirrorsLinked != mirrors {
		t.Errorf("mirror URLs: %d, linked to an article: %d", mirrors, mirrorsLinked)
	}
	// Every article's URL on either site resolves to the one stored copy.
	for _, art := range a.Allowed()[:10] {
		var ids []int64
		rows, _ := h.db.Pool.Query(ctx, `SELECT DISTINCT article_id FROM urls WHERE url IN ($1, $2, $3)`,
			a.URL+art.Path, b.URL+art.Path, a.URL+"/mirror"+art.Path)
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) != 1 {
			t.Errorf("%s: its URLs point at articles %v, want exactly one", art.Path, ids)
		}
	}
}

// TestRefetchPicksUpCorrections revises one article on the site, makes
// re-fetches due, and crawls again: the revised article is updated with a
// revision counted, the others answer 304, and the feed is not downloaded
// again.
func TestRefetchPicksUpCorrections(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := context.Background()
	s, err := testsite.Start(testsite.Config{Articles: 30, Seed: 22})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.addSite(t, s)
	h.crawl(t, s.Host)
	n := len(s.Allowed())

	revised := s.Allowed()[3]
	if _, err := s.Revise(revised.Path); err != nil {
		t.Fatal(err)
	}
	// Pretend an hour went by.
	if _, err := h.db.Pool.Exec(ctx, `UPDATE urls SET next_fetch_at = now() - interval '1 second' WHERE state = 'fetched'`); err != nil {
		t.Fatal(err)
	}
	s.ResetRequests()
	h.crawl(t, s.Host)

	var revisions int
	var body string
	if err := h.db.Pool.QueryRow(ctx, `SELECT revisions, body_text FROM articles WHERE canonical_url = $1`, s.URL+revised.Path).Scan(&revisions, &body); err != nil {
		t.Fatal(err)
	}
	if revisions != 2 || !strings.Contains(body, testsite.CorrectionText) {
		t.Errorf("revised article: %d revisions, correction stored %v", revisions, strings.Contains(body, testsite.CorrectionText))
	}
	var notModified, twice int
	h.db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE http_status = 304), count(*) FILTER (WHERE fetch_count = 2) FROM urls WHERE state = 'fetched'`).Scan(&notModified, &twice)
	if twice != n || notModified != n-1 {
		t.Errorf("after the re-fetch: %d of %d URLs fetched twice, %d answered 304 (want %d)", twice, n, notModified, n-1)
	}
	var articles int
	h.db.Pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&articles)
	if articles != n {
		t.Errorf("%d articles after the re-fetch, want %d", articles, n)
	}
	for _, r := range s.Requests() {
		if r.Path == "/feed.xml" && (!r.Conditional || r.Status != 304) {
			t.Errorf("feed fetched again unconditionally: conditional=%v status %d", r.Conditional, r.Status)
		}
	}
	var feedStatus int
	h.db.Pool.QueryRow(ctx, `SELECT last_status FROM sources WHERE url = $1`, s.URL+"/feed.xml").Scan(&feedStatus)
	if feedStatus != 304 {
		t.Errorf("feed's last status %d, want 304", feedStatus)
	}
}
