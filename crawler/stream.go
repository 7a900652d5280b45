package crawler

import (
	"context"
	"fmt"
)

// recentSet maps URLs to a value (a candidate's origin), remembering at
// most limit of them, the most recently added (0: no limit). It bounds
// what streaming discovery holds whatever the size of a site.
type recentSet struct {
	limit int
	m     map[string]string
	ring  []string // with a limit: the keys in insertion order, circular
	next  int
}

func newRecentSet(limit int) *recentSet {
	return &recentSet{limit: limit, m: map[string]string{}}
}

func (r *recentSet) get(k string) (string, bool) {
	v, ok := r.m[k]
	return v, ok
}

func (r *recentSet) has(k string) bool {
	_, ok := r.m[k]
	return ok
}

// set records k with v; a new key beyond the limit evicts the oldest.
func (r *recentSet) set(k, v string) {
	if _, ok := r.m[k]; ok || r.limit <= 0 {
		r.m[k] = v
		return
	}
	if len(r.ring) < r.limit {
		r.ring = append(r.ring, k)
	} else {
		delete(r.m, r.ring[r.next])
		r.ring[r.next] = k
		r.next = (r.next + 1) % r.limit
	}
	r.m[k] = v
}

// send adds a candidate to its origin's batch, handing the batch over
// when full. The context is discovery's, which colly's callbacks do not
// carry: sendCtx holds it.
func (w *discovery) send(n, origin string) {
	w.batches[origin] = append(w.batches[origin], n)
	if len(w.batches[origin]) >= CandidateBatch {
		w.flushOrigin(w.sendCtx, origin)
	}
}

// flush hands every pending batch over, listed origins first, and
// returns the first error Candidates returned.
func (w *discovery) flush(ctx context.Context) error {
	for _, origin := range []string{OriginFeed, OriginSitemap, OriginPage} {
		w.flushOrigin(ctx, origin)
	}
	return w.sendErr
}

func (w *discovery) flushOrigin(ctx context.Context, origin string) {
	b := w.batches[origin]
	if len(b) == 0 || w.opts.Candidates == nil {
		return
	}
	w.batches[origin] = b[:0]
	if w.sendErr != nil {
		return
	}
	if err := w.opts.Candidates(ctx, origin, b); err != nil {
		w.sendErr = fmt.Errorf("crawler: discover %s: %w", w.site.Host, err)
	}
}
