package store

import (
	"context"
	"fmt"
	"time"
)

// Source is a feed or sitemap of a site with the validators of its last
// fetch, for conditional GET.
type Source struct {
	URL          string
	Kind         string
	ETag         string
	LastModified string
	Status       int
}

// Sources returns a site's feeds and sitemaps as last fetched.
func (db *DB) Sources(ctx context.Context, siteID int64) ([]Source, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT url, kind, coalesce(etag, ''), coalesce(last_modified, ''), coalesce(last_status, 0)
		FROM sources WHERE site_id = $1`, siteID)
	if err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var s Source
		if err := rows.Scan(&s.URL, &s.Kind, &s.ETag, &s.LastModified, &s.Status); err != nil {
			return nil, fmt.Errorf("store: sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SaveSources records what the latest crawl learned about a site's feeds
// and sitemaps. A 304 keeps the validators it was asked with.
func (db *DB) SaveSources(ctx context.Context, siteID int64, sources []Source) error {
	for _, s := range sources {
		_, err := db.Pool.Exec(ctx, `
			INSERT INTO sources (site_id, url, kind, etag, last_modified, last_status, fetched_at)
			VALUES ($1, $2, $3, nullif($4, ''), nullif($5, ''), $6, now())
			ON CONFLICT (site_id, url) DO UPDATE SET kind = EXCLUDED.kind, last_status = EXCLUDED.last_status,
				fetched_at = now(),
				etag = CASE WHEN EXCLUDED.last_status = 304 THEN sources.etag ELSE EXCLUDED.etag END,
				last_modified = CASE WHEN EXCLUDED.last_status = 304 THEN sources.last_modified ELSE EXCLUDED.last_modified END`,
			siteID, s.URL, s.Kind, s.ETag, s.LastModified, s.Status)
		if err != nil {
			return fmt.Errorf("store: save source %s: %w", s.URL, err)
		}
	}
	return nil
}

// CrawlRun is one run of crawl:site.
type CrawlRun struct {
	SiteID      int64
	StartedAt   time.Time
	FinishedAt  time.Time
	Pages       int
	NotModified int
	Links       int
	NewURLs     int
	Queued      int
	Requeued    int            // queued URLs whose task was lost, queued again
	Failures    map[string]int // discovery failures by reason
	Error       string
}

// RecordCrawlRun stores a crawl's summary.
func (db *DB) RecordCrawlRun(ctx context.Context, r CrawlRun) error {
	_, err := db.Pool.Exec(ctx, `
		INSERT INTO crawl_runs (site_id, started_at, finished_at, pages, not_modified, links, new_urls, queued, requeued, failures, error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($11, ''))`,
		r.SiteID, r.StartedAt, r.FinishedAt, r.Pages, r.NotModified, r.Links, r.NewURLs, r.Queued, r.Requeued,
		nonNilMap(r.Failures), r.Error)
	if err != nil {
		return fmt.Errorf("store: record crawl run: %w", err)
	}
	return nil
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
