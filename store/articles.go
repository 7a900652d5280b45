package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// FetchInfo is what the fetch of an article's page told us.
type FetchInfo struct {
	HTTPStatus   int
	ETag         string
	LastModified string
	ContentHash  []byte
	RawHTML      []byte // stored gzip-compressed for re-extraction
}

// SaveArticle stores an extracted article and marks its URL fetched, in one
// transaction. Articles are keyed by canonical URL, so fetching the same
// article twice (a retried job, a second URL) updates one row. It reports
// whether the article was new.
func (db *DB) SaveArticle(ctx context.Context, urlID int64, a *newsline.Article, f FetchInfo) (int64, bool, error) {
	raw, err := gzipBytes(f.RawHTML)
	if err != nil {
		return 0, false, fmt.Errorf("store: compress page: %w", err)
	}
	sortAt := a.FetchedAt
	if a.PublishedAt != nil {
		sortAt = *a.PublishedAt
	}
	var id int64
	var created bool
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO articles (site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at,
				body_text, body_html, excerpt, image_url, site_name, language, word_count, raw_html_gz, fetched_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
			ON CONFLICT (canonical_url) DO UPDATE SET
				title = EXCLUDED.title, byline = EXCLUDED.byline, published_at = EXCLUDED.published_at,
				modified_at = EXCLUDED.modified_at, sort_at = EXCLUDED.sort_at, body_text = EXCLUDED.body_text,
				body_html = EXCLUDED.body_html, excerpt = EXCLUDED.excerpt, image_url = EXCLUDED.image_url,
				site_name = EXCLUDED.site_name, language = EXCLUDED.language, word_count = EXCLUDED.word_count,
				raw_html_gz = EXCLUDED.raw_html_gz, fetched_at = EXCLUDED.fetched_at, updated_at = now()
			RETURNING id, (xmax = 0)`,
			a.SiteID, a.URL, a.CanonicalURL, a.Title, a.Byline, a.PublishedAt, a.ModifiedAt, sortAt,
			a.Text, a.HTML, a.Excerpt, a.ImageURL, a.SiteName, a.Language, a.WordCount, raw, a.FetchedAt,
		).Scan(&id, &created)
		if err != nil {
			return fmt.Errorf("store: save article %s: %w", a.CanonicalURL, err)
		}
		if err := setAuthors(ctx, tx, id, a.Authors); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE urls SET state = 'fetched', reason = NULL, http_status = nullif($2, 0), etag = nullif($3, ''),
				last_modified = nullif($4, ''), content_hash = $5, attempts = attempts + 1, article_id = $6, fetched_at = now()
			WHERE id = $1`, urlID, f.HTTPStatus, f.ETag, f.LastModified, f.ContentHash, id)
		if err != nil {
			return fmt.Errorf("store: mark url fetched: %w", err)
		}
		return nil
	})
	return id, created, err
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

func gzipBytes(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
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
	array(SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
	      WHERE aa.article_id = a.id ORDER BY aa.position)`

func scanArticle(row pgx.Row, extra ...any) (newsline.Article, time.Time, error) {
	var a newsline.Article
	var sortAt time.Time
	dest := []any{&a.ID, &a.SiteID, &a.Site, &a.URL, &a.CanonicalURL, &a.Title, &a.Byline, &a.PublishedAt, &a.ModifiedAt,
		&a.Excerpt, &a.ImageURL, &a.SiteName, &a.Language, &a.WordCount, &a.FetchedAt, &a.CreatedAt, &a.UpdatedAt, &sortAt,
		&a.Authors}
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
		t, id, err := decodeCursor(p.Cursor)
		if err != nil {
			return page, err
		}
		curTime, curID = &t, &id
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sites s ON s.id = a.site_id
		WHERE ($1::bigint IS NULL OR a.site_id = $1)
		  AND ($2::timestamptz IS NULL OR (a.sort_at, a.id) < ($2, $3))
		ORDER BY a.sort_at DESC, a.id DESC
		LIMIT $4`, siteID, curTime, curID, p.Limit+1)
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
			page.NextCursor = encodeCursor(lastSort, page.Articles[len(page.Articles)-1].ID)
			break
		}
		page.Articles = append(page.Articles, a)
		lastSort = sortAt
	}
	return page, rows.Err()
}

func encodeCursor(t time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixMicro(), 10) + ":" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (time.Time, int64, error) {
	bad := newsline.Errorf(newsline.EINVALID, "invalid cursor %q: pass the next_cursor of the previous page", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, bad
	}
	ts, idStr, ok := strings.Cut(string(raw), ":")
	if !ok {
		return time.Time{}, 0, bad
	}
	us, err1 := strconv.ParseInt(ts, 10, 64)
	id, err2 := strconv.ParseInt(idStr, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, bad
	}
	return time.UnixMicro(us), id, nil
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
