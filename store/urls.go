package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// URL states.
const (
	URLNew     = "new"
	URLQueued  = "queued"
	URLFetched = "fetched"
	URLFailed  = "failed"
)

// URL is one discovered URL and what became of it.
type URL struct {
	ID           int64
	SiteID       int64
	URL          string
	State        string
	Reason       string
	HTTPStatus   int
	ETag         string
	LastModified string
	Attempts     int
	ArticleID    *int64
	FetchCount   int
	NextFetchAt  *time.Time
}

// How a URL was found (urls.source).
const (
	SourceFeed    = "feed"    // an entry of an RSS or Atom feed
	SourceSitemap = "sitemap" // an entry of a sitemap or news sitemap
	SourcePage    = "page"    // a link on a page
)

// AddURLs records URLs linked from pages for a site and returns how many
// were new. URLs already known, in any state, are left as they are.
func (db *DB) AddURLs(ctx context.Context, siteID int64, urls []string) (int, error) {
	return db.AddURLsFrom(ctx, siteID, SourcePage, urls)
}

// AddURLsFrom records URLs found in source (SourceFeed, SourceSitemap or
// SourcePage) for a site, in order, and returns how many were new. A known
// URL keeps its state; one known only as a page's link that a feed or
// sitemap now lists takes that source, so it is fetched among the listed.
func (db *DB) AddURLsFrom(ctx context.Context, siteID int64, source string, urls []string) (int, error) {
	if len(urls) == 0 {
		return 0, nil
	}
	rows, err := db.Pool.Query(ctx, `
		INSERT INTO urls (site_id, url, source)
		SELECT $1, u, $3 FROM unnest($2::text[]) WITH ORDINALITY AS t (u, n) GROUP BY u ORDER BY min(n)
		ON CONFLICT (url) DO UPDATE SET source = EXCLUDED.source
			WHERE urls.source = 'page' AND EXCLUDED.source <> 'page'
		RETURNING xmax = 0`, siteID, urls, source)
	if err != nil {
		return 0, fmt.Errorf("store: add urls: %w", err)
	}
	inserted, err := pgx.CollectRows(rows, pgx.RowTo[bool])
	if err != nil {
		return 0, fmt.Errorf("store: add urls: %w", err)
	}
	n := 0
	for _, ins := range inserted {
		if ins {
			n++
		}
	}
	return n, nil
}

// RecordURL returns URL u of a site, recording it from source first when
// it is new.
func (db *DB) RecordURL(ctx context.Context, siteID int64, u, source string) (URL, error) {
	out, err := scanURL(db.Pool.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO urls (site_id, url, source) VALUES ($1, $2, $3)
			ON CONFLICT (url) DO NOTHING
			RETURNING `+urlColumns+`)
		SELECT * FROM ins
		UNION ALL
		SELECT `+urlColumns+` FROM urls WHERE url = $2 AND NOT EXISTS (SELECT 1 FROM ins)`, siteID, u, source))
	if err != nil {
		return out, fmt.Errorf("store: record url: %w", err)
	}
	return out, nil
}

// KnownURLs returns which of urls are recorded as article candidates:
// every recorded URL but those that turned out to be index pages.
// Discovery leaves them to their fetch tasks.
func (db *DB) KnownURLs(ctx context.Context, urls []string) (map[string]bool, error) {
	known := map[string]bool{}
	if len(urls) == 0 {
		return known, nil
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT u.url FROM urls u LEFT JOIN articles a ON a.id = u.article_id
		WHERE u.url = ANY($1) AND a.kind IS DISTINCT FROM 'index'`, urls)
	if err != nil {
		return nil, fmt.Errorf("store: known urls: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: known urls: %w", err)
	}
	for _, u := range found {
		known[u] = true
	}
	return known, nil
}

// urlColumns are the columns scanURL reads.
const urlColumns = `id, site_id, url, state, coalesce(reason, ''), coalesce(http_status, 0),
	coalesce(etag, ''), coalesce(last_modified, ''), attempts, article_id, fetch_count, next_fetch_at`

// PendingURLs returns up to limit URLs of a site that still wait for a
// fetch (new, or queued by a crawl whose task may have been lost): those
// a feed or sitemap lists first, then links found on pages, each oldest
// first.
func (db *DB) PendingURLs(ctx context.Context, siteID int64, limit int) ([]URL, error) {
	return db.queryURLs(ctx, "pending urls", `
		SELECT `+urlColumns+`
		FROM urls WHERE site_id = $1 AND state IN ('new', 'queued')
		ORDER BY source = 'page', id LIMIT $2`, siteID, limit)
}

// queryURLs runs query, which selects urlColumns, and scans its rows; what
// names the list in errors.
func (db *DB) queryURLs(ctx context.Context, what, query string, args ...any) ([]URL, error) {
	rows, err := db.Pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (URL, error) { return scanURL(r) })
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

func scanURL(row pgx.Row) (URL, error) {
	var u URL
	err := row.Scan(&u.ID, &u.SiteID, &u.URL, &u.State, &u.Reason, &u.HTTPStatus, &u.ETag, &u.LastModified, &u.Attempts,
		&u.ArticleID, &u.FetchCount, &u.NextFetchAt)
	return u, err
}

