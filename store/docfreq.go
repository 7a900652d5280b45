package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// DocFreqCache answers extract.DocFreq from an in-memory snapshot of each
// language's corpus statistics: the DocFreqTerms most frequent terms,
// reloaded in the background once the snapshot is older than the TTL.
// Keyword weights tolerate statistics a few minutes old, and asking the
// database for the terms of every article was a query on every save.
//
// A term outside the snapshot counts as unseen (df 0): it is rarer than
// every term in it, so its weight is already near the top of the scale.
type DocFreqCache struct {
	db      *DB
	ttl     time.Duration
	maxSize int

	load singleflight.Group
	mu   sync.Mutex
	snap map[string]*dfSnapshot
}

type dfSnapshot struct {
	loaded time.Time
	docs   int
	df     map[string]int
}

// DocFreqTerms is how many terms per language a DocFreqCache keeps.
const DocFreqTerms = 50_000

// NewDocFreqCache returns a cache over db's corpus statistics.
func NewDocFreqCache(db *DB, ttl time.Duration) *DocFreqCache {
	return &DocFreqCache{db: db, ttl: ttl, maxSize: DocFreqTerms, snap: map[string]*dfSnapshot{}}
}

// DocFreq implements extract.DocFreq.
func (c *DocFreqCache) DocFreq(ctx context.Context, lang string, terms []string) (map[string]int, int, error) {
	if lang == "" {
		lang = "und"
	}
	s, err := c.snapshot(ctx, lang)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		out[t] = s.df[t]
	}
	return out, s.docs, nil
}

// snapshot returns lang's statistics: the cached ones while fresh; stale
// ones while a reload runs in the background; and only the first caller
// of a language waits for a load.
func (c *DocFreqCache) snapshot(ctx context.Context, lang string) (*dfSnapshot, error) {
	c.mu.Lock()
	s := c.snap[lang]
	c.mu.Unlock()
	if s != nil && time.Since(s.loaded) <= c.ttl {
		return s, nil
	}
	ch := c.load.DoChan(lang, func() (any, error) {
		// Shared by every waiting caller, so not bound to one's context.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		fresh, err := c.db.loadDocFreq(lctx, lang, c.maxSize)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.snap[lang] = fresh
		c.mu.Unlock()
		return fresh, nil
	})
	if s != nil {
		return s, nil // stale, but a reload is on its way
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*dfSnapshot), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// loadDocFreq reads the limit most frequent terms of lang and its number
// of documents.
func (db *DB) loadDocFreq(ctx context.Context, lang string, limit int) (*dfSnapshot, error) {
	s := &dfSnapshot{loaded: time.Now(), df: map[string]int{}}
	rows, err := db.Pool.Query(ctx, `SELECT term, df FROM term_df WHERE language = $1 ORDER BY df DESC LIMIT $2`, lang, limit)
	if err != nil {
		return nil, fmt.Errorf("store: doc freq: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, fmt.Errorf("store: doc freq: %w", err)
		}
		s.df[t] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: doc freq: %w", err)
	}
	err = db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT docs FROM corpus_docs WHERE language = $1), 0)`, lang).Scan(&s.docs)
	if err != nil {
		return nil, fmt.Errorf("store: doc freq: %w", err)
	}
	return s, nil
}
