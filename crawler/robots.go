package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// How long a robots.txt answer is trusted. RFC 9309 asks crawlers not to
// cache longer than a day; an unreachable robots.txt means "disallow all"
// for a short while rather than a long one.
const (
	robotsTTL      = time.Hour
	robotsErrorTTL = 5 * time.Minute
	robotsMaxBytes = 500 << 10 // RFC 9309: at least 500 KiB must be parsed
	maxCrawlDelay  = time.Minute
)

// robotsRules is one host's parsed robots.txt.
type robotsRules struct {
	data    *robotstxt.RobotsData // nil: everything allowed
	denyAll bool                  // robots.txt could not be read: allow nothing for now
	err     error                 // why, when denyAll
	fetched time.Time
	ttl     time.Duration
}

// robotsCache fetches and caches robots.txt per scheme and host. The
// crawler applies it itself (colly's own check ignores Crawl-delay and caches
// forever).
type robotsCache struct {
	mu    sync.Mutex
	rules map[string]*robotsRules
	// inflight collapses concurrent fetches of one host's robots.txt.
	inflight map[string]chan struct{}
}

func newRobotsCache() *robotsCache {
	return &robotsCache{rules: map[string]*robotsRules{}, inflight: map[string]chan struct{}{}}
}

// get returns the rules for base (scheme://host), fetching them with client
// when missing or stale.
func (rc *robotsCache) get(ctx context.Context, client *http.Client, userAgent, base string) *robotsRules {
	for {
		rc.mu.Lock()
		r, ok := rc.rules[base]
		if ok && time.Since(r.fetched) < r.ttl {
			rc.mu.Unlock()
			return r
		}
		wait, busy := rc.inflight[base]
		if !busy {
			done := make(chan struct{})
			rc.inflight[base] = done
			rc.mu.Unlock()
			r = fetchRobots(ctx, client, userAgent, base)
			rc.mu.Lock()
			rc.rules[base] = r
			delete(rc.inflight, base)
			close(done)
			rc.mu.Unlock()
			return r
		}
		rc.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return &robotsRules{denyAll: true, fetched: time.Now()}
		}
	}
}

func fetchRobots(ctx context.Context, client *http.Client, userAgent, base string) *robotsRules {
	now := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/robots.txt", nil)
	if err != nil {
		return &robotsRules{denyAll: true, fetched: now, ttl: robotsErrorTTL}
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return &robotsRules{denyAll: true, err: err, fetched: now, ttl: robotsErrorTTL}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return &robotsRules{denyAll: true, err: fmt.Errorf("robots.txt answered %d", resp.StatusCode), fetched: now, ttl: robotsErrorTTL}
	case resp.StatusCode >= 400:
		// RFC 9309: "unavailable" robots.txt means no restrictions.
		return &robotsRules{fetched: now, ttl: robotsTTL}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, robotsMaxBytes))
	if err != nil {
		return &robotsRules{denyAll: true, fetched: now, ttl: robotsErrorTTL}
	}
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		return &robotsRules{fetched: now, ttl: robotsTTL}
	}
	return &robotsRules{data: data, fetched: now, ttl: robotsTTL}
}

func (r *robotsRules) group(userAgent string) *robotstxt.Group {
	if r.data == nil {
		return nil
	}
	return r.data.FindGroup(userAgent)
}

// allowed reports whether path (with query) may be fetched.
func (r *robotsRules) allowed(userAgent, path string) bool {
	if r.denyAll {
		return false
	}
	g := r.group(userAgent)
	return g == nil || g.Test(path)
}

// crawlDelay is the Crawl-delay robots.txt asks for, capped so a hostile
// value cannot stall the worker.
func (r *robotsRules) crawlDelay(userAgent string) time.Duration {
	g := r.group(userAgent)
	if g == nil {
		return 0
	}
	return min(g.CrawlDelay, maxCrawlDelay)
}

// sitemaps are the Sitemap: lines.
func (r *robotsRules) sitemaps() []string {
	if r.data == nil {
		return nil
	}
	return r.data.Sitemaps
}

func (r *robotsRules) String() string {
	return fmt.Sprintf("robots(denyAll=%v, rules=%v)", r.denyAll, r.data != nil)
}
