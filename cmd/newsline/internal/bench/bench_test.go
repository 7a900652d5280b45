package bench

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
)

// BenchmarkCrawlPipeline runs the crawl benchmark on a 300-article site
// (NEWSLINE_BENCH_ARTICLES overrides it) against the test PostgreSQL and
// Redis, a fresh database per iteration. Run it with
//
//	go test -run '^$' -bench CrawlPipeline ./cmd/newsline/internal/bench/
//
// ns/op is suppressed: an iteration includes generating the site and
// migrating the database, so only the reported metrics mean anything.
func BenchmarkCrawlPipeline(b *testing.B) {
	articles := 300
	if s := os.Getenv("NEWSLINE_BENCH_ARTICLES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("NEWSLINE_BENCH_ARTICLES=%q: want a positive whole number", s)
		}
		articles = n
	}
	redisURL := testenv.RedisURL(b) // Crawl flushes it after every run
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var runs, pipeline, extract, ratio, p99, rss float64
	for b.Loop() {
		res, err := Crawl(b.Context(), CrawlConfig{
			Articles: articles, Seed: 1, Logger: logger,
			DatabaseURL: testenv.DatabaseURL(b), UseDatabase: true, RedisURL: redisURL,
		})
		if err != nil {
			b.Fatal(err)
		}
		if res.Pipeline.Failed > 0 || res.Pipeline.Pages != articles {
			b.Fatalf("pipeline stored %d of %d articles, %d failed: %v", res.Pipeline.Pages, articles, res.Pipeline.Failed, res.Failures)
		}
		runs++
		pipeline += res.Pipeline.PagesPerSec()
		extract += res.Extract.PagesPerSec()
		ratio += res.Ratio()
		p99 += float64(res.Pipeline.P99) / float64(time.Millisecond)
		rss += res.PeakRSSMB()
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(pipeline/runs, "pipeline-pages/s")
	b.ReportMetric(extract/runs, "extract-pages/s")
	b.ReportMetric(ratio/runs, "ratio")
	b.ReportMetric(p99/runs, "pipeline-p99-ms")
	b.ReportMetric(rss/runs, "peak-RSS-MB")
}

func TestCrawlRefusesNonEmptyRedis(t *testing.T) {
	redisURL := testenv.RedisURL(t)
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := context.Background()
	if err := rdb.Set(ctx, "someone:else", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, err = Crawl(ctx, CrawlConfig{Articles: 5, DatabaseURL: "postgres://unused.invalid/x", RedisURL: redisURL})
	if err == nil || !strings.Contains(err.Error(), "unused database number") {
		t.Fatalf("Crawl on a non-empty Redis database: err %v, want a hint to use another database number", err)
	}
	if n, _ := rdb.DBSize(ctx).Result(); n != 1 {
		t.Errorf("a refused run touched the Redis database: %d keys, want 1", n)
	}
}

func TestCrawlRefusesUsedDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls a test site")
	}
	db := testenv.DB(t)
	ctx := context.Background()
	site, _, err := db.UpsertSite(ctx, newsline.Site{Host: "x.test", Name: "x", Schedule: "@daily", MaxPages: 1, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddURLs(ctx, site.ID, []string{"http://x.test/a"}); err != nil {
		t.Fatal(err)
	}
	dbURL := db.Pool.Config().ConnString()
	_, err = Crawl(ctx, CrawlConfig{Articles: 5, DatabaseURL: dbURL, UseDatabase: true, RedisURL: testenv.RedisURL(t)})
	if err == nil || !strings.Contains(err.Error(), "already holds URLs") {
		t.Fatalf("Crawl on a used database: err %v, want a refusal", err)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable", "postgres://u:p@127.0.0.1:5432/bench_x?sslmode=disable"},
		{"postgresql://127.0.0.1", "postgresql://127.0.0.1/bench_x"},
		{"host=127.0.0.1 dbname=postgres", "host=127.0.0.1 dbname=postgres dbname=bench_x"},
	} {
		got, err := withDatabase(c.in, "bench_x")
		if err != nil || got != c.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p50, p99 := percentiles(ds)
	if p50 != 50*time.Millisecond || p99 != 99*time.Millisecond {
		t.Errorf("percentiles of 1..100 ms = %v, %v; want 50ms, 99ms", p50, p99)
	}
	if p50, p99 := percentiles(nil); p50 != 0 || p99 != 0 {
		t.Errorf("percentiles of nothing = %v, %v; want 0, 0", p50, p99)
	}
	if p50, p99 := percentiles([]time.Duration{7}); p50 != 7 || p99 != 7 {
		t.Errorf("percentiles of one = %v, %v; want 7, 7", p50, p99)
	}
}

func TestMetricsCarryEveryFigure(t *testing.T) {
	r := &CrawlResult{
		Pipeline: Phase{Pages: 10, Elapsed: time.Second, P50: time.Millisecond, P99: 2 * time.Millisecond},
		Extract:  Phase{Pages: 10, Elapsed: time.Second / 2},
		PeakRSS:  50 << 20,
	}
	got := map[string]Metric{}
	for _, m := range r.Metrics() {
		if m.Bench != "crawl" {
			t.Errorf("%+v: bench %q, want crawl", m, m.Bench)
		}
		got[m.System+" "+m.Metric] = m
	}
	for key, unit := range map[string]string{
		"newsline pages": "pages", "newsline pages_per_s": "pages/s", "newsline p50": "ms", "newsline p99": "ms", "newsline seconds": "s",
		"extract-only pages": "pages", "extract-only pages_per_s": "pages/s", "extract-only p50": "ms", "extract-only p99": "ms", "extract-only seconds": "s",
		"newsline ratio": "x", "newsline peak_rss": "MB",
	} {
		m, ok := got[key]
		if !ok {
			t.Errorf("no metric %q", key)
		} else if m.Unit != unit {
			t.Errorf("%s: unit %q, want %q", key, m.Unit, unit)
		}
	}
	if v := got["newsline ratio"].Value; v != 0.5 {
		t.Errorf("ratio %v, want 0.5 (10 pages/s over 20)", v)
	}
	if v := got["newsline peak_rss"].Value; v != 50 {
		t.Errorf("peak_rss %v MB, want 50", v)
	}
}
