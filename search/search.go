// Package search runs full-text queries over the articles' weighted
// tsvector column: websearch syntax in, ranked and highlighted results out.
package search

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline"
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
)

// Params is one search request.
type Params struct {
	Query  string // websearch syntax: words, "quoted phrases", OR, -exclusions
	Site   string // host filter; empty for all sites
	Limit  int
	Offset int
}

// Hit is one matching article with a highlighted snippet.
type Hit struct {
	Article newsline.Article
	Rank    float64
	// Headline is a snippet as safe HTML: the text escaped, the matches
	// wrapped in <mark>…</mark>.
	Headline string
}

// Results is a page of hits, best first.
type Results struct {
	Query string
	Hits  []Hit
	// More is true when another page exists.
	More bool
}

// Validate checks p and fills defaults, returning an EINVALID error whose
// message a user can act on.
func (p *Params) Validate() error {
	p.Query = strings.TrimSpace(p.Query)
	switch {
	case p.Query == "":
		return newsline.Errorf(newsline.EINVALID, "query is empty: pass words to search for, e.g. q=river accord")
	case !utf8.ValidString(p.Query):
		return newsline.Errorf(newsline.EINVALID, "query is not valid UTF-8")
	case len(p.Query) > MaxQueryLength:
		return newsline.Errorf(newsline.EINVALID, "query is %d bytes long; the limit is %d", len(p.Query), MaxQueryLength)
	case strings.ContainsRune(p.Query, 0):
		return newsline.Errorf(newsline.EINVALID, "query contains a NUL byte")
	}
	if p.Limit == 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit < 1 || p.Limit > MaxLimit {
		return newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", MaxLimit)
	}
	if p.Offset < 0 || p.Offset > MaxOffset {
		return newsline.Errorf(newsline.EINVALID, "offset must be between 0 and %d; narrow the query instead of paging deeper", MaxOffset)
	}
	return nil
}

// Query runs a search. Ranking uses the weighted vector (title over excerpt
// over body); highlights are computed for the returned page only.
func Query(ctx context.Context, db Querier, p Params) (*Results, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	res := &Results{Query: p.Query}
	var stopOnly bool
	if err := db.QueryRow(ctx, `SELECT numnode(websearch_to_tsquery('english', $1)) = 0`, p.Query).Scan(&stopOnly); err != nil {
		return nil, fmt.Errorf("search: parse query: %w", err)
	}
	if stopOnly {
		return nil, newsline.Errorf(newsline.EINVALID, "query %q has no searchable words (only stop words or punctuation)", p.Query)
	}
	if p.Site != "" {
		var exists bool
		if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sites WHERE host = lower($1))`, p.Site).Scan(&exists); err != nil {
			return nil, fmt.Errorf("search: site filter: %w", err)
		}
		if !exists {
			return nil, newsline.Errorf(newsline.EINVALID, "unknown site %q", p.Site)
		}
	}
	rows, err := db.Query(ctx, `
		WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
		page AS (
			SELECT a.id, ts_rank_cd(a.search, q.query) AS rank
			FROM articles a, q
			WHERE a.search @@ q.query AND a.kind = 'article'
			  AND ($2 = '' OR a.site_id = (SELECT id FROM sites WHERE host = lower($2)))
			ORDER BY rank DESC, a.sort_at DESC, a.id DESC
			LIMIT $3 OFFSET $4
		)
		SELECT a.id, s.host, a.url, a.canonical_url, a.title, a.byline, a.published_at, a.excerpt, a.image_url,
		       a.language, a.word_count, a.fetched_at,
		       array(SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		             WHERE aa.article_id = a.id ORDER BY aa.position),
		       page.rank,
		       ts_headline('english', a.body_text, q.query,
		                   'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "')
		FROM page JOIN articles a ON a.id = page.id JOIN sites s ON s.id = a.site_id, q
		ORDER BY page.rank DESC, a.sort_at DESC, a.id DESC`,
		p.Query, p.Site, p.Limit+1, p.Offset)
	if err != nil {
		return nil, queryError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		a := &h.Article
		var pub *time.Time
		if err := rows.Scan(&a.ID, &a.Site, &a.URL, &a.CanonicalURL, &a.Title, &a.Byline, &pub, &a.Excerpt, &a.ImageURL,
			&a.Language, &a.WordCount, &a.FetchedAt, &a.Authors, &h.Rank, &h.Headline); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		a.PublishedAt = pub
		h.Headline = markOnly(h.Headline)
		if len(res.Hits) == p.Limit {
			res.More = true
			break
		}
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, queryError(err)
	}
	return res, nil
}

// queryError keeps database details away from users while letting a
// query PostgreSQL itself rejects come back as a bad request.
func queryError(err error) error {
	if pe, ok := err.(*pgconn.PgError); ok && strings.HasPrefix(pe.Code, "22") { // data exceptions
		return newsline.Errorf(newsline.EINVALID, "query could not be parsed: %s", pe.Message)
	}
	return fmt.Errorf("search: %w", err)
}
