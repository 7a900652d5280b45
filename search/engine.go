package search

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/store"
)

// headlineChars is how much of an article's text a headline is first looked
// for in: ts_headline parses all it is given, and on a page of twenty hits
// the whole bodies cost as much as the ranking. Most matches of a query
// that matches many articles are in their first paragraphs; a snippet
// without one is made again from the whole text.
const headlineChars = 2000

// headlineOptions shape a snippet: escaped text, matches in <mark>.
const headlineOptions = `'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'`

// DefaultDepth is how many matches relevance order ranks at most, about:
// a query matching more is ranked over its newest matches (see Searcher).
const DefaultDepth = 500

// languagesTTL is how long a Searcher trusts its list of the archive's
// languages.
const languagesTTL = time.Minute

// Searcher runs searches over one database.
//
// A word found in half the archive matches hundreds of thousands of
// articles, and no index orders them by rank: ranking them all reads every
// one (seconds, at a million articles). So relevance order ranks a bounded
// candidate set instead: when PostgreSQL's statistics say the query (with
// its filters) matches more than about Depth articles, only the matches
// published since a moment chosen to hold about Depth of them are ranked;
// the recency boost favours them anyway, and older ones stay reachable with
// a date window or date order. The moment comes from the estimate and the
// archive's time span; when the window holds too few matches it is widened
// (at most twice; the last try ranks everything). Date order uses the same
// window to avoid reading every match of a query of middling frequency.
type Searcher struct {
	db Querier
	// Depth is about how many matches relevance order ranks; 0 means
	// DefaultDepth.
	Depth int

	mu      sync.Mutex
	langs   []string // text search configurations of the archive, most articles first
	langsAt time.Time
}

// New returns a Searcher over db.
func New(db Querier) *Searcher { return &Searcher{db: db} }

// Query runs one search with a Searcher of its own; a server keeps one
// Searcher instead, which remembers the archive's languages.
func Query(ctx context.Context, db Querier, p Params) (*Results, error) {
	return New(db).Query(ctx, p)
}

// configs returns the text search configurations a query is parsed in: the
// filtered language's, else those of every language in the archive.
func (s *Searcher) configs(ctx context.Context, lang string) ([]string, error) {
	if lang != "" {
		return queryConfigs(ctx, s.db, lang)
	}
	s.mu.Lock()
	langs, at := s.langs, s.langsAt
	s.mu.Unlock()
	if langs != nil && time.Since(at) < languagesTTL {
		return langs, nil
	}
	langs, err := queryConfigs(ctx, s.db, "")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.langs, s.langsAt = langs, time.Now()
	s.mu.Unlock()
	return langs, nil
}

var configName = regexp.MustCompile(`^[a-z_]+$`)

