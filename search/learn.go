package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline/store"
)

// facts is what a search learns before its main statement.
type facts struct {
	query         string // the tsquery, as text
	stopWordsOnly bool
	first, last   *time.Time // the archive's articles' sort_at range
	articles      float64    // about how many rows the archive has
	estimate      float64    // matches with the filters, by the planner's statistics
	share         float64    // the share of all articles the text alone matches
	postings      float64    // the text index's entries for the query's lexemes, all told
}

// learn asks, in two round trips, what the query is in each configuration,
// whether it has searchable words and the archive's time range, then the
// planner's estimates of its matches: with the filters, and for the text
// alone.
func (s *Searcher) learn(ctx context.Context, p Params, filters store.Filters, configs []string) (facts, error) {
	var f facts
	b := &pgx.Batch{}
	var parses []string
	// Stop words are judged by the archive's main language: "the" is not a
	// search even though German would index it.
	b.Queue(`SELECT array(SELECT websearch_to_tsquery(c::regconfig, $1)::text FROM unnest($2::text[]) WITH ORDINALITY AS t(c, i) ORDER BY i),
			numnode(websearch_to_tsquery($2[1]::regconfig, $1)) = 0,
			(SELECT min(sort_at) FROM articles WHERE kind = 'article'), (SELECT max(sort_at) FROM articles WHERE kind = 'article'),
			(SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass)`,
		p.Query, configs).QueryRow(func(row pgx.Row) error {
		return row.Scan(&parses, &f.stopWordsOnly, &f.first, &f.last, &f.articles)
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return f, queryError(err)
	}
	f.query = unionQuery(parses)
	if f.stopWordsOnly || f.query == "" {
		f.stopWordsOnly = true
		return f, nil
	}
	b = &pgx.Batch{}
	withFilters := filterSQL{p: p, tsq: "$1::tsquery", filters: filters}
	a := args{f.query}
	b.Queue(`EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE `+withFilters.where(&a), a...).QueryRow(planRows(&f.estimate))
	var textOnly float64
	b.Queue(`EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE a.search @@ $1::tsquery`, f.query).QueryRow(planRows(&textOnly))
	lexemes := queryLexemes(f.query)
	postings := make([]float64, len(lexemes))
	for i, l := range lexemes {
		b.Queue(`EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE a.search @@ $1::tsquery`, l).QueryRow(planRows(&postings[i]))
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return f, queryError(err)
	}
	if f.articles > 0 {
		f.share = textOnly / f.articles
	}
	for _, n := range postings {
		f.postings += n
	}
	return f, nil
}

// planRows reads the row estimate of an EXPLAIN (FORMAT JSON) into *est.
func planRows(est *float64) func(pgx.Row) error {
	return func(row pgx.Row) error {
		var plan []byte
		if err := row.Scan(&plan); err != nil {
			return err
		}
		var out []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			} `json:"Plan"`
		}
		if err := json.Unmarshal(plan, &out); err != nil || len(out) == 0 {
			return fmt.Errorf("search: read the plan's estimate: %v", err)
		}
		*est = out[0].Plan.Rows
		return nil
	}
}

// maxLexemes bounds the lexemes whose frequency a search asks the
// planner for.
const maxLexemes = 16

// queryLexemes returns the distinct lexemes of a tsquery's text, each as a
// tsquery of its own ('word').
func queryLexemes(q string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(q) && len(out) < maxLexemes; i++ {
		if q[i] != '\'' {
			continue
		}
		j := i + 1
		for ; j < len(q); j++ {
			if q[j] == '\\' {
				j++
				continue
			}
			if q[j] == '\'' {
				if j+1 < len(q) && q[j+1] == '\'' {
					j++
					continue
				}
				break
			}
		}
		if j >= len(q) {
			break
		}
		if l := q[i : j+1]; !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
		i = j
	}
	return out
}

// unionQuery ORs the distinct non-empty parses of a query: the same words
// parse alike in most configurations, and each copy would multiply the
// planner's estimate of the matches and the index's work.
func unionQuery(parses []string) string {
	var parts []string
	seen := map[string]bool{}
	for _, q := range parses {
		if q != "" && !seen[q] {
			seen[q] = true
			parts = append(parts, "("+q+")")
		}
	}
	return strings.Join(parts, " | ")
}
