package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/metrics"
)

// TestRecordAndServe records one of each and reads the exposition; a nil
// *Metrics records nothing and does not panic.
func TestRecordAndServe(t *testing.T) {
	var none *metrics.Metrics
	none.PageFetched("a.example", "ok")
	none.Extracted("article", time.Millisecond)
	none.TaskDone("fetch:article", time.Millisecond, false, true)
	none.CrawlRun("a.example", false)
	none.Searched("date", time.Millisecond)
	none.HTTPRequest("GET /x", 200, time.Millisecond)
	none.EpisodeMade(time.Second)
	none.CacheCounts("feeds", func() int64 { return 1 }, func() int64 { return 2 })

	m, other := metrics.New(), metrics.New() // registries of their own
	m.PageFetched("a.example", "ok")
	m.PageFetched("a.example", "ok")
	m.Extracted("article", time.Millisecond)
	m.TaskDone("fetch:article", time.Millisecond, true, true)
	m.CrawlRun("a.example", true)
	m.Searched("date", time.Millisecond)
	m.HTTPRequest("GET /x", 404, time.Millisecond)
	m.EpisodeMade(90 * time.Second)
	m.CacheCounts("feeds", func() int64 { return 3 }, func() int64 { return 4 })
	m.CacheCounts("feeds", func() int64 { return 9 }, func() int64 { return 9 }) // ignored
	other.PageFetched("b.example", "failed")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`newsline_pages_fetched_total{outcome="ok",site="a.example"} 2`,
		`newsline_extractions_total{kind="article"} 1`,
		`newsline_task_duration_seconds_count{outcome="error",type="fetch:article"} 1`,
		`newsline_task_retries_total{type="fetch:article"} 1`,
		`newsline_crawl_runs_total{outcome="error",site="a.example"} 1`,
		`newsline_search_duration_seconds_count{sort="date"} 1`,
		`newsline_http_requests_total{route="GET /x",status="404"} 1`,
		`newsline_podcast_episodes_total 1`,
		`newsline_tts_audio_seconds_total 90`,
		`newsline_cache_requests_total{cache="feeds",result="hit"} 3`,
		`newsline_cache_requests_total{cache="feeds",result="miss"} 4`,
		`go_goroutines `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "b.example") {
		t.Error("another registry's series leaked in")
	}
}
