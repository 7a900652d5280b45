package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/store"
)

// What a search's steps cost, about, on a 2-core machine with the archive
// in the operating system's cache (bench search): reading and testing an
// article, and one entry of the text index for a lexeme. At a million
// articles a common word's 240,000 entries took 40-60 ms; 4,500 articles
// read in date order, 15-25 ms.
const (
	costPerRow     = 5e-6
	costPerPosting = 150e-9
)

// denseRowBudget bounds how many articles a widened window read in date
// order may hold (some 40 ms), unless the page is not yet full.
const denseRowBudget = 8000

// windowAbove is how many times the target a query's estimated matches
// must be for a window.
const windowAbove = 3.0

// phraseBudget is about how many articles holding all of a phrase's words
// a search reads to find the phrase: some 15 ms.
const phraseBudget = 2000

// phraseOp finds a phrase operator (<-> or <N>) in a tsquery's text.
var phraseOp = regexp.MustCompile(`<(-|[0-9]+)>`)

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

// args numbers a statement's parameters as they are added.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// filterSQL is the WHERE clause of p's matches, the text condition, the
// filters and the optional window included; it adds its parameters to a.
type filterSQL struct {
	p          Params
	tsq        string // the tsquery: a parameter, so plans see its value
	filters    store.Filters
	since      time.Time // zero: no window
	dense      bool      // read the window in date order rather than through the text index
	curT       time.Time // keyset cursor, date order
	curID      int64
	withCursor bool
}

