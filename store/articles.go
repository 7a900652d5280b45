package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
)

// FetchInfo is what the fetch of an article's page told us.
type FetchInfo struct {
	HTTPStatus   int
	ETag         string
	LastModified string
	ContentHash  []byte // SHA-256 of the article's text
	SimHash      uint64 // of the article's text, for near-duplicate detection
	RawHTML      []byte // stored gzip-compressed for re-extraction
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

// SaveArticle stores an article extracted from URL urlID and marks the URL
// fetched, in one transaction. It stores each article once:
//   - a URL fetched again updates its own article, counting a revision when
//     the text changed;
//   - a page whose canonical URL is already stored updates that article;
//   - a page whose text equals, or nearly equals (SimHash), a stored
//     article's becomes an alias of it: the URL points at the article and
//     nothing new is stored.
func (db *DB) SaveArticle(ctx context.Context, urlID int64, a *newsline.Article, f FetchInfo) (SaveResult, error) {
	raw, err := gzipBytes(f.RawHTML)
	if err != nil {
		return SaveResult{}, fmt.Errorf("store: compress page: %w", err)
	}
	sortAt := a.FetchedAt
	if a.PublishedAt != nil {
		sortAt = *a.PublishedAt
	}
	simhash := int64(f.SimHash)
	var res SaveResult
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		// An article's commit need not wait for its WAL flush: should
		// PostgreSQL crash in the next few hundred milliseconds and lose
		// it, the lost transaction takes the URL's "fetched" mark with it,
		// the URL is still queued, and the next crawl fetches it again. No
		// article is lost and none is stored twice; the flush wait was a
		// fifth of the database's time under load (bench crawl).
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return fmt.Errorf("store: save article: %w", err)
		}
		// Two copies of one text stored at once by two workers must not both
		// become new articles: serialize on the text's hash.
		if len(f.ContentHash) >= 8 {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(binary.BigEndian.Uint64(f.ContentHash))); err != nil {
				return fmt.Errorf("store: lock: %w", err)
			}
		}
		var own *int64
		var primary bool // the URL the article was first stored from, not an alias
		if err := tx.QueryRow(ctx, `
			SELECT u.article_id, coalesce(ar.url = u.url, false)
			FROM urls u LEFT JOIN articles ar ON ar.id = u.article_id WHERE u.id = $1 FOR UPDATE OF u`, urlID).Scan(&own, &primary); err != nil {
			return fmt.Errorf("store: save article: url %d: %w", urlID, err)
		}
		target, alias, err := findExisting(ctx, tx, own, primary, a.CanonicalURL, f.ContentHash, simhash, a.WordCount)
		if err != nil {
			return err
		}
		switch {
		case target == 0:
			err = tx.QueryRow(ctx, `
				INSERT INTO articles (site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at,
					body_text, body_html, excerpt, image_url, site_name, language, word_count, raw_html_gz, fetched_at,
					content_hash, simhash, ts_config, section, keywords, summary, kind, kind_reason, completeness, field_sources)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
					$20::regconfig, $21, $22, $23, $24, $25, $26, $27)
				RETURNING id`,
				a.SiteID, a.URL, a.CanonicalURL, a.Title, a.Byline, a.PublishedAt, a.ModifiedAt, sortAt,
				a.Text, a.HTML, a.Excerpt, a.ImageURL, a.SiteName, a.Language, a.WordCount, raw, a.FetchedAt,
				f.ContentHash, simhash, tsConfig(a), a.Section, nonNil(a.Keywords), a.Summary, kind(a), a.KindReason,
				completeness(a), sources(a),
			).Scan(&res.ArticleID)
			if err != nil {
				return fmt.Errorf("store: save article %s: %w", a.CanonicalURL, err)
			}
			res.Outcome = SavedNew
			if err := setAuthors(ctx, tx, res.ArticleID, a.Authors); err != nil {
				return err
			}
			if err := countTerms(ctx, tx, a.Language, a.Terms); err != nil {
				return err
			}
		case alias:
			res = SaveResult{ArticleID: target, Outcome: SavedAlias}
		default:
			res.ArticleID = target
			tag, err := tx.Exec(ctx, `
				UPDATE articles SET title = $2, byline = $3, published_at = coalesce($4, published_at),
					modified_at = $5, sort_at = coalesce($4, sort_at), body_text = $6, body_html = $7, excerpt = $8,
					image_url = $9, site_name = $10, language = $11, word_count = $12, raw_html_gz = $13,
					fetched_at = $14, content_hash = $15, simhash = $16, revisions = revisions + 1, updated_at = now(),
					ts_config = $17::regconfig, section = $18, keywords = $19, summary = $20, kind = $21,
					kind_reason = $22, completeness = $23, field_sources = $24
				WHERE id = $1 AND content_hash IS DISTINCT FROM $15`,
				target, a.Title, a.Byline, a.PublishedAt, a.ModifiedAt, a.Text, a.HTML, a.Excerpt, a.ImageURL,
				a.SiteName, a.Language, a.WordCount, raw, a.FetchedAt, f.ContentHash, simhash,
				tsConfig(a), a.Section, nonNil(a.Keywords), a.Summary, kind(a), a.KindReason, completeness(a), sources(a))
			if err != nil {
				return fmt.Errorf("store: update article %d: %w", target, err)
			}
			res.Outcome = SavedUnchanged
			if tag.RowsAffected() == 1 {
				res.Outcome = SavedUpdated
				if err := setAuthors(ctx, tx, target, a.Authors); err != nil {
					return err
				}
			}
		}
		_, err = tx.Exec(ctx, `
			UPDATE urls u SET state = 'fetched', reason = NULL, http_status = nullif($2, 0), etag = nullif($3, ''),
				last_modified = nullif($4, ''), content_hash = $5, attempts = u.attempts + 1, article_id = $6,
				fetched_at = now(), first_fetched_at = coalesce(u.first_fetched_at, now()),
				fetch_count = u.fetch_count + 1, next_fetch_at = `+nextFetchSQL+`
			FROM sites s WHERE s.id = u.site_id AND u.id = $1`,
			urlID, f.HTTPStatus, f.ETag, f.LastModified, f.ContentHash, res.ArticleID)
		if err != nil {
			return fmt.Errorf("store: mark url fetched: %w", err)
		}
		return nil
	})
	return res, err
}

