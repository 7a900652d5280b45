package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsEveryRole starts a scheduler, a worker and a server, each
// with its health listener, lets them crawl a little of a test site, asks
// the server a few things, then scrapes the /metrics of each and checks
// the metric families and their values, and that the server logs one JSON
// line per request with its route, status, duration and request id.
func TestMetricsEveryRole(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server, worker and scheduler and crawls")
	}
	site, _, sitesFile := setup(t, 12, "1ms")
	e, db := workerEnv(t, sitesFile)
	e["NEWSLINE_LOG_FORMAT"] = "json"
	e["NEWSLINE_LOG_LEVEL"] = "info"
	addr := map[string]string{}
	logs := map[string]*syncBuffer{}
	for _, role := range []string{"scheduler", "worker", "serve"} {
		re := env{}
		for k, v := range e {
			re[k] = v
		}
		addr[role] = freeAddr(t)
		re["NEWSLINE_METRICS_ADDR"] = addr[role]
		re["NEWSLINE_HTTP_ADDR"] = freeAddr(t)
		if role == "serve" {
			addr["http"] = re["NEWSLINE_HTTP_ADDR"]
		}
		logs[role] = &syncBuffer{}
		a, err := newApp(logs[role], logs[role], re.lookup)
		if err != nil {
			t.Fatal(err)
		}
		runAppInProcess(t, a, logs[role], role)
	}
	ctx := context.Background()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		n, err := db.CountArticles(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if n >= 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d articles after 30 s; worker log:\n%s", n, logs["worker"].String())
		}
	}
	base := "http://" + addr["http"]
	for _, target := range []string{"/api/v1/search?q=the+news", "/api/v1/search?q=news&sort=date", "/feeds/latest.rss",
		"/feeds/latest.rss", "/api/v1/articles", "/no/such/page", "/feeds/me/" + feedSecret + ".rss"} {
		get(t, base+target, nil)
	}
	header := get(t, base+"/api/v1/sites", http.Header{"X-Request-ID": {"scrape-test-1"}})
	if got := header.Get("X-Request-ID"); got != "scrape-test-1" {
		t.Errorf("X-Request-ID echoed as %q", got)
	}
	if got := get(t, base+"/readyz", http.Header{"X-Request-ID": {"bad id with spaces"}}).Get("X-Request-ID"); got == "" || strings.Contains(got, " ") {
		t.Errorf("a bad X-Request-ID came back as %q, want a new one", got)
	}

	worker := scrape(t, "http://"+addr["worker"]+"/metrics")
	host := site.Host
	checkAtLeast(t, "worker", worker, "newsline_pages_fetched_total", map[string]string{"site": host, "outcome": "ok"}, 5)
	checkAtLeast(t, "worker", worker, "newsline_extractions_total", map[string]string{"kind": "article"}, 1)
	checkAtLeast(t, "worker", worker, "newsline_extract_duration_seconds", map[string]string{"kind": "article"}, 1)
	checkAtLeast(t, "worker", worker, "newsline_task_duration_seconds", map[string]string{"type": "fetch:article", "outcome": "ok"}, 5)
	checkAtLeast(t, "worker", worker, "newsline_crawl_runs_total", map[string]string{"site": host, "outcome": "ok"}, 1)
	checkAtLeast(t, "worker", worker, "newsline_db_pool_connections", map[string]string{"pool": "primary", "state": "max"}, 1)
	checkAtLeast(t, "worker", worker, "newsline_db_pool_acquires_total", map[string]string{"pool": "primary"}, 1)
	checkAtLeast(t, "worker", worker, "newsline_queue_inspect_up", nil, 1)
	checkAtLeast(t, "worker", worker, "newsline_queue_tasks", map[string]string{"state": "completed"}, 0)
	checkAtLeast(t, "worker", worker, "go_goroutines", nil, 1)

	scheduler := scrape(t, "http://"+addr["scheduler"]+"/metrics")
	checkAtLeast(t, "scheduler", scheduler, "newsline_queue_inspect_up", nil, 1)
	checkAtLeast(t, "scheduler", scheduler, "newsline_queue_tasks", map[string]string{"state": "pending"}, 0)
	checkAtLeast(t, "scheduler", scheduler, "newsline_db_pool_connections", map[string]string{"pool": "primary", "state": "max"}, 1)

	for _, u := range []string{base + "/metrics", "http://" + addr["serve"] + "/metrics"} {
		server := scrape(t, u)
		checkAtLeast(t, "server", server, "newsline_http_requests_total", map[string]string{"route": "GET /api/v1/search", "status": "200"}, 2)
		checkAtLeast(t, "server", server, "newsline_http_requests_total", map[string]string{"route": "unmatched", "status": "404"}, 1)
		checkAtLeast(t, "server", server, "newsline_http_request_duration_seconds", map[string]string{"route": "GET /feeds/{file}"}, 2)
		checkAtLeast(t, "server", server, "newsline_search_duration_seconds", map[string]string{"sort": "relevance"}, 1)
		checkAtLeast(t, "server", server, "newsline_search_duration_seconds", map[string]string{"sort": "date"}, 1)
		// The two feed requests: a miss, then a hit unless a stored article
		// emptied the cache in between (the worker is still crawling).
		checkAtLeast(t, "server", server, "newsline_cache_requests_total", map[string]string{"cache": "feeds", "result": "miss"}, 1)
		checkAtLeast(t, "server", server, "newsline_cache_requests_total", map[string]string{"cache": "feeds", "result": "hit"}, 0)
		checkAtLeast(t, "server", server, "newsline_db_pool_connections", map[string]string{"pool": "primary", "state": "max"}, 1)
	}
	checkRequestLog(t, logs["serve"].String())
	checkTaskLog(t, logs["worker"].String(), host)
}

