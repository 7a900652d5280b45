package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testsite"
	"github.com/newsline/newsline/store"
)

// TestWorkersOnSeveralSitesAtOnce is Newsline on several servers in
// small: one scheduler and two worker processes, each with its own Redis
// connections, crawl three sites at once. Each host's politeness delay
// holds across both processes, every article is stored once, and both
// workers fetched some of the pages.
func TestWorkersOnSeveralSitesAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	const (
		delay    = 100 * time.Millisecond
		articles = 20
		// window is how many consecutive gaps are measured together:
		// the limiter books start times a delay apart, but a request
		// held up after its slot (a busy machine, a GC pause) arrives
		// late and the next on time, so single gaps come up short.
		// A window of gaps must still take its full length, less two
		// delays of such jitter; two workers each keeping the delay
		// alone would fit the window in half its length.
		window = 8
	)
	var sites []*testsite.Server
	yaml := "sites:\n"
	for i := range 3 {
		s, err := testsite.Start(testsite.Config{Articles: articles, Seed: int64(11 + i)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		sites = append(sites, s)
		yaml += fmt.Sprintf(`  - host: %s
    name: Site %d
    start_urls: [%s/]
    feeds: [%s/feed.xml]
    schedule: "@every 2s"
    delay: %s
    max_pages: 500
    allow_private: true
`, s.Host, i, s.URL, s.URL, delay)
	}
	sitesFile := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(sitesFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	e, db := workerEnv(t, sitesFile)
	agents := []string{"NewslineBot/0.1 (worker-a; +https://example.org)", "NewslineBot/0.1 (worker-b; +https://example.org)"}
	for _, ua := range agents {
		we := env{}
		for k, v := range e {
			we[k] = v
		}
		we["NEWSLINE_USER_AGENT"] = ua
		startProcess(t, we, "worker")
	}
	runInProcess(t, e, "scheduler")

	total := 0
	for _, s := range sites {
		total += len(s.Allowed())
	}
	waitForArticles(t, db, int64(total), 90*time.Second)

	byAgent := map[string]int{}
	for _, s := range sites {
		checkPoliteness(t, s, delay, window)
		for _, r := range s.Requests() {
			byAgent[r.UserAgent]++
		}
	}
	for _, ua := range agents {
		if byAgent[ua] == 0 {
			t.Errorf("worker %q fetched nothing: %v", ua, byAgent)
		}
	}
	t.Logf("requests by worker: %v", byAgent)
	checkStoredOnceAcross(t, db, sites)
}

// checkPoliteness checks that any window of consecutive requests to the
// site (robots.txt aside: it is read before the limiter is asked) spans at
// least its gaps' worth of delay, less two delays for arrival jitter.
func checkPoliteness(t *testing.T, s *testsite.Server, delay time.Duration, window int) {
	t.Helper()
	var times []time.Time
	for _, r := range s.Requests() {
		if r.Path != "/robots.txt" {
			times = append(times, r.Time)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if len(times) <= window {
		t.Fatalf("%s: only %d requests", s.Host, len(times))
	}
	shortest := time.Hour
	for i := window; i < len(times); i++ {
		span := times[i].Sub(times[i-window])
		shortest = min(shortest, span)
		if want := time.Duration(window-2) * delay; span < want {
			t.Errorf("%s: requests %d..%d came within %s; at one per %s they need at least %s",
				s.Host, i-window, i, span, delay, want)
		}
	}
	rate := float64(len(times)-1) / times[len(times)-1].Sub(times[0]).Seconds()
	t.Logf("%s: %d requests, at most one per %s allowed; shortest %d-gap window %s, mean rate %.1f/s",
		s.Host, len(times), delay, window, shortest, rate)
	// The first and last arrivals carry jitter too: 5% over.
	if limit := float64(time.Second) / float64(delay); rate > limit*1.05 {
		t.Errorf("%s: %.1f requests per second over the crawl, more than the %.0f the delay allows", s.Host, rate, limit)
	}
}

// checkStoredOnceAcross checks that each site's allowed articles are all
// stored, each once.
func checkStoredOnceAcross(t *testing.T, db *store.DB, sites []*testsite.Server) {
	t.Helper()
	ctx := context.Background()
	for _, s := range sites {
		n, err := db.CountArticles(ctx, s.Host)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(s.Allowed()); n != int64(want) {
			t.Errorf("%s: %d articles stored, want %d", s.Host, n, want)
		}
	}
	var dupURLs, dupHashes int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) - count(DISTINCT url) FROM urls),
		(SELECT count(*) - count(DISTINCT content_hash) FROM articles)`).Scan(&dupURLs, &dupHashes); err != nil {
		t.Fatal(err)
	}
	if dupURLs != 0 || dupHashes != 0 {
		t.Errorf("%d duplicate url rows, %d articles stored twice by content", dupURLs, dupHashes)
	}
	var missing []string
	rows, err := db.Pool.Query(ctx, `SELECT canonical_url FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			t.Fatal(err)
		}
		stored[u] = true
	}
	rows.Close()
	for _, s := range sites {
		for _, a := range s.Allowed() {
			if !stored[s.URL+a.Path] {
				missing = append(missing, s.URL+a.Path)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("not stored: %s", strings.Join(missing, ", "))
	}
}
