package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
)

// Term is a trending term: how many articles used it in the window and in
// the window before, and a score that favours sudden, well-supported
// rises.
type Term struct {
	Term     string
	Now      int64
	Before   int64
	Score    float64
	Language string
}

// Trending windows a caller may ask for.
var trendingWindows = map[string]time.Duration{"24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour}

// TrendingWindow parses "24h" or "7d".
func TrendingWindow(s string) (time.Duration, error) {
	if s == "" {
		s = "24h"
	}
	d, ok := trendingWindows[s]
	if !ok {
		return 0, invalid("window must be 24h or 7d, got %q", s)
	}
	return d, nil
}

// minTrendingDocs keeps one-off words out of the list.
const minTrendingDocs = 3

// Trending compares the terms of articles published in the window ending at
// now with the window before it. Only articles in the archive's main
// language's configuration are counted, so stems are comparable.
func Trending(ctx context.Context, db Querier, window time.Duration, now time.Time, limit int) ([]Term, error) {
	configs, err := queryConfigs(ctx, db, "")
	if err != nil {
		return nil, err
	}
	cfg := configs[0]
	rows, err := db.Query(ctx, `
		WITH cur AS (
			SELECT word, ndoc FROM ts_stat(format(
				'SELECT search FROM articles WHERE kind = %L AND ts_config = %L::regconfig AND sort_at >= %L AND sort_at < %L',
				'article', $1::text, $2::timestamptz - $3::interval, $2::timestamptz))
		), prev AS (
			SELECT word, ndoc FROM ts_stat(format(
				'SELECT search FROM articles WHERE kind = %L AND ts_config = %L::regconfig AND sort_at >= %L AND sort_at < %L',
				'article', $1::text, $2::timestamptz - 2 * $3::interval, $2::timestamptz - $3::interval))
		)
		SELECT cur.word, cur.ndoc, coalesce(prev.ndoc, 0)
		FROM cur LEFT JOIN prev USING (word)
		WHERE cur.ndoc >= $4 AND length(cur.word) > 2`, cfg, now, window.String(), minTrendingDocs)
	if err != nil {
		return nil, fmt.Errorf("search: trending: %w", err)
	}
	defer rows.Close()
	var out []Term
	for rows.Next() {
		var t Term
		if err := rows.Scan(&t.Term, &t.Now, &t.Before); err != nil {
			return nil, fmt.Errorf("search: trending: %w", err)
		}
		// Rise times support: a term going 3 -> 30 beats 300 -> 330.
		t.Score = float64(t.Now+1) / float64(t.Before+1) * math.Log(float64(t.Now))
		t.Language = cfg
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: trending: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Term < out[j].Term
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
