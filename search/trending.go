package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/store"
)

// Term is a trending term: how many articles used it in the window and in
// the window before, and a score that favours sudden, well-supported
// rises.
type Term struct {
	// Term is the stem as people write it: the corpus's most frequent
	// word with this stem ("village" for villag), else the stem itself.
	Term     string
	Stem     string // as the text index holds it
	Now      int64
	Before   int64
	Score    float64
	Language string // the text search configuration of the stems
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
	cfg, langs, err := mainConfig(ctx, db)
	if err != nil {
		return nil, err
	}
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
		if err := rows.Scan(&t.Stem, &t.Now, &t.Before); err != nil {
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
		return out[i].Stem < out[j].Stem
	})
	if len(out) > limit {
		out = out[:limit]
	}
	if err := surfaceWords(ctx, db, cfg, langs, out); err != nil {
		return nil, err
	}
	return out, nil
}

// mainConfig returns the text search configuration of the archive's main
// language and the languages (of the corpus statistics) indexed with it.
func mainConfig(ctx context.Context, db Querier) (string, []string, error) {
	rows, err := db.Query(ctx, `SELECT language FROM corpus_docs ORDER BY docs DESC, language LIMIT 50`)
	if err != nil {
		return "", nil, fmt.Errorf("search: languages: %w", err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", nil, fmt.Errorf("search: languages: %w", err)
	}
	cfg := "english"
	if len(all) > 0 {
		cfg = newsline.TSConfig(all[0])
	}
	var langs []string
	for _, l := range all {
		if newsline.TSConfig(l) == cfg {
			langs = append(langs, l)
		}
	}
	return cfg, langs, nil
}

// surfaceWords sets each term's Term to the most frequent word of langs in
// the corpus statistics whose stem in cfg is the term's; the term keeps
// its stem when no word has it. A stem's words are looked for among those
// starting with the stem less its last letter (stemming rewrites endings:
// happi is happy's, villag village's), at least 3 letters: a range of the
// term_df_prefix_idx index each, all in one statement.
func surfaceWords(ctx context.Context, db Querier, cfg string, langs []string, terms []Term) error {
	for i := range terms {
		terms[i].Term = terms[i].Stem
	}
	if len(terms) == 0 || len(langs) == 0 {
		return nil
	}
	var stems, lo, hi []string
	for _, t := range terms {
		p := stemPrefix(t.Stem)
		if end := store.PrefixEnd(p); end != "" {
			stems, lo, hi = append(stems, t.Stem), append(lo, p), append(hi, end)
		}
	}
	// LATERAL with LIMIT keeps each stem's lookup a range scan: joined
	// whole, the planner hashed every word's stem.
	rows, err := db.Query(ctx, `
		SELECT s.stem, w.term
		FROM unnest($1::text[], $2::text[], $3::text[]) AS s(stem, lo, hi)
		CROSS JOIN LATERAL (
			SELECT t.term FROM term_df t
			WHERE t.language = ANY($4) AND t.term COLLATE "C" >= s.lo AND t.term COLLATE "C" < s.hi
			  AND tsvector_to_array(to_tsvector($5::regconfig, t.term)) = ARRAY[s.stem]
			ORDER BY t.df DESC, t.term LIMIT 1) w`, stems, lo, hi, langs, cfg)
	if err != nil {
		return fmt.Errorf("search: trending words: %w", err)
	}
	defer rows.Close()
	word := map[string]string{}
	for rows.Next() {
		var stem, w string
		if err := rows.Scan(&stem, &w); err != nil {
			return fmt.Errorf("search: trending words: %w", err)
		}
		word[stem] = w
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search: trending words: %w", err)
	}
	for i, t := range terms {
		if w, ok := word[t.Stem]; ok {
			terms[i].Term = w
		}
	}
	return nil
}

// stemPrefix is the prefix a stem's words are looked for by: the stem
// less its last letter, at least 3 letters (the whole of a shorter stem).
func stemPrefix(stem string) string {
	rs := []rune(stem)
	return string(rs[:min(len(rs), max(len(rs)-1, 3))])
}
