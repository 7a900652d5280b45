package store

import (
	"context"
	"sync"
	"time"
)

// DocFreqCache answers extract.DocFreq from memory, asking the database
// only for terms it has not seen within TTL. Keyword weights tolerate
// statistics a few minutes old, and the lookup was one query per article
// on the save path.
type DocFreqCache struct {
	db      *DB
	ttl     time.Duration
	maxSize int // terms per language kept before the cache starts over

	mu    sync.Mutex
	langs map[string]*langStats
}

type langStats struct {
	loaded time.Time
	docs   int
	df     map[string]int
}

// NewDocFreqCache returns a cache over db's corpus statistics.
func NewDocFreqCache(db *DB, ttl time.Duration) *DocFreqCache {
	return &DocFreqCache{db: db, ttl: ttl, maxSize: 200_000, langs: map[string]*langStats{}}
}

// DocFreq implements extract.DocFreq.
func (c *DocFreqCache) DocFreq(ctx context.Context, lang string, terms []string) (map[string]int, int, error) {
	c.mu.Lock()
	ls := c.langs[lang]
	if ls == nil || time.Since(ls.loaded) > c.ttl || len(ls.df) > c.maxSize {
		ls = &langStats{loaded: time.Now(), docs: -1, df: map[string]int{}}
		c.langs[lang] = ls
	}
	out := make(map[string]int, len(terms))
	var missing []string
	for _, t := range terms {
		if n, ok := ls.df[t]; ok {
			out[t] = n
		} else {
			missing = append(missing, t)
		}
	}
	docs := ls.docs
	c.mu.Unlock()
	if len(missing) == 0 && docs >= 0 {
		return out, docs, nil
	}
	df, docs, err := c.db.DocFreq(ctx, lang, missing)
	if err != nil {
		return nil, 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ls.docs = docs
	for _, t := range missing {
		ls.df[t] = df[t] // 0 for unseen terms: cached too
		out[t] = df[t]
	}
	return out, docs, nil
}
