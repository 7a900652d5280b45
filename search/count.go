package search

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Counting: a date-ordered search (or a page past the last match) counts
// the query's matches, all of them whatever the window and the cursor, up
// to countCap, when the planner's estimate is at most countAbove. Each
// match counted is a heap page read (for kind and visibility): 2,001 of
// them took 4 ms from shared buffers and 35 ms from the OS cache (bench
// search's archive, 100,000 articles), so a query estimated at many more
// gets the estimate instead of a count that would only say "more".
const (
	countCap   = 2000
	countAbove = 2 * countCap
)

// queueCount queues the capped count of f's matches. It runs in a
// transaction of its own: the page's may have turned bitmap scans off to
// read a window in date order, which for a count of all matches would
// read the archive.
func queueCount(b *pgx.Batch, f filterSQL, tsquery string, counted *int64) {
	f.since, f.withCursor = time.Time{}, false
	a := args{tsquery}
	sql := `SELECT count(*) FROM (SELECT 1 FROM articles a WHERE ` + f.where(&a) + ` LIMIT ` + strconv.Itoa(countCap+1) + `) m`
	queueSearch(b, sql, a, false, func(rows pgx.Rows) error {
		for rows.Next() {
			if err := rows.Scan(counted); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// total sets res.Total: exact when the search counted every match (ranked
// them all, or counted at most countCap), else the larger of the planner's
// estimate and what it counted, marked as an estimate.
func (s *Searcher) total(ctx context.Context, f filterSQL, res *Results, estimate, counted int64) error {
	if f.p.Sort == SortRelevance && f.since.IsZero() {
		if res.rankedAll {
			res.Total = int64(res.Ranked)
			return nil
		}
		b := &pgx.Batch{}
		queueCount(b, f, res.tsquery, &counted)
		if err := s.db.SendBatch(ctx, b).Close(); err != nil {
			return queryError(err)
		}
	}
	if counted >= 0 && counted <= countCap {
		res.Total = counted
		return nil
	}
	res.Total, res.TotalIsEstimate = max(estimate, counted, int64(res.Ranked)), true
	return nil
}

// facets counts the matches f ranks (at most FacetCap) by site and
// language.
func (s *Searcher) facets(ctx context.Context, f filterSQL, res *Results) error {
	f.withCursor = false
	a := args{res.tsquery}
	where := f.where(&a)
	b := &pgx.Batch{}
	res.Facets = map[string][]Facet{"site": {}, "language": {}}
	queueSearch(b, `
		WITH m AS (SELECT a.site_id, a.language FROM articles a WHERE `+where+` LIMIT `+strconv.Itoa(FacetCap)+`)
		SELECT 'site', s.host, count(*) FROM m JOIN sites s ON s.id = m.site_id GROUP BY s.host
		UNION ALL
		SELECT 'language', m.language, count(*) FROM m GROUP BY m.language
		UNION ALL
		SELECT 'total', '', count(*) FROM m`, a, f.dense, func(rows pgx.Rows) error {
		for rows.Next() {
			var kind, value string
			var n int64
			if err := rows.Scan(&kind, &value, &n); err != nil {
				return err
			}
			if kind == "total" {
				res.FacetsCapped = n >= FacetCap || !f.since.IsZero()
				continue
			}
			res.Facets[kind] = append(res.Facets[kind], Facet{Value: value, Count: n})
		}
		return rows.Err()
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return queryError(fmt.Errorf("facets: %w", err))
	}
	for _, fs := range res.Facets {
		sortFacets(fs)
	}
	return nil
}
