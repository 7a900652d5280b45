package bench

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"slices"
	"strconv"
	"time"
)

// System names in metrics: Newsline itself, and the baselines measured
// beside it in the same process.
const (
	SystemNewsline    = "newsline"
	SystemExtractOnly = "extract-only"
)

// Metric is one figure of a benchmark, printed by `newsline bench … --json`
// as one JSON object per line.
type Metric struct {
	Bench  string  `json:"bench"`
	System string  `json:"system"`
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Class  string  `json:"class,omitempty"`
}

// Metrics lists the crawl benchmark's figures: for each system the pages,
// failures, throughput, p50 and p99 latency and wall time, then the
// throughput ratio and the peak RSS (pipeline only).
func (r *CrawlResult) Metrics() []Metric {
	var out []Metric
	add := func(system, class string, p Phase) {
		out = append(out,
			Metric{"crawl", system, "pages", float64(p.Pages), "pages", class},
			Metric{"crawl", system, "failed", float64(p.Failed), "pages", class},
			Metric{"crawl", system, "pages_per_s", round(p.PagesPerSec(), 2), "pages/s", class},
			Metric{"crawl", system, "p50", ms(p.P50), "ms", class},
			Metric{"crawl", system, "p99", ms(p.P99), "ms", class},
			Metric{"crawl", system, "seconds", round(p.Elapsed.Seconds(), 3), "s", class},
		)
	}
	add(SystemNewsline, "pipeline", r.Pipeline)
	out = append(out, Metric{"crawl", SystemNewsline, "discovery_seconds", round(r.Discovery.Seconds(), 3), "s", "pipeline"},
		Metric{"crawl", SystemNewsline, "requests", float64(r.Requests), "requests", "pipeline"},
		Metric{"crawl", SystemNewsline, "requests_per_page", round(r.RequestsPerPage(), 3), "requests/page", "pipeline"})
	add(SystemExtractOnly, "extract", r.Extract)
	out = append(out,
		Metric{"crawl", SystemExtractOnly, "cpu_per_page", ms(r.Extract.CPUPerPage()), "ms", "extract"},
		Metric{"crawl", SystemNewsline, "ratio", round(r.Ratio(), 3), "x", ""},
		Metric{"crawl", SystemNewsline, "peak_rss", round(r.PeakRSSMB(), 1), "MB", "pipeline"},
		Metric{"crawl", SystemNewsline, "bench_peak_rss", round(mb(r.BenchPeakRSS), 1), "MB", "pipeline"},
	)
	if r.WorkerProcess {
		out = append(out,
			Metric{"crawl", SystemNewsline, "worker_peak_rss", round(mb(r.WorkerPeakRSS), 1), "MB", "pipeline"},
			Metric{"crawl", SystemNewsline, "worker_peak_heap", round(mb(r.WorkerPeakHeap), 1), "MB", "pipeline"})
	}
	return out
}

func mb(bytes uint64) float64 { return float64(bytes) / (1 << 20) }

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// percentiles returns the 50th and 99th percentile of ds (nearest rank).
func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p/100*float64(len(s)))) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return rank(50), rank(99)
}

// resetPeakRSS sets the process's peak RSS (VmHWM) back to its current
// RSS, so the next reading covers only what follows. Linux only; where it
// fails the reading covers the whole process life, which only overstates.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns the process's peak RSS in bytes, or 0 where /proc does
// not tell.
func peakRSS() uint64 { return peakRSSOf("self") }

// peakRSSOf returns the peak RSS (VmHWM) of process pid ("self" for this
// one) in bytes, or 0 where /proc does not tell.
func peakRSSOf(pid string) uint64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		// "VmHWM:	  123456 kB"
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 2 && string(f[1]) == "kB" {
			if kb, err := strconv.ParseUint(string(f[0]), 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