func (f filterSQL) where(a *args) string {
	var b strings.Builder
	b.WriteString("a.kind = 'article' AND a.search @@ " + f.tsq)
	if f.filters.SiteID != nil {
		b.WriteString(" AND a.site_id = " + a.add(*f.filters.SiteID))
	}
	if f.filters.AuthorIDs != nil {
		b.WriteString(" AND EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.author_id = ANY(" + a.add(f.filters.AuthorIDs) + "))")
	}
	if f.p.Language != "" {
		b.WriteString(" AND a.language = " + a.add(f.p.Language))
	}
	if f.filters.SectionKey != "" {
		b.WriteString(" AND a.section_key = " + a.add(f.filters.SectionKey))
	}
	from := f.p.From
	if !f.since.IsZero() && f.since.After(from) {
		from = f.since
	}
	if !from.IsZero() {
		b.WriteString(" AND a.sort_at >= " + a.add(from))
	}
	if !f.p.To.IsZero() {
		b.WriteString(" AND a.sort_at < " + a.add(f.p.To))
	}
	if f.withCursor {
		b.WriteString(" AND (a.sort_at, a.id) < (" + a.add(f.curT) + ", " + a.add(f.curID) + ")")
	}
	return b.String()
}

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
	explain := func(est *float64) func(pgx.Row) error {
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
	b = &pgx.Batch{}
	withFilters := filterSQL{p: p, tsq: "$1::tsquery", filters: filters}
	a := args{f.query}
	b.Queue(`EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE `+withFilters.where(&a), a...).QueryRow(explain(&f.estimate))
	var textOnly float64
	b.Queue(`EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE a.search @@ $1::tsquery`, f.query).QueryRow(explain(&textOnly))
	lexemes := queryLexemes(f.query)
	postings := make([]float64, len(lexemes))
	for i, l := range lexemes {
		b.Queue(`EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE a.search @@ $1::tsquery`, l).QueryRow(explain(&postings[i]))
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

// A search's statements run with plans for the query's own
// values (the tsquery folded into a constant), a bitmap of a common word's
// matches that stays exact, and no JIT compilation, which costs more than
// a bounded search takes.
//
// queueSearch queues sql in a transaction of its own with these settings.
func queueSearch(b *pgx.Batch, sql string, a args, dense bool, read func(pgx.Rows) error) {
	b.Queue("BEGIN")
	b.Queue(`SET LOCAL plan_cache_mode = force_custom_plan`)
	b.Queue(`SET LOCAL work_mem = '64MB'`)
	b.Queue(`SET LOCAL jit = off`)
	if dense {
		// PostgreSQL underestimates what a common word's bitmap costs.
		b.Queue(`SET LOCAL enable_bitmapscan = off`)
	}
	b.Queue(sql, a...).Query(read)
	b.Queue("COMMIT")
}

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
	f := filterSQL{p: p, tsq: "$1::tsquery"}
	if p.Cursor != "" {
		t, id, err := cursor.Decode(p.Cursor)
		if err != nil {
			return nil, err
		}
		f.curT, f.curID, f.withCursor = t, id, true
	}
	if p.Site != "" || p.Author != "" || p.Section != "" {
		if f.filters, err = store.ResolveFilters(ctx, s.db, p.Site, p.Author, p.Section); err != nil {
			return nil, err
		}
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

	// The window's span: from the earliest to the latest article the
	// filters (and a cursor) leave.
	start, end := *facts.first, facts.last.Add(time.Microsecond)
	if !p.From.IsZero() && p.From.After(start) {
		start = p.From
	}
	if !p.To.IsZero() && p.To.Before(end) {
		end = p.To
	}
	estimate := facts.estimate
	if f.withCursor && f.curT.Before(end) && end.After(start) {
		estimate *= max(float64(f.curT.Sub(start)), 0) / float64(end.Sub(start))
		end = f.curT.Add(time.Microsecond)
	}
	needed := p.Offset + p.Limit + 1
	target := depth
	if p.Sort == SortDate {
		target = 3 * (p.Limit + 1)
	}
	// A phrase's matches are found among the articles holding all its
	// words, each of which must be read to look at the words' positions,
	// which the index does not hold: the window holds about phraseBudget
	// of those (the estimate counts them), and is never widened.
	phrase := phraseOp.MatchString(facts.query)
	if phrase {
		target = phraseBudget
	}
	// The index gives up a query's matches by walking its lexemes'
	// entries, all of them for OR and NOT, so a common word's matches cost
	// more to collect than reading the window's articles in date order and
	// testing each; which is cheaper is judged by the estimates.
	dense := false
	if facts.share > 0 {
		rows := float64(max(target, needed)) / facts.share
		if phrase {
			// Read phraseBudget articles, if they hold enough with
			// all the phrase's words.
			rows = math.Inf(1)
			if phraseBudget*facts.share >= float64(needed) {
				rows = phraseBudget
			}
		}
		dense = rows*costPerRow < facts.postings*costPerPosting+float64(target)*costPerRow
		if dense && phrase {
			target = int(phraseBudget * facts.share)
		}
	}
	target = max(target, needed)
	// Ranking a few more matches than the target costs less than the
	// window's index work, which grows with its span.
	above := windowAbove
	if phrase {
		above = 1.5 // each candidate is read: the window pays for itself sooner
	}
	if end.After(start) && estimate > above*float64(target) {
		f.since = end.Add(-time.Duration(float64(end.Sub(start)) * float64(target) / estimate))
		f.dense = dense
	}

	// Date order counts the matches, up to countCap, with its first page,
	// unless the estimate says there are far more.
	count := p.Sort == SortDate && facts.estimate <= countAbove
	counted := int64(-1)
	for attempt := 0; ; attempt++ {
		ranked, err := s.page(ctx, f, res, count, &counted)
		if err != nil {
			return nil, err
		}
		count = false
		enough := ranked >= needed && (p.Sort == SortDate || ranked >= target/4)
		if f.since.IsZero() || enough || phrase {
			break
		}
		// Too few matches in the window: widen it by what the matches
		// found say of their density, the last try to everything.
		span := end.Sub(f.since)
		factor := 8.0
		if ranked > 0 {
			factor = min(max(float64(target)/float64(ranked), 2), 16)
		}
		if f.dense && facts.share > 0 && end.After(start) {
			// Read in date order, a wider window reads every article in
			// it: within denseRowBudget, a full page is enough.
			rows := estimate / facts.share * float64(span) / float64(end.Sub(start))
			if rows*factor > denseRowBudget {
				if ranked >= needed {
					break
				}
				factor = max(denseRowBudget/rows, 2)
			}
		}
		since := end.Add(-time.Duration(float64(span) * factor))
		if attempt >= 1 || !since.After(start) {
			since = time.Time{}
		}
		f.since = since
		f.dense = f.dense && !since.IsZero()
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

// page runs the main statement for f into res, replacing what an earlier
// try put there, and returns how many matches it ranked (relevance order)
// or found (date order, at most a page and one). With count, the same
// round trip counts the matches, up to countCap, into *counted.
func (s *Searcher) page(ctx context.Context, f filterSQL, res *Results, count bool, counted *int64) (int, error) {
	p := f.p
	a := args{res.tsquery}
	where := f.where(&a)
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
