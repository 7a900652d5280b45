// Package search runs full-text queries over the articles' weighted
// tsvector column: websearch syntax in, ranked and highlighted results out,
// with filters, date order and facets.
package search

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/cursor"
)

// Querier is the part of a pgx pool or connection that search needs.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Limits on what a caller may ask for.
const (
	MaxQueryLength = 512
	MaxLimit       = 100
	MaxOffset      = 1000
	DefaultLimit   = 20
	// DefaultRecency is the weight of freshness in relevance order: a
	// match published today scores up to 1+DefaultRecency times one
	// published long ago; the boost halves about every 30 days.
	DefaultRecency = 0.5
	MaxRecency     = 10
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Params is one search request.
type Params struct {
	Query    string // websearch syntax: words, "quoted phrases", OR, -exclusions
	Site     string // host
	Author   string // author name, case-insensitive
	Language string // ISO 639-1 code, e.g. "en"
	Section  string
	From, To time.Time // publication window; zero means open
	Sort     string    // relevance (default) or date
	// Recency weighs freshness into relevance order; nil means
	// DefaultRecency, 0 turns it off.
	Recency *float64
	Limit   int
	Offset  int    // relevance order only: bounded, MaxOffset
	Cursor  string // date order only: NextCursor of the previous page
	Facets  bool   // also count matches by site and language
}

// Hit is one matching article with a highlighted snippet.
type Hit struct {
	Article newsline.Article
	Rank    float64
	// Headline is a snippet as safe HTML: the text escaped, the matches
	// wrapped in <mark>…</mark>.
	Headline string
}

// Facet is a value with the number of matches that have it.
type Facet struct {
	Value string
	Count int64
}

// Results is a page of hits, best (or newest) first.
type Results struct {
	Query string
	Hits  []Hit
	// More is true when another page exists; NextCursor continues a
	// date-ordered search.
	More       bool
	NextCursor string
	// Facets by "site" and "language", when asked for. FacetsCapped is
	// true when they count only the first FacetCap matches.
	Facets       map[string][]Facet
	FacetsCapped bool
}

// FacetCap bounds the matches facets count, so a query matching half the
// archive stays fast.
const FacetCap = 20000

var langCode = regexp.MustCompile(`^[a-z]{2}$`)

func invalid(format string, args ...any) error {
	return newsline.Errorf(newsline.EINVALID, format, args...)
}

// Validate checks p and fills defaults, returning an EINVALID error whose
// message a user can act on.
func (p *Params) Validate() error {
	p.Query = strings.TrimSpace(p.Query)
	switch {
	case p.Query == "":
		return invalid("query is empty: pass words to search for, e.g. q=river accord")
	case !utf8.ValidString(p.Query):
		return invalid("query is not valid UTF-8")
	case len(p.Query) > MaxQueryLength:
		return invalid("query is %d bytes long; the limit is %d", len(p.Query), MaxQueryLength)
	case strings.ContainsRune(p.Query, 0):
		return invalid("query contains a NUL byte")
	}
	if p.Limit == 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit < 1 || p.Limit > MaxLimit {
		return invalid("limit must be between 1 and %d", MaxLimit)
	}
	if p.Offset < 0 || p.Offset > MaxOffset {
		return invalid("offset must be between 0 and %d; narrow the query instead of paging deeper", MaxOffset)
	}
	switch p.Sort {
	case "":
		p.Sort = SortRelevance
	case SortRelevance:
	case SortDate:
		if p.Offset != 0 {
			return invalid("date order pages with cursor, not offset")
		}
	default:
		return invalid("sort must be relevance or date, got %q", p.Sort)
	}
	if p.Cursor != "" && p.Sort != SortDate {
		return invalid("cursor goes with sort=date; relevance order pages with offset")
	}
	if p.Recency == nil {
		r := DefaultRecency
		p.Recency = &r
	}
	if *p.Recency < 0 || *p.Recency > MaxRecency {
		return invalid("recency must be between 0 and %d", MaxRecency)
	}
	p.Language = strings.ToLower(strings.TrimSpace(p.Language))
	if p.Language != "" && !langCode.MatchString(p.Language) {
		return invalid("language must be a two-letter code such as en or de, got %q", p.Language)
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return invalid("the date window ends (to) before it starts (from)")
	}
	return nil
}

// queryConfigs are the text search configurations a query is parsed in:
// the filtered language's, else those of every language in the archive, so
// an article matches in its own language's stemming.
func queryConfigs(ctx context.Context, db Querier, lang string) ([]string, error) {
	if lang != "" {
		return []string{extract.TSConfig(lang)}, nil
	}
	rows, err := db.Query(ctx, `SELECT language FROM corpus_docs ORDER BY docs DESC LIMIT 12`)
	if err != nil {
		return nil, fmt.Errorf("search: languages: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("search: languages: %w", err)
		}
		if c := extract.TSConfig(l); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: languages: %w", err)
	}
	if !seen["english"] {
		out = append(out, "english")
	}
	return out, nil
}

// Query runs a search. Relevance order ranks with the weighted vector
// (title over excerpt over body) and a recency boost; highlights are
// computed for the returned page only.
func Query(ctx context.Context, db Querier, p Params) (*Results, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	res := &Results{Query: p.Query}
	configs, err := queryConfigs(ctx, db, p.Language)
	if err != nil {
		return nil, err
	}
	// The query is the OR of its parse in each configuration; one GIN
	// lookup answers it.
	// Stop words are judged by the archive's main language: "the" is not a
	// search even though German would index it.
	var empty bool
	if err := db.QueryRow(ctx, `SELECT numnode(websearch_to_tsquery($2::regconfig, $1)) = 0`,
		p.Query, configs[0]).Scan(&empty); err != nil {
		return nil, queryError(err)
	}
	if empty {
		return nil, invalid("query %q has no searchable words (only stop words or punctuation)", p.Query)
	}
	var siteID, authorID *int64
	if p.Site != "" {
		var id int64
		if err := db.QueryRow(ctx, `SELECT id FROM sites WHERE host = lower($1)`, p.Site).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, invalid("unknown site %q", p.Site)
			}
			return nil, fmt.Errorf("search: site filter: %w", err)
		}
		siteID = &id
	}
	if p.Author != "" {
		var id int64
		key := strings.ToLower(strings.Join(strings.Fields(p.Author), " "))
		if err := db.QueryRow(ctx, `SELECT id FROM authors WHERE name_key = $1`, key).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, invalid("unknown author %q", p.Author)
			}
			return nil, fmt.Errorf("search: author filter: %w", err)
		}
		authorID = &id
	}
	var from, to *time.Time
	if !p.From.IsZero() {
		from = &p.From
	}
	if !p.To.IsZero() {
		to = &p.To
	}
	var curTime *time.Time
	var curID *int64
	if p.Cursor != "" {
		t, id, err := cursor.Decode(p.Cursor)
		if err != nil {
			return nil, err
		}
		curTime, curID = &t, &id
	}
	order := `ORDER BY rank DESC, a.sort_at DESC, a.id DESC LIMIT $11 OFFSET $12`
	rankExpr := `ts_rank_cd(a.search, q.query, 32) * (1 + $10 * exp(-extract(epoch FROM now() - a.sort_at) / 3888000))`
	if p.Sort == SortDate {
		// Same parameters either way, so both orders share one statement
		// shape; offset is always 0 here.
		order = `ORDER BY a.sort_at DESC, a.id DESC LIMIT $11 OFFSET $12`
		rankExpr = `0 * $10::float8`
	}
	// $1 query, $2 configs, $3 site, $4 author, $5 language, $6 section,
	// $7 from, $8 to, $9/$13 cursor, $10 recency, $11 limit, $12 offset.
	filters := `
		FROM articles a, q
		WHERE a.search @@ q.query AND a.kind = 'article'
		  AND ($3::bigint IS NULL OR a.site_id = $3)
		  AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.author_id = $4))
		  AND ($5 = '' OR a.language = $5)
		  AND ($6 = '' OR lower(a.section) = lower($6))
		  AND ($7::timestamptz IS NULL OR a.sort_at >= $7)
		  AND ($8::timestamptz IS NULL OR a.sort_at < $8)`
	sql := `
		WITH q AS (
			SELECT (SELECT tsquery_union(websearch_to_tsquery(c::regconfig, $1)) FROM unnest($2::text[]) AS c) AS query
		),
		page AS (
			SELECT a.id, ` + rankExpr + ` AS rank` + filters + `
			  AND ($9::timestamptz IS NULL OR (a.sort_at, a.id) < ($9, $13))
			` + order + `
		)
		SELECT a.id, s.host, a.url, a.canonical_url, a.title, a.byline, a.published_at, a.excerpt, a.image_url,
		       a.language, a.section, a.word_count, a.fetched_at, a.sort_at,
		       array(SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		             WHERE aa.article_id = a.id ORDER BY aa.position),
		       page.rank,
		       ts_headline(a.ts_config, a.body_text, q.query,
		                   'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "')
		FROM page JOIN articles a ON a.id = page.id JOIN sites s ON s.id = a.site_id, q
		ORDER BY page.rank DESC, a.sort_at DESC, a.id DESC`
	rows, err := db.Query(ctx, sql, p.Query, configs, siteID, authorID, p.Language, p.Section, from, to,
		curTime, *p.Recency, p.Limit+1, p.Offset, curID)
	if err != nil {
		return nil, queryError(err)
	}
	defer rows.Close()
	var last time.Time
	for rows.Next() {
		var h Hit
		a := &h.Article
		var sortAt time.Time
		if err := rows.Scan(&a.ID, &a.Site, &a.URL, &a.CanonicalURL, &a.Title, &a.Byline, &a.PublishedAt, &a.Excerpt,
			&a.ImageURL, &a.Language, &a.Section, &a.WordCount, &a.FetchedAt, &sortAt, &a.Authors, &h.Rank, &h.Headline); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Headline = markOnly(h.Headline)
		if len(res.Hits) == p.Limit {
			res.More = true
			break
		}
		res.Hits = append(res.Hits, h)
		last = sortAt
	}
	if err := rows.Err(); err != nil {
		return nil, queryError(err)
	}
	if res.More && p.Sort == SortDate {
		res.NextCursor = cursor.Encode(last, res.Hits[len(res.Hits)-1].Article.ID)
	}
	if p.Facets {
		if err := facets(ctx, db, sqlFacetBase(filters), res, p, configs, siteID, authorID, from, to); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func sqlFacetBase(filters string) string {
	return `WITH q AS (
			SELECT (SELECT tsquery_union(websearch_to_tsquery(c::regconfig, $1)) FROM unnest($2::text[]) AS c) AS query
		),
		m AS (SELECT a.site_id, a.language ` + filters + ` LIMIT ` + strconv.Itoa(FacetCap) + `)`
}

// facets counts the matches (up to FacetCap) by site and language.
func facets(ctx context.Context, db Querier, base string, res *Results, p Params, configs []string,
	siteID, authorID *int64, from, to *time.Time) error {
	rows, err := db.Query(ctx, base+`
		SELECT 'site', s.host, count(*) FROM m JOIN sites s ON s.id = m.site_id GROUP BY s.host
		UNION ALL
		SELECT 'language', m.language, count(*) FROM m GROUP BY m.language
		UNION ALL
		SELECT 'total', '', count(*) FROM m`,
		p.Query, configs, siteID, authorID, p.Language, p.Section, from, to)
	if err != nil {
		return queryError(err)
	}
	defer rows.Close()
	res.Facets = map[string][]Facet{"site": {}, "language": {}}
	for rows.Next() {
		var kind, value string
		var n int64
		if err := rows.Scan(&kind, &value, &n); err != nil {
			return fmt.Errorf("search: facets: %w", err)
		}
		if kind == "total" {
			res.FacetsCapped = n >= FacetCap
			continue
		}
		res.Facets[kind] = append(res.Facets[kind], Facet{Value: value, Count: n})
	}
	for _, fs := range res.Facets {
		sortFacets(fs)
	}
	return rows.Err()
}

func sortFacets(fs []Facet) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && (fs[j].Count > fs[j-1].Count || fs[j].Count == fs[j-1].Count && fs[j].Value < fs[j-1].Value); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// queryError keeps database details away from users while letting a
// query PostgreSQL itself rejects come back as a bad request.
func queryError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, "22") { // data exceptions
		return invalid("query could not be parsed: %s", pe.Message)
	}
	return fmt.Errorf("search: %w", err)
}
