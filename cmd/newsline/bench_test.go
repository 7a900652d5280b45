package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/internal/testenv"
)

// TestBenchCrawl runs `newsline bench crawl` end to end on a tiny site and
// checks the shape of its output, not its figures: there are no timing
// thresholds in tests.
// Not parallel: t.Setenv makes the child process this test binary.
func TestBenchCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	// The worker runs in a child process: this test binary, which
	// NEWSLINE_TEST_EXEC makes the newsline command (TestMain).
	t.Setenv("NEWSLINE_TEST_EXEC", "1")
	redisURL := testenv.RedisURL(t)
	e := env{"NEWSLINE_DATABASE_URL": testenv.DatabaseURL(t), "NEWSLINE_REDIS_URL": redisURL}
	const articles = 40
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append([]string{"bench", "crawl", "--articles", "40", "--workers", "4"}, args...)
		if code := Main(context.Background(), args, &stdout, &stderr, e.lookup); code != 0 {
			t.Fatalf("newsline %s exited %d:\n%s", strings.Join(args, " "), code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "pipeline:") {
			t.Errorf("no progress on stderr:\n%s", stderr.String())
		}
		// The benchmark leaves the Redis database as it found it.
		opts, err := redis.ParseURL(redisURL)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		defer rdb.Close()
		if n, err := rdb.DBSize(context.Background()).Result(); err != nil || n != 0 {
			t.Errorf("Redis database holds %d keys after the benchmark (%v), want 0", n, err)
		}
		return stdout.String()
	}

	t.Run("json", func(t *testing.T) {
		out := run(t, "--json")
		type key struct{ system, metric string }
		got := map[key]map[string]any{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %q is not a JSON object: %v", line, err)
			}
			for _, k := range []string{"bench", "system", "metric", "value", "unit"} {
				if _, ok := m[k]; !ok {
					t.Errorf("line %q lacks %q", line, k)
				}
			}
			if m["bench"] != "crawl" {
				t.Errorf("line %q: bench %v, want crawl", line, m["bench"])
			}
			if v, ok := m["value"].(float64); !ok || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Errorf("line %q: value is not a non-negative number", line)
			}
			s, _ := m["system"].(string)
			name, _ := m["metric"].(string)
			got[key{s, name}] = m
		}
		for _, sys := range []string{"newsline", "extract-only"} {
			for metric, unit := range map[string]string{"pages": "pages", "pages_per_s": "pages/s", "p50": "ms", "p99": "ms", "seconds": "s"} {
				m, ok := got[key{sys, metric}]
				if !ok {
					t.Errorf("no %s %s line", sys, metric)
					continue
				}
				if m["unit"] != unit {
					t.Errorf("%s %s: unit %v, want %s", sys, metric, m["unit"], unit)
				}
			}
			if v := got[key{sys, "pages"}]["value"]; v != float64(articles) {
				t.Errorf("%s pages = %v, want %d", sys, v, articles)
			}
			if v := got[key{sys, "failed"}]["value"]; v != 0.0 {
				t.Errorf("%s failed = %v, want 0", sys, v)
			}
		}
		// Every article once, plus robots.txt, the feed, the sitemap and
		// the index pages.
		if v, _ := got[key{"newsline", "requests"}]["value"].(float64); v < articles {
			t.Errorf("newsline requests = %v, want at least one per article (%d)", v, articles)
		}
		for metric, unit := range map[string]string{"ratio": "x", "peak_rss": "MB", "requests_per_page": "requests/page",
			"worker_peak_rss": "MB", "worker_peak_heap": "MB", "bench_peak_rss": "MB"} {
			if m, ok := got[key{"newsline", metric}]; !ok || m["unit"] != unit {
				t.Errorf("newsline %s: got %v, want a line in %s", metric, m, unit)
			}
		}
	})

	t.Run("in-process", func(t *testing.T) {
		out := run(t, "--in-process", "--json")
		if strings.Contains(out, "worker_peak_rss") || !strings.Contains(out, `"peak_rss"`) {
			t.Errorf("--in-process: want peak_rss and no worker_peak_rss:\n%s", out)
		}
	})

	t.Run("table", func(t *testing.T) {
		out := run(t)
		for _, want := range []string{"pipeline (newsline)", "extract-only", "ratio pipeline / extract-only", "peak RSS", "per stored page"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestBenchUnknownSubcommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"bench", "crwal"}, &stdout, &stderr, env{}.lookup)
	if code != 2 || !strings.Contains(stderr.String(), "did you mean crawl?") {
		t.Errorf("newsline bench crwal: exit %d, stderr %q; want 2 and a suggestion", code, stderr.String())
	}
}