// DueRefetches returns up to limit fetched URLs of a site whose next
// re-fetch (to pick up corrections) is due, most overdue first.
func (db *DB) DueRefetches(ctx context.Context, siteID int64, limit int) ([]URL, error) {
	return db.queryURLs(ctx, "due refetches", `
		SELECT `+urlColumns+`
		FROM urls WHERE site_id = $1 AND state = 'fetched' AND next_fetch_at <= now()
		ORDER BY next_fetch_at LIMIT $2`, siteID, limit)
}

// nextFetchSQL computes when a URL is next due, from the site's
// refetch_after_s ages and the fetch count after this fetch (NULL when the
// ages are used up). u is the urls row, s its site.
const nextFetchSQL = `coalesce(u.first_fetched_at, now()) + s.refetch_after_s[u.fetch_count + 1] * interval '1 second'`

// RecordNotModified notes a re-fetch that answered 304 and schedules the
// next one.
func (db *DB) RecordNotModified(ctx context.Context, urlID int64) error {
	_, err := db.Pool.Exec(ctx, `
		UPDATE urls u SET fetch_count = u.fetch_count + 1, fetched_at = now(), http_status = 304,
			next_fetch_at = `+nextFetchSQL+`
		FROM sites s WHERE s.id = u.site_id AND u.id = $1`, urlID)
	if err != nil {
		return fmt.Errorf("store: record not modified: %w", err)
	}
	return nil
}

// QueuedURLs is what a crawl's enqueuing did, for MarkQueued.
type QueuedURLs struct {
	IDs []int64 // every URL that now has a fetch task that will run
	// Replaced are URLs among IDs whose task would never have run again
	// (archived, or kept as completed) and was replaced.
	Replaced []int64
	// Lost are URLs among IDs that the crawl read as queued and whose
	// fetch could be enqueued anew: their task was lost, unless the fetch
	// ended meanwhile (the URL is no longer queued).
	Lost []int64
}

// MarkQueued moves new URLs to queued once their fetch task is enqueued,
// restarts the clock (see StuckAfter) of URLs whose task was replaced or
// lost, and returns how many of those there were.
func (db *DB) MarkQueued(ctx context.Context, q QueuedURLs) (requeued int, err error) {
	if len(q.IDs) == 0 {
		return 0, nil
	}
	err = db.Pool.QueryRow(ctx, `
		WITH marked AS (
			UPDATE urls SET state = CASE WHEN state = 'new' THEN 'queued' ELSE state END, queued_at = now()
			WHERE (id = ANY($1) AND state = 'new') OR id = ANY($2) OR (id = ANY($3) AND state = 'queued')
			RETURNING id)
		SELECT count(*) FILTER (WHERE id = ANY($2) OR id = ANY($3)) FROM marked`,
		newsline.NonNil(q.IDs), newsline.NonNil(q.Replaced), newsline.NonNil(q.Lost)).Scan(&requeued)
	if err != nil {
		return 0, fmt.Errorf("store: mark queued: %w", err)
	}
	return requeued, nil
}

// URLWithSite returns URL id and its site in one query: what a fetch task
// starts from.
func (db *DB) URLWithSite(ctx context.Context, id int64) (URL, newsline.Site, error) {
	var u URL
	site, err := scanSite(db.Pool.QueryRow(ctx, `
		SELECT `+sitePrefixedColumns+`, u.id, u.site_id, u.url, u.state, coalesce(u.reason, ''), coalesce(u.http_status, 0),
		       coalesce(u.etag, ''), coalesce(u.last_modified, ''), u.attempts, u.article_id, u.fetch_count, u.next_fetch_at
		FROM urls u JOIN sites s ON s.id = u.site_id WHERE u.id = $1`, id),
		&u.ID, &u.SiteID, &u.URL, &u.State, &u.Reason, &u.HTTPStatus, &u.ETag, &u.LastModified, &u.Attempts,
		&u.ArticleID, &u.FetchCount, &u.NextFetchAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, site, newsline.Errorf(newsline.ENOTFOUND, "no url with id %d", id)
	}
	if err != nil {
		return u, site, fmt.Errorf("store: url %d: %w", id, err)
	}
	return u, site, nil
}

// Failure describes why a URL could not be turned into an article.
type Failure struct {
	Reason     string // short machine-readable reason: robots, status_404, timeout, not_article, ...
	HTTPStatus int
	// Final marks a failure that will not be retried; a transient failure
	// leaves the URL queued so a retry or the next crawl picks it up.
	Final bool
}

// RecordFailure notes a failed fetch attempt on a URL.
func (db *DB) RecordFailure(ctx context.Context, urlID int64, f Failure) error {
	state := URLQueued
	if f.Final {
		state = URLFailed
	}
	_, err := db.Pool.Exec(ctx, `
		UPDATE urls SET state = $2, reason = $3, http_status = nullif($4, 0), attempts = attempts + 1, fetched_at = now()
		WHERE id = $1 AND state <> 'fetched'`, urlID, state, f.Reason, f.HTTPStatus)
	if err != nil {
		return fmt.Errorf("store: record failure: %w", err)
	}
	return nil
}

// URLCounts counts a site's URLs by state, or all sites' when siteID is 0.
func (db *DB) URLCounts(ctx context.Context, siteID int64) (map[string]int64, error) {
	rows, err := db.Pool.Query(ctx, `SELECT state, count(*) FROM urls WHERE ($1 = 0 OR site_id = $1) GROUP BY state`, siteID)
	if err != nil {
		return nil, fmt.Errorf("store: url counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: url counts: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}
