package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// ReextractFilter selects the articles a re-extraction works on: those
// made by an extractor older than Version (and with their page kept),
// optionally narrowed to one site, to articles fetched since a time, to
// one kind, and to an id range.
type ReextractFilter struct {
	Version int       // the current extractor's: articles below it are due
	SiteID  int64     // 0: every site
	Since   time.Time // zero: any time; else fetched_at >= Since
	Kind    string    // "": any kind
	From    int64     // 0: no lower bound; else id >= From
	To      int64     // 0: no upper bound; else id <= To
}

// where returns the filter's WHERE clause, its arguments numbered from 1,
// and the next free argument number.
func (f ReextractFilter) where() (string, []any, int) {
	conds := []string{"extractor_version < $1", "(raw_html IS NOT NULL OR raw_html_gz IS NOT NULL)"}
	args := []any{f.Version}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.SiteID != 0 {
		add("site_id = $?", f.SiteID)
	}
	if !f.Since.IsZero() {
		add("fetched_at >= $?", f.Since)
	}
	if f.Kind != "" {
		add("kind = $?", f.Kind)
	}
	if f.From != 0 {
		add("id >= $?", f.From)
	}
	if f.To != 0 {
		add("id <= $?", f.To)
	}
	return strings.Join(conds, " AND "), args, len(args) + 1
}

// CountReextract counts the articles f selects.
func (db *DB) CountReextract(ctx context.Context, f ReextractFilter) (int, error) {
	where, args, _ := f.where()
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM articles WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count articles to re-extract: %w", err)
	}
	return n, nil
}

// ReextractIDs returns the ids of up to limit articles f selects after id
// after, in id order: the keyset a re-extraction walks.
func (db *DB) ReextractIDs(ctx context.Context, f ReextractFilter, after int64, limit int) ([]int64, error) {
	where, args, n := f.where()
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`SELECT id FROM articles WHERE %s AND id > $%d ORDER BY id LIMIT $%d`,
		where, n, n+1), append(args, after, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: articles to re-extract: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: articles to re-extract: %w", err)
	}
	return ids, nil
}

// RawArticle is a stored article's kept page and what a re-extraction
// compares its new result with.
type RawArticle struct {
	ID          int64
	SiteID      int64
	URL         string // the URL the page was fetched from
	Page        []byte // the page as fetched (UTF-8)
	Kind        string
	ContentHash []byte   // SHA-256 of the stored text
	Languages   []string // the site's declared languages (sites.languages)
}

// RawArticles returns up to limit articles f selects after id after, in
// id order, with their kept pages.
func (db *DB) RawArticles(ctx context.Context, f ReextractFilter, after int64, limit int) ([]RawArticle, error) {
	where, args, n := f.where()
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`
		SELECT id, site_id, url, raw_html, raw_html_gz, kind, content_hash,
			(SELECT languages FROM sites WHERE sites.id = articles.site_id)
		FROM articles WHERE %s AND id > $%d ORDER BY id LIMIT $%d`, where, n, n+1), append(args, after, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: articles to re-extract: %w", err)
	}
	defer rows.Close()
	var out []RawArticle
	for rows.Next() {
		var r RawArticle
		var gz []byte
		if err := rows.Scan(&r.ID, &r.SiteID, &r.URL, &r.Page, &gz, &r.Kind, &r.ContentHash, &r.Languages); err != nil {
			return nil, fmt.Errorf("store: articles to re-extract: %w", err)
		}
		if r.Page == nil {
			if r.Page, err = gunzip(gz); err != nil {
				return nil, fmt.Errorf("store: article %d's kept page: %w", r.ID, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: articles to re-extract: %w", err)
	}
	return out, nil
}

// gunzip decompresses a page kept gzipped (raw_html_gz, before lz4).
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// Reextracted is an article extracted again from its kept page.
type Reextracted struct {
	ID          int64
	Article     *newsline.Article // nil: extraction failed for good; only the version is stamped
	ContentHash []byte            // SHA-256 of Article.Text
	SimHash     uint64
	Version     int // the extractor's
}

// SaveReextracted writes re-extracted articles in one transaction: every
// extracted field the crawler's save path writes (the search vector and
// the keyword index follow by trigger, the authors are linked again) and
// the extractor version. The URL, canonical URL, kept page, fetch time and
// revision count stay: the page is the same, only its reading changed.
// An item without an article only gets its version stamped, so a page
// the extractor rejects is not tried again until the next version.
func (db *DB) SaveReextracted(ctx context.Context, items []Reextracted) error {
	if len(items) == 0 {
		return nil
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: save re-extracted articles: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	b := &pgx.Batch{}
	var authored []*saveItem
	for _, r := range items {
		if r.Article == nil {
			b.Queue(`UPDATE articles SET extractor_version = $2 WHERE id = $1`, r.ID, r.Version)
			continue
		}
		queueReextracted(b, r)
		authored = append(authored, &saveItem{a: r.Article, target: r.ID, res: SaveResult{ArticleID: r.ID, Outcome: SavedUpdated}})
	}
	queueAuthors(b, authored)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: save re-extracted articles: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: save re-extracted articles: %w", err)
	}
	return nil
}

// queueReextracted queues the update of one re-extracted article, with
// the columns and defaults of the crawler's update (queueUpdates).
func queueReextracted(b *pgx.Batch, r Reextracted) {
	a := r.Article
	b.Queue(`
		UPDATE articles SET title = $2, byline = $3, published_at = coalesce($4, published_at),
			modified_at = $5, sort_at = coalesce($4, sort_at), body_text = $6, body_html = $7, excerpt = $8,
			image_url = $9, site_name = $10, language = $11, word_count = $12, content_hash = $13, simhash = $14,
			updated_at = now(), ts_config = $15::regconfig, section = $16, keywords = $17, summary = $18, kind = $19,
			kind_reason = $20, completeness = $21, field_sources = $22, section_key = $23, extractor_version = $24
		WHERE id = $1`,
		r.ID, a.Title, a.Byline, a.PublishedAt, a.ModifiedAt, a.Text, a.HTML, a.Excerpt, a.ImageURL,
		a.SiteName, a.Language, a.WordCount, r.ContentHash, int64(r.SimHash),
		tsConfig(a), a.Section, newsline.NonNil(a.Keywords), a.Summary, kind(a), a.KindReason, completeness(a), sources(a),
		newsline.Slug(a.Section), r.Version)
}