// Query runs a search. Relevance order ranks with the weighted vector
// (title over excerpt over body) and a recency boost, over the candidates
// described on Searcher; highlights are computed for the returned page
// only.
func (s *Searcher) Query(ctx context.Context, p Params) (*Results, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	depth := s.Depth
	if depth <= 0 {
		depth = DefaultDepth
	}
	configs, err := s.configs(ctx, p.Language)
	if err != nil {
		return nil, err
	}
	for _, c := range configs {
		if !configName.MatchString(c) {
			return nil, fmt.Errorf("search: bad text search configuration %q", c)
		}
	}
	f, err := s.prepare(ctx, p)
	if err != nil {
		return nil, err
	}
	facts, err := s.learn(ctx, p, f.filters, configs)
	if err != nil {
		return nil, err
	}
	if facts.stopWordsOnly {
		return nil, invalid("query %q has no searchable words (only stop words or punctuation)", p.Query)
	}
	res := &Results{Query: p.Query, tsquery: facts.query}
	if facts.first == nil {
		return res, nil // no article at all
	}
	w := openWindow(p, facts, &f, depth)
	// Date order counts the matches, up to countCap, with its first page,
	// unless the estimate says there are far more.
	count := p.Sort == SortDate && facts.estimate <= countAbove
	counted, err := s.rankInWindows(ctx, &f, res, w, count)
	if err != nil {
		return nil, err
	}
	res.Since = f.since
	if !f.since.IsZero() && !p.From.IsZero() && !f.since.After(p.From) {
		res.Since = time.Time{}
	}
	if err := s.total(ctx, f, res, int64(facts.estimate), counted); err != nil {
		return nil, err
	}
	if p.Facets {
		if err := s.facets(ctx, f, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// prepare returns the WHERE clause's parts that p names outright: its
// cursor and its site, author and section filters.
func (s *Searcher) prepare(ctx context.Context, p Params) (filterSQL, error) {
	f := filterSQL{p: p, tsq: "$1::tsquery"}
	if p.Cursor != "" {
		t, id, err := cursor.Decode(p.Cursor)
		if err != nil {
			return f, err
		}
		f.curT, f.curID, f.withCursor = t, id, true
	}
	if p.Site != "" || p.Author != "" || p.Section != "" {
		var err error
		if f.filters, err = store.ResolveFilters(ctx, s.db, p.Site, p.Author, p.Section); err != nil {
			return f, err
		}
	}
	return f, nil
}

// pageSQL is the main statement: the page of f's matches in p's order,
// with the listing's columns and a headline for each.
func pageSQL(f filterSQL, a *args) string {
	p := f.p
	where := f.where(a)
	var sql string
	if p.Sort == SortDate {
		sql = `
			WITH page AS (
				SELECT a.id, 0::float8 AS rank, 0::bigint AS ranked FROM articles a WHERE ` + where + `
				ORDER BY a.sort_at DESC, a.id DESC LIMIT ` + a.add(p.Limit+1) + `
			)`
	} else {
		// The recency boost: a match published now scores up to
		// 1+recency times one published long ago; it halves about every 30
		// days.
		sql = `
			WITH cand AS (
				SELECT a.id, a.sort_at, ts_rank_cd(a.search, ` + f.tsq + `, 32) *
					(1 + ` + a.add(*p.Recency) + ` * exp(-date_part('epoch', now() - a.sort_at) / 3888000)) AS rank
				FROM articles a WHERE ` + where + `
			), page AS (
				SELECT id, rank, count(*) OVER () AS ranked FROM cand
				ORDER BY rank DESC, sort_at DESC, id DESC LIMIT ` + a.add(p.Limit+1) + ` OFFSET ` + a.add(p.Offset) + `
			)`
	}
	// The listing's columns, computed for the page's rows only.
	sql += `
		SELECT ` + store.ArticleColumns + `,
		       page.rank, page.ranked,
		       CASE WHEN strpos(hl.h, '<mark>') > 0 THEN hl.h
		            ELSE ts_headline(a.ts_config, a.body_text, ` + f.tsq + `, ` + headlineOptions + `) END
		FROM page JOIN articles a ON a.id = page.id JOIN sites s ON s.id = a.site_id
		CROSS JOIN LATERAL (SELECT ts_headline(a.ts_config, left(a.body_text, ` + strconv.Itoa(headlineChars) + `), ` + f.tsq + `,
		                                       ` + headlineOptions + `) AS h) hl
		ORDER BY page.rank DESC, a.sort_at DESC, a.id DESC`

	return sql
}

// page runs the main statement for f into res, replacing what an earlier
// try put there, and returns how many matches it ranked (relevance order)
// or found (date order, at most a page and one). With count, the same
// round trip counts the matches, up to countCap, into *counted.
func (s *Searcher) page(ctx context.Context, f filterSQL, res *Results, count bool, counted *int64) (int, error) {
	p := f.p
	a := args{res.tsquery}
	sql := pageSQL(f, &a)
	res.Hits, res.More, res.NextCursor = res.Hits[:0], false, ""
	ranked, rows := 0, 0
	var last time.Time
	b := &pgx.Batch{}
	queueSearch(b, sql, a, f.dense, func(rs pgx.Rows) error {
		for rs.Next() {
			var h Hit
			var n int64
			art, sortAt, err := store.ScanArticle(rs, &h.Rank, &n, &h.Headline)
			if err != nil {
				return err
			}
			h.Article = art
			ranked, rows = int(n), rows+1
			h.Headline = markOnly(h.Headline)
			if len(res.Hits) == p.Limit {
				res.More = true
				continue
			}
			res.Hits = append(res.Hits, h)
			last = sortAt
		}
		return rs.Err()
	})
	if count {
		queueCount(b, f, res.tsquery, counted)
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return 0, queryError(err)
	}
	// Relevance order counted every candidate, unless the page is past
	// the last of them.
	res.rankedAll = p.Sort == SortRelevance && (rows > 0 || p.Offset == 0)
	if p.Sort == SortDate {
		ranked = len(res.Hits)
		if res.More {
			ranked++
			res.NextCursor = cursor.Encode(last, res.Hits[len(res.Hits)-1].Article.ID)
		}
	} else if rows == 0 && p.Offset > 0 {
		// A page past the last match says nothing of how many there were.
		ranked = p.Offset
	}
	res.Ranked = ranked
	return ranked, nil
}
