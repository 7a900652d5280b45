package api

import (
	"context"
	"crypto/sha256"
	"net/http"
	"sync"
	"time"

	"github.com/newsline/newsline/store"
)

// WroteCookie marks a browser that wrote lately (NEWSLINE_READ_DATABASE_URL):
// its reads go to the primary until it expires, so it sees its own writes
// however far the replica lags.
const WroteCookie = "newsline_wrote"

// maxRecentWriters bounds the credentials recentWrites remembers; past it,
// expired entries are dropped, and if none has expired, all of them (the
// cookie still routes browsers).
const maxRecentWriters = 100_000

// recentWrites remembers which credentials wrote in the last max lag, for
// clients that keep no cookies (API tokens).
type recentWrites struct {
	mu    sync.Mutex
	until map[[32]byte]time.Time
}

func (w *recentWrites) wrote(key [32]byte, until time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.until == nil {
		w.until = make(map[[32]byte]time.Time)
	}
	if len(w.until) >= maxRecentWriters {
		now := time.Now()
		for k, t := range w.until {
			if now.After(t) {
				delete(w.until, k)
			}
		}
		if len(w.until) >= maxRecentWriters {
			clear(w.until)
		}
	}
	w.until[key] = until
}

func (w *recentWrites) recent(key [32]byte) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.until[key]
	if ok && time.Now().After(t) {
		delete(w.until, key)
		return false
	}
	return ok
}

// routeReads lets GET and HEAD requests read from the replica, unless the
// client wrote within the replica's max lag (the WroteCookie, or a write
// with the same credentials): those, and every other method, use the
// primary. Without a replica it does nothing.
func (s *Server) routeReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		maxLag := s.DB.ReplicaMaxLag()
		if maxLag == 0 {
			next.ServeHTTP(w, r)
			return
		}
		key, hasKey := credentialKey(r)
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if _, err := r.Cookie(WroteCookie); err == nil || hasKey && s.writes.recent(key) {
				break
			}
			r = r.WithContext(store.AllowReplica(r.Context()))
		case http.MethodOptions:
		default:
			// Marked before the write, so the answer carries the cookie
			// however the handler writes it.
			http.SetCookie(w, &http.Cookie{Name: WroteCookie, Value: "1", Path: "/",
				MaxAge: int((maxLag + time.Second - 1) / time.Second), HttpOnly: true,
				Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
			if hasKey {
				s.writes.wrote(key, time.Now().Add(maxLag))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// credentialKey names the credentials a request carries, hashed so the
// map of recent writers holds no token.
func credentialKey(r *http.Request) ([32]byte, bool) {
	tok, err := credentials(r)
	if err != nil || tok == "" {
		return [32]byte{}, false
	}
	return sha256.Sum256([]byte(tok)), true
}

// expireIfReplica shortens how long a cached answer is kept when it was
// read from the replica: the notification that invalidated the entry it
// replaces came from the primary, and the replica may not have replayed
// that change yet.
func (s *Server) expireIfReplica(ctx context.Context, c *cachedResponse) {
	if !s.DB.ReadsFromReplica(ctx) {
		return
	}
	if exp := time.Now().Add(s.DB.ReplicaMaxLag()); c.expires.IsZero() || exp.Before(c.expires) {
		c.expires = exp
	}
}