// findExisting finds the stored article a fetched page belongs to: the
// URL's own, the canonical URL's, or (alias=true) one with the same or
// nearly the same text. It returns 0 when the article is new.
func findExisting(ctx context.Context, tx pgx.Tx, own *int64, primary bool, canonical string, hash []byte, simhash int64, words int) (id int64, alias bool, err error) {
	if own != nil {
		// A copy keeps pointing at the article it copies; only the
		// article's own URL may change its text.
		return *own, !primary, nil
	}
	err = tx.QueryRow(ctx, `SELECT id FROM articles WHERE canonical_url = $1`, canonical).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, fmt.Errorf("store: find article by url: %w", err)
	}
	if len(hash) > 0 {
		err = tx.QueryRow(ctx, `SELECT id FROM articles WHERE content_hash = $1 ORDER BY id LIMIT 1`, hash).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, false, fmt.Errorf("store: find article by hash: %w", err)
		}
	}
	if simhash != 0 && words >= MinWordsNearDuplicate {
		// MATERIALIZED keeps the planner on the band indexes: with ORDER BY
		// id it would rather walk the primary key and test every article.
		err = tx.QueryRow(ctx, `
			WITH cand AS MATERIALIZED (
				SELECT id, simhash, word_count FROM articles
				WHERE simhash_b0 = (($1::bigint >> 48) & 65535)::integer OR simhash_b1 = (($1::bigint >> 32) & 65535)::integer
				   OR simhash_b2 = (($1::bigint >> 16) & 65535)::integer OR simhash_b3 = ($1::bigint & 65535)::integer
			)
			SELECT id FROM cand WHERE bit_count((simhash # $1::bigint)::bit(64)) <= $2 AND word_count >= $3
			ORDER BY id LIMIT 1`, simhash, NearDuplicateBits, MinWordsNearDuplicate).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, false, fmt.Errorf("store: find near duplicate: %w", err)
		}
	}
	return 0, false, nil
}

func setAuthors(ctx context.Context, tx pgx.Tx, articleID int64, names []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM article_authors WHERE article_id = $1`, articleID); err != nil {
		return fmt.Errorf("store: set authors: %w", err)
	}
	seen := map[string]bool{}
	pos := 0
	for _, name := range names {
		name = strings.Join(strings.Fields(name), " ")
		key := strings.ToLower(name)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		var authorID int64
		// DO UPDATE (a no-op) rather than DO NOTHING so RETURNING yields
		// the id of an author who already exists.
		err := tx.QueryRow(ctx, `
			INSERT INTO authors (name, name_key) VALUES ($1, $2)
			ON CONFLICT (name_key) DO UPDATE SET name_key = EXCLUDED.name_key
			RETURNING id`, name, key).Scan(&authorID)
		if err != nil {
			return fmt.Errorf("store: upsert author %q: %w", name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)`,
			articleID, authorID, pos); err != nil {
			return fmt.Errorf("store: link author %q: %w", name, err)
		}
		pos++
	}
	return nil
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

