package api

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of the caches: a few hundred feeds of up to some MB each, and a
// few thousand pages of search results of some tens of KB.
const (
	feedCacheEntries   = 512
	feedCacheBytes     = 128 << 20
	searchCacheEntries = 2048
	searchCacheBytes   = 48 << 20
)

// cachedResponse is one encoded answer (a feed, a page of search results)
// as served, with its validators.
type cachedResponse struct {
	key          string
	site         int64  // the one site it lists, 0 when it spans sites
	gen          uint64 // the site's (or every site's) generation it was built at
	body         []byte
	etag         string // strong, of body
	modified     time.Time
	contentType  string
	cacheControl string
	expires      time.Time // zero: kept until an article changes

	gzOnce sync.Once
	gz     []byte // body gzipped, made on the first request that accepts it
	cost   int    // bytes counted against the cache's bound
}

func newCachedResponse(key string, body []byte, modified time.Time, contentType, cacheControl string) *cachedResponse {
	sum := sha256.Sum256(body)
	return &cachedResponse{key: key, body: body, modified: modified.UTC().Truncate(time.Second),
		contentType: contentType, cacheControl: cacheControl, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`}
}

// gzipped returns the body gzipped; an answer is compressed once however
// many readers fetch it.
func (f *cachedResponse) gzipped() []byte {
	f.gzOnce.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
		// Writing to a bytes.Buffer does not fail.
		_, _ = zw.Write(f.body)
		_ = zw.Close()
		f.gz = b.Bytes()
	})
	return f.gz
}

// gzETag is the validator of the gzipped representation: a strong ETag
// names one sequence of bytes, and the gzipped body is another.
func (f *cachedResponse) gzETag() string { return f.etag[:len(f.etag)-1] + `.gz"` }

// size is what an entry is counted as: its body and, once made, a gzipped
// copy that is about a third of it.
func (f *cachedResponse) size() int { return len(f.key) + len(f.body) + len(f.body)/3 }

// responseCache holds recently served answers until an article they could
// list changes. Each site has a generation, and so do all sites together; an
// article stored or changed on a site bumps both (see Server.Run, which
// listens for the database's notifications), and an entry built at an older
// generation is stale. Entries are trusted only while that listener is
// connected (live): a notification missed during an outage could leave a
// stale feed forever, so going offline drops everything, and what is built
// while offline is served but not kept.
type responseCache struct {
	mu      sync.Mutex
	lru     *list.List // of *cachedResponse, most recently used first
	byKey   map[string]*list.Element
	bytes   int
	global  uint64
	sites   map[int64]uint64
	live    bool
	epoch   uint64 // bumped whenever everything is dropped
	entries int
	maxSize int
	hits    atomic.Int64
	misses  atomic.Int64
}

func newResponseCache(entries, maxSize int) *responseCache {
	return &responseCache{lru: list.New(), byKey: map[string]*list.Element{}, sites: map[int64]uint64{},
		entries: entries, maxSize: maxSize}
}

// ticket is what a build records before reading the database, so that a
// change committed while it reads makes its result stale at once.
type ticket struct {
	ok         bool // the cache is live: the result may be kept
	epoch, gen uint64
	site       int64
}

// begin returns the ticket for a feed of site (0: spanning sites).
func (c *responseCache) begin(site int64) ticket {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := ticket{ok: c.live, epoch: c.epoch, site: site, gen: c.global}
	if site != 0 {
		t.gen = c.sites[site]
	}
	return t
}

// get returns the fresh entry for key, if any.
func (c *responseCache) get(key string) *cachedResponse {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		c.misses.Add(1)
		return nil
	}
	f := el.Value.(*cachedResponse)
	if !c.freshLocked(f) || !f.expires.IsZero() && time.Now().After(f.expires) {
		c.removeLocked(el)
		c.misses.Add(1)
		return nil
	}
	c.lru.MoveToFront(el)
	c.hits.Add(1)
	return f
}

func (c *responseCache) freshLocked(f *cachedResponse) bool {
	if f.site != 0 {
		return c.sites[f.site] == f.gen
	}
	return c.global == f.gen
}

// put keeps f, built under t, unless something changed since t.
func (c *responseCache) put(t ticket, f *cachedResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !t.ok || !c.live || t.epoch != c.epoch {
		return
	}
	f.site, f.gen = t.site, t.gen
	if !c.freshLocked(f) {
		return
	}
	if el, ok := c.byKey[f.key]; ok {
		c.removeLocked(el)
	}
	c.byKey[f.key] = c.lru.PushFront(f)
	f.cost = f.size()
	c.bytes += f.cost
	for c.lru.Len() > c.entries || c.bytes > c.maxSize {
		c.removeLocked(c.lru.Back())
	}
}

func (c *responseCache) removeLocked(el *list.Element) {
	f := c.lru.Remove(el).(*cachedResponse)
	delete(c.byKey, f.key)
	c.bytes -= f.cost
}

// changed records that articles of these sites were stored, changed or
// deleted; all reports that any site's may have been.
func (c *responseCache) changed(sites []int64, all bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if all {
		c.dropLocked()
		return
	}
	c.global++
	for _, s := range sites {
		c.sites[s]++
	}
}

// setLive records whether notifications arrive; either way the entries
// kept so far can no longer be trusted to be complete.
func (c *responseCache) setLive(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = live
	c.dropLocked()
}

func (c *responseCache) dropLocked() {
	c.lru.Init()
	clear(c.byKey)
	c.bytes = 0
	c.epoch++
}

// stats reports how many feeds are kept and their size.
func (c *responseCache) stats() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// FeedCacheStats reports how many feeds the server keeps in memory and
// their size in bytes.
func (s *Server) FeedCacheStats() (entries, bytes int) { return s.caches().feeds.stats() }

// FeedCacheHits reports how many feed requests were answered from memory
// since the server started; FeedCacheMisses how many were built.
func (s *Server) FeedCacheHits() int64 { return s.caches().feeds.hits.Load() }

// FeedCacheMisses reports how many feed requests found no fresh feed in
// memory.
func (s *Server) FeedCacheMisses() int64 { return s.caches().feeds.misses.Load() }

// SearchCacheHits and SearchCacheMisses count search requests answered
// from memory, and searches run.
func (s *Server) SearchCacheHits() int64 { return s.caches().searches.hits.Load() }

// SearchCacheMisses: see SearchCacheHits.
func (s *Server) SearchCacheMisses() int64 { return s.caches().searches.misses.Load() }

// serverCaches are the caches the database's notifications keep honest.
type serverCaches struct {
	feeds, searches *responseCache
}

func (c serverCaches) changed(sites []int64, all bool) {
	c.feeds.changed(sites, all)
	c.searches.changed(sites, all)
}

func (c serverCaches) setLive(live bool) {
	c.feeds.setLive(live)
	c.searches.setLive(live)
}
