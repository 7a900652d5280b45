// Package metrics is Newsline's Prometheus instrumentation: one registry
// per process (never the global default registry), the metrics every role
// records, and the handler that serves them in the Prometheus text format.
//
// Library packages (crawler, extract, store, …) do not import it: they
// offer hooks (crawler.Options.OnFetch) that api, jobs and cmd connect to a
// *Metrics. Every method is safe on a nil *Metrics, which records nothing.
//
// Labels are bounded: a site's whitelist host, a task type, a route
// pattern, an outcome from a fixed list; never a URL.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds a process's registry and the metrics recorded in it.
type Metrics struct {
	reg *prometheus.Registry

	pagesFetched    *prometheus.CounterVec
	extractions     *prometheus.CounterVec
	extractDuration *prometheus.HistogramVec
	taskDuration    *prometheus.HistogramVec
	taskRetries     *prometheus.CounterVec
	crawlRuns       *prometheus.CounterVec
	searchDuration  *prometheus.HistogramVec
	httpRequests    *prometheus.CounterVec
	httpDuration    *prometheus.HistogramVec
	episodes        prometheus.Counter
	ttsSeconds      prometheus.Counter
}

// New returns metrics in a registry of their own, with the Go runtime's
// and the process's collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg}
	f := factory{reg}
	m.pagesFetched = f.counter("newsline_pages_fetched_total",
		"HTTP responses the crawler received (robots.txt, feeds, sitemaps, pages), by site and outcome.", "site", "outcome")
	m.extractions = f.counter("newsline_extractions_total",
		"Fetched pages run through the extractor, by kind of result (the article's kind, or no_content, too_large, failed).", "kind")
	m.extractDuration = f.histogram("newsline_extract_duration_seconds",
		"Time to extract one page, by kind of result.", prometheus.DefBuckets, "kind")
	m.taskDuration = f.histogram("newsline_task_duration_seconds",
		"Time a worker spent on one task, by task type and outcome (ok, error).",
		[]float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300}, "type", "outcome")
	m.taskRetries = f.counter("newsline_task_retries_total",
		"Task runs that were retries of an earlier failed run, by task type.", "type")
	m.crawlRuns = f.counter("newsline_crawl_runs_total",
		"Crawls of a site (discovery and queueing), by site and outcome (ok, error).", "site", "outcome")
	m.searchDuration = f.histogram("newsline_search_duration_seconds",
		"Time to answer a search (API or web page), by sort order.",
		[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}, "sort")
	m.httpRequests = f.counter("newsline_http_requests_total",
		"HTTP requests answered, by route pattern (unmatched when none) and status code.", "route", "status")
	m.httpDuration = f.histogram("newsline_http_request_duration_seconds",
		"Time to answer an HTTP request, by route pattern.",
		[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}, "route")
	m.episodes = prometheus.NewCounter(prometheus.CounterOpts{Name: "newsline_podcast_episodes_total",
		Help: "Podcast episodes made (articles read aloud and stored)."})
	m.ttsSeconds = prometheus.NewCounter(prometheus.CounterOpts{Name: "newsline_tts_audio_seconds_total",
		Help: "Seconds of speech the text-to-speech engine produced."})
	reg.MustRegister(m.episodes, m.ttsSeconds,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// factory makes and registers vectors in one registry.
type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(h)
	return h
}

// Handler serves the registry in the Prometheus exposition format; a nil
// *Metrics serves an empty one.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return promhttp.HandlerFor(prometheus.NewRegistry(), promhttp.HandlerOpts{})
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, MaxRequestsInFlight: 4})
}

// Registry is the process's registry, for a collector of its own.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// PageFetched counts one response of site (its whitelist host) with
// outcome (crawler.Options.OnFetch's).
func (m *Metrics) PageFetched(site, outcome string) {
	if m == nil {
		return
	}
	m.pagesFetched.WithLabelValues(site, outcome).Inc()
}

// Extracted records one extraction that took d and ended as kind.
func (m *Metrics) Extracted(kind string, d time.Duration) {
	if m == nil {
		return
	}
	m.extractions.WithLabelValues(kind).Inc()
	m.extractDuration.WithLabelValues(kind).Observe(d.Seconds())
}

// TaskDone records one run of a task of type typ: how long it took,
// whether it failed, and whether it was a retry.
func (m *Metrics) TaskDone(typ string, d time.Duration, failed bool, retry bool) {
	if m == nil {
		return
	}
	outcome := "ok"
	if failed {
		outcome = "error"
	}
	m.taskDuration.WithLabelValues(typ, outcome).Observe(d.Seconds())
	if retry {
		m.taskRetries.WithLabelValues(typ).Inc()
	}
}

// CrawlRun counts one crawl of site, failed or not.
func (m *Metrics) CrawlRun(site string, failed bool) {
	if m == nil {
		return
	}
	outcome := "ok"
	if failed {
		outcome = "error"
	}
	m.crawlRuns.WithLabelValues(site, outcome).Inc()
}

// Searched records one search with sort order sort that took d.
func (m *Metrics) Searched(sort string, d time.Duration) {
	if m == nil {
		return
	}
	m.searchDuration.WithLabelValues(sort).Observe(d.Seconds())
}

// HTTPRequest records one request answered with status by route (a
// pattern, "unmatched" when no route took it) in d.
func (m *Metrics) HTTPRequest(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

// EpisodeMade counts one podcast episode of the given length of speech.
func (m *Metrics) EpisodeMade(speech time.Duration) {
	if m == nil {
		return
	}
	m.episodes.Inc()
	m.ttsSeconds.Add(speech.Seconds())
}