// feedSecret stands for a personal feed's secret in a request path, which
// no log line may hold.
const feedSecret = "s3cr3tfeedtoken0123456789"

// get fetches u with header and returns the answer's header.
func get(t *testing.T, u string, header http.Header) http.Header {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header
}

// scrape reads a /metrics answer, logs what it holds, and checks that no
// label value is a URL.
func scrape(t *testing.T, u string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	var names []string
	for name, f := range fams {
		if !strings.HasPrefix(name, "newsline_") {
			continue
		}
		names = append(names, name)
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), "://") {
					t.Errorf("%s: label %s holds a URL: %s", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
	sort.Strings(names)
	t.Logf("%s: %d families, newsline_*: %s", u, len(fams), strings.Join(names, " "))
	return fams
}

// checkAtLeast checks that family name has a series with the given
// labels whose value (a histogram's count) is at least min, and logs it.
func checkAtLeast(t *testing.T, role string, fams map[string]*dto.MetricFamily, name string, labels map[string]string, min float64) {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Errorf("%s: no %s", role, name)
		return
	}
	best, found := -1.0, false
	for _, m := range f.GetMetric() {
		if !hasLabels(m, labels) {
			continue
		}
		found = true
		best = max(best, value(m))
	}
	if !found || best < min {
		t.Errorf("%s: %s%v is %v (found %v), want at least %v", role, name, labels, best, found, min)
		return
	}
	t.Logf("%s: %s%v = %v", role, name, labels, best)
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return 0
}

// jsonLines decodes the JSON lines of a log.
func jsonLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// checkRequestLog checks the server's one info line per request.
func checkRequestLog(t *testing.T, log string) {
	t.Helper()
	var requests int
	var tagged map[string]any
	for _, m := range jsonLines(t, log) {
		if m["msg"] != "http request" {
			continue
		}
		requests++
		if m["level"] != "INFO" || m["route"] == nil || m["status"] == nil || m["duration_ms"] == nil || m["method"] == nil || m["request_id"] == "" {
			t.Errorf("request line without level INFO, method, route, status, duration_ms or request_id: %v", m)
		}
		if m["request_id"] == "scrape-test-1" {
			tagged = m
		}
	}
	if requests < 8 {
		t.Errorf("%d request lines, want one per request (at least 8)", requests)
	}
	if tagged == nil || tagged["route"] != "GET /api/v1/sites" || tagged["status"] != float64(200) {
		t.Errorf("the request with X-Request-ID scrape-test-1 logged as %v", tagged)
	}
	t.Logf("server: %d request lines; e.g. %s", requests, fmt.Sprint(tagged))
	if strings.Contains(log, password) || strings.Contains(log, feedSecret) {
		t.Error("the server's log holds the password or a feed's secret")
	}
}

// checkTaskLog checks the worker's lines of fetched articles name their
// task id and site.
func checkTaskLog(t *testing.T, log, host string) {
	t.Helper()
	n := 0
	for _, m := range jsonLines(t, log) {
		if m["msg"] == "fetched" {
			n++
			if m["task_id"] == nil || m["task_id"] == "" || m["site"] != host {
				t.Errorf("a fetch line without its task id or site: %v", m)
			}
		}
	}
	if n == 0 {
		t.Error("no fetched line in the worker's log")
	}
}
