package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/internal/suggest"
)

// FetchInfo is what the fetch of an article's page told us.
type FetchInfo struct {
	HTTPStatus   int
	ETag         string
	LastModified string
	ContentHash  []byte // SHA-256 of the article's text
	SimHash      uint64 // of the article's text, for near-duplicate detection
	RawHTML      []byte // stored (lz4-compressed by PostgreSQL) for re-extraction
	// ExtractorVersion is the version of the extractor that made the
	// article (extract.Version); re-extraction skips articles at the
	// current one. 0 for articles not made by the extractor.
	ExtractorVersion int
}

// Save outcomes.
const (
	SavedNew       = "new"       // a new article
	SavedUpdated   = "updated"   // a known article whose text changed (a correction)
	SavedUnchanged = "unchanged" // a known article, same text
	SavedAlias     = "alias"     // a copy of another article (another URL, or syndicated): linked, not stored again
)

// NearDuplicateBits is how many SimHash bits two texts may differ in and
// still count as one article; MinWordsNearDuplicate keeps short texts,
// whose hashes collide too easily, out of near-duplicate matching.
const (
	NearDuplicateBits     = 3
	MinWordsNearDuplicate = 80
)

// SaveResult says what SaveArticle did.
type SaveResult struct {
	ArticleID int64
	Outcome   string
}

// Defaults for articles built by hand (tests, imports) rather than by the
// extractor.
func tsConfig(a *newsline.Article) string {
	if a.TSConfig == "" {
		return "english"
	}
	return a.TSConfig
}

func kind(a *newsline.Article) string {
	if a.Kind == "" {
		return "article"
	}
	return a.Kind
}

func completeness(a *newsline.Article) float64 {
	if a.Kind == "" && a.Completeness == 0 {
		return 1
	}
	return a.Completeness
}

func sources(a *newsline.Article) map[string]string {
	if a.Sources == nil {
		return map[string]string{}
	}
	return a.Sources
}

