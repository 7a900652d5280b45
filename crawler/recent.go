package crawler

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
