package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/newsline/newsline/search"
)

// TrendingTermJSON is a term rising in the news.
type TrendingTermJSON struct {
	Term   string  `json:"term"` // the word as written ("village")
	Stem   string  `json:"stem"` // as indexed ("villag")
	Now    int64   `json:"articles"`
	Before int64   `json:"articles_before"`
	Score  float64 `json:"score"`
}

// TrendingJSON is the answer to GET /api/v1/trending.
type TrendingJSON struct {
	Window string             `json:"window"`
	Terms  []TrendingTermJSON `json:"terms"`
}

// trendingParams reads a request for trending terms: the window's name
// and span, and the number of terms.
func trendingParams(r *http.Request) (string, time.Duration, int, error) {
	if err := checkParams(r, "window", "limit"); err != nil {
		return "", 0, 0, err
	}
	name := r.URL.Query().Get("window")
	if name == "" {
		name = "24h"
	}
	window, err := search.TrendingWindow(name)
	if err != nil {
		return "", 0, 0, err
	}
	limit, err := limitParam(r, 20, 100)
	if err != nil {
		return "", 0, 0, err
	}
	return name, window, limit, nil
}

func (s *Server) getTrending(w http.ResponseWriter, r *http.Request) {
	name, window, limit, err := trendingParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	terms, err := search.Trending(r.Context(), s.DB.Reads(), window, time.Now(), limit)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := TrendingJSON{Window: name, Terms: []TrendingTermJSON{}}
	for _, t := range terms {
		out.Terms = append(out.Terms, TrendingTermJSON{Term: t.Term, Stem: t.Stem, Now: t.Now, Before: t.Before, Score: t.Score})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// trendingTTL is how long the web page shows the same trending terms:
// computing them reads every article of the window.
const trendingTTL = time.Minute

// trendingCache holds the web page's trending terms.
type trendingCache struct {
	mu     sync.Mutex
	at     time.Time
	window string
	terms  []search.Term
}

// pageTrending returns the web page's trending terms: the last day's, or
// the last week's when the day has none (a small archive), at most once
// a trendingTTL.
func (s *Server) pageTrending(ctx context.Context) (string, []search.Term, error) {
	c := &s.trending
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < trendingTTL {
		return c.window, c.terms, nil
	}
	now := time.Now()
	for _, name := range []string{"24h", "7d"} {
		d, _ := search.TrendingWindow(name)
		terms, err := search.Trending(ctx, s.DB.Reads(), d, now, 10)
		if err != nil {
			return "", nil, err
		}
		c.window, c.terms = name, terms
		if len(terms) > 0 {
			break
		}
	}
	c.at = now
	return c.window, c.terms, nil
}