// FoldTermStats adds the queued terms of new articles to the corpus
// statistics. One caller at a time does the work (an advisory lock); the
// others return at once, as there is nothing left for them. It reports how
// many articles it counted.
func (db *DB) FoldTermStats(ctx context.Context) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var got bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(7369828012)`).Scan(&got); err != nil || !got {
			return err
		}
		// Terms are upserted in a fixed order so that two folds, were
		// they ever to run at once, could not deadlock.
		return tx.QueryRow(ctx, `
			WITH taken AS (DELETE FROM term_stats_queue RETURNING language, terms, docs),
			counts AS (SELECT language, t AS term, count(*) AS n FROM taken, unnest(terms) AS t GROUP BY 1, 2),
			docs AS (SELECT language, sum(docs) AS n FROM taken GROUP BY 1),
			up AS (
				INSERT INTO term_df (language, term, df) SELECT language, term, n FROM counts ORDER BY 1, 2
				ON CONFLICT (language, term) DO UPDATE SET df = term_df.df + EXCLUDED.df
			),
			upd AS (
				INSERT INTO corpus_docs (language, docs) SELECT language, n FROM docs ORDER BY 1
				ON CONFLICT (language) DO UPDATE SET docs = corpus_docs.docs + EXCLUDED.docs
			)
			SELECT coalesce(sum(n), 0) FROM docs`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("store: fold term stats: %w", err)
	}
	return n, nil
}

// DocFreq implements extract.DocFreq from the stored corpus.
func (db *DB) DocFreq(ctx context.Context, lang string, terms []string) (map[string]int, int, error) {
	if lang == "" {
		lang = "und"
	}
	df := make(map[string]int, len(terms))
	rows, err := db.Reads().Query(ctx, `SELECT term, df FROM term_df WHERE language = $1 AND term = ANY($2)`, lang, terms)
	if err != nil {
		return nil, 0, fmt.Errorf("store: doc freq: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, 0, fmt.Errorf("store: doc freq: %w", err)
		}
		df[t] = n
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: doc freq: %w", err)
	}
	var docs int
	err = db.Reads().QueryRow(ctx, `SELECT coalesce((SELECT docs FROM corpus_docs WHERE language = $1), 0)`, lang).Scan(&docs)
	if err != nil {
		return nil, 0, fmt.Errorf("store: doc freq: %w", err)
	}
	return df, docs, nil
}

// ArticleColumns are the columns of a listed article, for a statement
// where articles is "a" and sites is "s"; ScanArticle reads them. The body
// is left out of lists and fetched only for one article. Search reads the
// same columns, so a hit carries everything a listing item does.
const ArticleColumns = `a.id, a.site_id, s.host, a.url, a.canonical_url, a.title, a.byline, a.published_at, a.modified_at,
	a.excerpt, a.image_url, a.site_name, a.language, a.word_count, a.fetched_at, a.created_at, a.updated_at, a.sort_at,
	a.section, a.keywords, a.summary, a.kind, a.kind_reason, a.completeness, a.field_sources,
	array(SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
	      WHERE aa.article_id = a.id ORDER BY aa.position)`

// ScanArticle reads a row that starts with ArticleColumns, then extra
// columns into extra; it returns the article and its sort time, for a
// cursor.
func ScanArticle(row pgx.Row, extra ...any) (newsline.Article, time.Time, error) {
	var a newsline.Article
	var sortAt time.Time
	dest := []any{&a.ID, &a.SiteID, &a.Site, &a.URL, &a.CanonicalURL, &a.Title, &a.Byline, &a.PublishedAt, &a.ModifiedAt,
		&a.Excerpt, &a.ImageURL, &a.SiteName, &a.Language, &a.WordCount, &a.FetchedAt, &a.CreatedAt, &a.UpdatedAt, &sortAt,
		&a.Section, &a.Keywords, &a.Summary, &a.Kind, &a.KindReason, &a.Completeness, &a.Sources, &a.Authors}
	err := row.Scan(append(dest, extra...)...)
	return a, sortAt, err
}

// Article returns one article with its body.
func (db *DB) Article(ctx context.Context, id int64) (newsline.Article, error) {
	var text, html string
	a, _, err := ScanArticle(db.Reads().QueryRow(ctx, `SELECT `+ArticleColumns+`, a.body_text, a.body_html
		FROM articles a JOIN sites s ON s.id = a.site_id WHERE a.id = $1`, id), &text, &html)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, newsline.Errorf(newsline.ENOTFOUND, "no article with id %d", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: article %d: %w", id, err)
	}
	a.Text, a.HTML = text, html
	return a, nil
}

// ListParams selects a page of articles, newest first.
type ListParams struct {
	Site string // host; empty for every site
	// Author is an author's slug or name: the articles of every author
	// with that slug ("Jane Doe" and "Jane-Doe" are one).
	Author string
	// Section is a section's slug or name, matched by slug across sites.
	Section string
	Cursor  string // from the previous page's NextCursor
	Limit   int
	// AllKinds includes pages that are not whole articles (index pages,
	// stubs, paywalled teasers, ...), which are left out by default.
	AllKinds bool
}

// ArticlePage is one page of a listing.
type ArticlePage struct {
	Articles   []newsline.Article
	NextCursor string // empty on the last page
}

// MaxPageSize bounds every listing.
const MaxPageSize = 100

// pageLimit returns a listing's page size: def when limit is unset, an
// EINVALID error when it is over MaxPageSize.
func pageLimit(limit, def int) (int, error) {
	if limit <= 0 {
		return def, nil
	}
	if limit > MaxPageSize {
		return 0, newsline.Errorf(newsline.EINVALID, "limit must be at most %d", MaxPageSize)
	}
	return limit, nil
}

// Articles lists articles newest first with keyset pagination, so page
// 1,000 costs what page 1 does. A filter naming no site, author or section
// is an EINVALID error that suggests the closest name. Each filter reads
// its own index: a section its (section_key, sort_at) index, an author
// the article_authors rows of the author's articles.
func (db *DB) Articles(ctx context.Context, p ListParams) (ArticlePage, error) {
	var page ArticlePage
	var err error
	if p.Limit, err = pageLimit(p.Limit, 20); err != nil {
		return page, err
	}
	if p.Section != "" && p.AllKinds {
		// Only articles are indexed by section.
		return page, newsline.Errorf(newsline.EINVALID, "section lists articles only: leave out kind=all")
	}
	var a sqlArgs
	where := []string{"true"}
	if !p.AllKinds {
		where = append(where, "a.kind = 'article'")
	}
	if p.Site != "" || p.Author != "" || p.Section != "" {
		f, err := ResolveFilters(ctx, db.Pool, p.Site, p.Author, p.Section)
		if err != nil {
			return page, err
		}
		if f.SiteID != nil {
			where = append(where, "a.site_id = "+a.add(*f.SiteID))
		}
		if f.AuthorIDs != nil {
			where = append(where, "a.id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = ANY("+a.add(f.AuthorIDs)+"))")
		}
		if f.SectionKey != "" {
			// The literal <> '' lets the planner use the partial index
			// whatever the parameter's value.
			where = append(where, "a.section_key = "+a.add(f.SectionKey)+" AND a.section_key <> ''")
		}
	}
	if p.Cursor != "" {
		t, id, err := cursor.Decode(p.Cursor)
		if err != nil {
			return page, err
		}
		where = append(where, "(a.sort_at, a.id) < ("+a.add(t)+", "+a.add(id)+")")
	}
	rows, err := db.Reads().Query(ctx, `SELECT `+ArticleColumns+`
		FROM articles a JOIN sites s ON s.id = a.site_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY a.sort_at DESC, a.id DESC
		LIMIT `+a.add(p.Limit+1), a...)
	if err != nil {
		return page, fmt.Errorf("store: list articles: %w", err)
	}
	defer rows.Close()
	var lastSort time.Time
	for rows.Next() {
		a, sortAt, err := ScanArticle(rows)
		if err != nil {
			return page, fmt.Errorf("store: list articles: %w", err)
		}
		if len(page.Articles) == p.Limit {
			page.NextCursor = cursor.Encode(lastSort, page.Articles[len(page.Articles)-1].ID)
			break
		}
		page.Articles = append(page.Articles, a)
		lastSort = sortAt
	}
	return page, rows.Err()
}

// Filters are the ids and keys a listing's or a search's filters name.
type Filters struct {
	SiteID     *int64  // nil: no site filter
	AuthorIDs  []int64 // the authors with the filter's slug; nil: no author filter
	SectionKey string  // "": no section filter
}

// ResolveFilters looks up a site's id, the ids of an author's rows and a
// section's slug in one round trip; empty names are no filter. A name
// that matches nothing is an EINVALID error ("unknown author "jane-do";
// did you mean jane-doe?"): the request, not the resource, is at fault.
func ResolveFilters(ctx context.Context, q Queryer, site, author, section string) (Filters, error) {
	var f Filters
	authorSlug, sectionKey := newsline.Slug(author), newsline.Slug(section)
	var authorIDs []int64
	var sectionKnown bool
	err := q.QueryRow(ctx, `
		SELECT (SELECT id FROM sites WHERE host = lower($1)),
		       (SELECT array_agg(id ORDER BY id) FROM authors WHERE slug = $2 AND slug <> ''),
		       EXISTS (SELECT 1 FROM articles WHERE kind = 'article' AND section_key = $3 AND section_key <> '')`,
		site, authorSlug, sectionKey).Scan(&f.SiteID, &authorIDs, &sectionKnown)
	if err != nil {
		return f, fmt.Errorf("store: filters: %w", err)
	}
	unknown := func(what, name string, closest func(context.Context, Queryer, string) (string, error)) error {
		best, err := closest(ctx, q, name)
		if err != nil {
			return err
		}
		return newsline.Errorf(newsline.EINVALID, "unknown %s %q%s", what, name, suggest.Hint(best))
	}
	switch {
	case site != "" && f.SiteID == nil:
		return f, unknown("site", site, ClosestSite)
	case author != "" && len(authorIDs) == 0:
		return f, unknown("author", author, ClosestAuthor)
	case section != "" && !sectionKnown:
		return f, unknown("section", section, ClosestSection)
	}
	if author != "" {
		f.AuthorIDs = authorIDs
	}
	if section != "" {
		f.SectionKey = sectionKey
	}
	return f, nil
}

// sqlArgs numbers a statement's parameters as they are added.
type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// CountArticles counts stored articles, of one site when host is not empty.
func (db *DB) CountArticles(ctx context.Context, host string) (int64, error) {
	var n int64
	err := db.Reads().QueryRow(ctx, `SELECT count(*) FROM articles a JOIN sites s ON s.id = a.site_id WHERE ($1 = '' OR s.host = $1)`, host).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count articles: %w", err)
	}
	return n, nil
}
