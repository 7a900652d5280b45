package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/newsline/newsline/internal/testenv"
)

// TestBenchHTTP runs `newsline bench http` end to end on a tiny archive
// and checks the shape of its output, not its figures.
func TestBenchHTTP(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads an archive and serves it")
	}
	e := env{"NEWSLINE_DATABASE_URL": testenv.DatabaseURL(t), "NEWSLINE_REDIS_URL": testenv.RedisURL(t)}
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append([]string{"bench", "http", "--articles", "300", "--clients", "2", "--duration", "300ms", "--warmup", "100ms"}, args...)
		if code := Main(context.Background(), args, &stdout, &stderr, e.lookup); code != 0 {
			t.Fatalf("newsline %s exited %d:\n%s", strings.Join(args, " "), code, stderr.String())
		}
		if !strings.Contains(stderr.String(), " newsline:") {
			t.Errorf("no progress on stderr:\n%s", stderr.String())
		}
		return stdout.String()
	}

	t.Run("json", func(t *testing.T) {
		out := run(t, "--json")
		type key struct{ system, class, metric string }
		got := map[key]map[string]any{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %q is not a JSON object: %v", line, err)
			}
			if m["bench"] != "http" {
				t.Errorf("line %q: bench %v, want http", line, m["bench"])
			}
			if v, ok := m["value"].(float64); !ok || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Errorf("line %q: value is not a non-negative number", line)
			}
			s, _ := m["system"].(string)
			c, _ := m["class"].(string)
			name, _ := m["metric"].(string)
			got[key{s, c, name}] = m
		}
		classes := map[string][]string{
			"newsline": {"feed", "feed_304", "article", "search", "mixed_search", "mixed_feed"},
			"static":   {"feed", "feed_304"},
		}
		for sys, cs := range classes {
			for _, c := range cs {
				for metric, unit := range map[string]string{"req_per_s": "req/s", "p99": "ms", "p50": "ms", "errors": "requests"} {
					m, ok := got[key{sys, c, metric}]
					if !ok {
						t.Errorf("no %s %s %s line", sys, c, metric)
						continue
					}
					if m["unit"] != unit {
						t.Errorf("%s %s %s: unit %v, want %s", sys, c, metric, m["unit"], unit)
					}
				}
				if v := got[key{sys, c, "errors"}]["value"]; v != 0.0 {
					t.Errorf("%s %s: %v errors", sys, c, v)
				}
				// A class of slow requests (a search on a loaded
				// machine) may measure none in 300 ms: only feeds,
				// served from memory, must have answered.
				if v, _ := got[key{sys, c, "req_per_s"}]["value"].(float64); v <= 0 && c == "feed" {
					t.Errorf("%s %s: %v req/s", sys, c, v)
				}
			}
		}
		for _, c := range []string{"feed", "feed_304"} {
			if m, ok := got[key{"newsline", c, "ratio"}]; !ok || m["unit"] != "x" {
				t.Errorf("newsline %s ratio: got %v, want a line in x", c, m)
			}
		}
	})

	t.Run("crawl", func(t *testing.T) {
		out := run(t, "--classes", "crawl", "--clients", "3", "--crawl-articles", "30", "--crawl-workers", "2", "--json")
		for _, c := range []string{"crawl_search", "crawl_listing", "crawl_feed"} {
			for _, metric := range []string{"req_per_s", "p50", "p99", "errors", "status_5xx"} {
				if !strings.Contains(out, `"metric":"`+metric+`","value":`) || !strings.Contains(out, `"class":"`+c+`"`) {
					t.Errorf("no %s %s line:\n%s", c, metric, out)
				}
			}
		}
		if !strings.Contains(out, `"metric":"crawl_stored"`) || strings.Contains(out, `"metric":"errors","value":1`) {
			t.Errorf("no crawl_stored line, or errors:\n%s", out)
		}
	})

	t.Run("table", func(t *testing.T) {
		out := run(t, "--classes", "feed,mixed")
		for _, want := range []string{"newsline req/s", "static req/s", "cached feed   newsline/static", "search p99 while feeds are served",
			"/feeds/latest.rss", "built afresh while measuring: 0"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "feed_304") || strings.Contains(out, "FAILED") {
			t.Errorf("output has a class not asked for, or failures:\n%s", out)
		}
	})
}

func TestBenchHTTPUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "http", "--clients", "0"},
		{"bench", "http", "--duration", "0s"},
		{"bench", "http", "--classes", "feed,feeds"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), args, &stdout, &stderr, env{}.lookup); code != 2 {
			t.Errorf("newsline %s: exit %d, want 2 (usage); stderr %q", strings.Join(args, " "), code, stderr.String())
		}
	}
}