// countTerms queues a new article's distinct terms for the corpus
// statistics; FoldTermStats adds them up.
func countTerms(ctx context.Context, tx pgx.Tx, lang string, terms []string) error {
	if len(terms) == 0 {
		return nil
	}
	if lang == "" {
		lang = "und"
	}
	if _, err := tx.Exec(ctx, `INSERT INTO term_stats_queue (language, terms) VALUES ($1, $2)`, lang, terms); err != nil {
		return fmt.Errorf("store: queue terms: %w", err)
	}
	return nil
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
			WITH taken AS (DELETE FROM term_stats_queue RETURNING language, terms),
			counts AS (SELECT language, t AS term, count(*) AS n FROM taken, unnest(terms) AS t GROUP BY 1, 2),
			docs AS (SELECT language, count(*) AS n FROM taken GROUP BY 1),
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
	rows, err := db.Pool.Query(ctx, `SELECT term, df FROM term_df WHERE language = $1 AND term = ANY($2)`, lang, terms)
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
	err = db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT docs FROM corpus_docs WHERE language = $1), 0)`, lang).Scan(&docs)
	if err != nil {
		return nil, 0, fmt.Errorf("store: doc freq: %w", err)
	}
	return df, docs, nil
}

func gzipBytes(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	// Fastest level: the page is kept for rare re-extraction, and
	// compressing it sat on every save's path.
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// articleColumns are the columns of a listed article; the body is left out
// of lists and fetched only for one article.
const articleColumns = `a.id, a.site_id, s.host, a.url, a.canonical_url, a.title, a.byline, a.published_at, a.modified_at,
	a.excerpt, a.image_url, a.site_name, a.language, a.word_count, a.fetched_at, a.created_at, a.updated_at, a.sort_at,
	a.section, a.keywords, a.summary, a.kind, a.kind_reason, a.completeness, a.field_sources,
	array(SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
	      WHERE aa.article_id = a.id ORDER BY aa.position)`

func scanArticle(row pgx.Row, extra ...any) (newsline.Article, time.Time, error) {
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
	a, _, err := scanArticle(db.Pool.QueryRow(ctx, `SELECT `+articleColumns+`, a.body_text, a.body_html
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
	Site   string // host; empty for every site
	Cursor string // from the previous page's NextCursor
	Limit  int
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

// Articles lists articles newest first with keyset pagination, so page
// 1,000 costs what page 1 does.
func (db *DB) Articles(ctx context.Context, p ListParams) (ArticlePage, error) {
	var page ArticlePage
	if p.Limit <= 0 {
		p.Limit = 20
	}
	if p.Limit > MaxPageSize {
		return page, newsline.Errorf(newsline.EINVALID, "limit must be at most %d", MaxPageSize)
	}
	var siteID *int64
	if p.Site != "" {
		s, err := db.Site(ctx, p.Site)
		if err != nil {
			return page, err
		}
		siteID = &s.ID
	}
	var curTime *time.Time
	var curID *int64
	if p.Cursor != "" {
		t, id, err := cursor.Decode(p.Cursor)
		if err != nil {
			return page, err
		}
		curTime, curID = &t, &id
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sites s ON s.id = a.site_id
		WHERE ($1::bigint IS NULL OR a.site_id = $1)
		  AND ($2::timestamptz IS NULL OR (a.sort_at, a.id) < ($2, $3))
		  AND ($5 OR a.kind = 'article')
		ORDER BY a.sort_at DESC, a.id DESC
		LIMIT $4`, siteID, curTime, curID, p.Limit+1, p.AllKinds)
	if err != nil {
		return page, fmt.Errorf("store: list articles: %w", err)
	}
	defer rows.Close()
	var lastSort time.Time
	for rows.Next() {
		a, sortAt, err := scanArticle(rows)
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

// CountArticles counts stored articles, of one site when host is not empty.
func (db *DB) CountArticles(ctx context.Context, host string) (int64, error) {
	var n int64
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM articles a JOIN sites s ON s.id = a.site_id WHERE ($1 = '' OR s.host = $1)`, host).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count articles: %w", err)
	}
	return n, nil
}
