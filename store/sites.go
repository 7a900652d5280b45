package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

const siteColumns = `id, host, name, start_urls, feeds, extra_hosts, schedule, delay_ms, max_pages, enabled, allow_private,
	include_patterns, exclude_patterns, max_depth, max_concurrency, refetch_after_s, created_at, updated_at, follow_article_links, languages`

// sitePrefixedColumns is siteColumns for a query where sites is "s".
const sitePrefixedColumns = `s.id, s.host, s.name, s.start_urls, s.feeds, s.extra_hosts, s.schedule, s.delay_ms, s.max_pages,
	s.enabled, s.allow_private, s.include_patterns, s.exclude_patterns, s.max_depth, s.max_concurrency, s.refetch_after_s,
	s.created_at, s.updated_at, s.follow_article_links, s.languages`

func scanSite(row pgx.Row, extra ...any) (newsline.Site, error) {
	var s newsline.Site
	var delayMS int64
	var refetch []int64
	dest := []any{&s.ID, &s.Host, &s.Name, &s.StartURLs, &s.Feeds, &s.ExtraHosts, &s.Schedule,
		&delayMS, &s.MaxPages, &s.Enabled, &s.AllowPrivate, &s.Include, &s.Exclude, &s.MaxDepth, &s.MaxConcurrency,
		&refetch, &s.CreatedAt, &s.UpdatedAt, &s.FollowArticleLinks, &s.Languages}
	err := row.Scan(append(dest, extra...)...)
	s.Delay = time.Duration(delayMS) * time.Millisecond
	for _, r := range refetch {
		s.RefetchAfter = append(s.RefetchAfter, time.Duration(r)*time.Second)
	}
	return s, err
}

func siteNotFound(host string) error {
	return newsline.Errorf(newsline.ENOTFOUND, "no site %q on the whitelist", host)
}

// UpsertSite inserts a site or updates the one with the same host, and
// reports whether it was new.
func (db *DB) UpsertSite(ctx context.Context, s newsline.Site) (newsline.Site, bool, error) {
	if s.MaxDepth == 0 {
		s.MaxDepth = 3
	}
	if s.MaxConcurrency == 0 {
		s.MaxConcurrency = 2
	}
	if s.RefetchAfter == nil {
		s.RefetchAfter = []time.Duration{time.Hour, 24 * time.Hour}
	}
	refetch := make([]int64, 0, len(s.RefetchAfter))
	for _, d := range s.RefetchAfter {
		refetch = append(refetch, int64(d/time.Second))
	}
	var created bool
	out, err := scanSite(db.Pool.QueryRow(ctx, `
		INSERT INTO sites (host, name, start_urls, feeds, extra_hosts, schedule, delay_ms, max_pages, enabled, allow_private,
			include_patterns, exclude_patterns, max_depth, max_concurrency, refetch_after_s, follow_article_links, languages)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (host) DO UPDATE SET
			name = EXCLUDED.name, start_urls = EXCLUDED.start_urls, feeds = EXCLUDED.feeds,
			extra_hosts = EXCLUDED.extra_hosts, schedule = EXCLUDED.schedule, delay_ms = EXCLUDED.delay_ms,
			max_pages = EXCLUDED.max_pages, enabled = EXCLUDED.enabled, allow_private = EXCLUDED.allow_private,
			include_patterns = EXCLUDED.include_patterns, exclude_patterns = EXCLUDED.exclude_patterns,
			max_depth = EXCLUDED.max_depth, max_concurrency = EXCLUDED.max_concurrency,
			refetch_after_s = EXCLUDED.refetch_after_s, follow_article_links = EXCLUDED.follow_article_links,
			languages = EXCLUDED.languages, updated_at = now()
		RETURNING `+siteColumns+`, (xmax = 0)`,
		s.Host, s.Name, newsline.NonNil(s.StartURLs), newsline.NonNil(s.Feeds), newsline.NonNil(s.ExtraHosts), s.Schedule,
		s.Delay.Milliseconds(), s.MaxPages, s.Enabled, s.AllowPrivate, newsline.NonNil(s.Include), newsline.NonNil(s.Exclude),
		s.MaxDepth, s.MaxConcurrency, refetch, s.FollowArticleLinks, newsline.NonNil(s.Languages)), &created)
	if err != nil {
		return out, false, fmt.Errorf("store: upsert site %s: %w", s.Host, err)
	}
	return out, created, nil
}

// SyncSites upserts every site of a whitelist file. It never deletes: sites
// added at run time stay until removed.
func (db *DB) SyncSites(ctx context.Context, sites []newsline.Site) (created, updated int, err error) {
	for _, s := range sites {
		_, isNew, err := db.UpsertSite(ctx, s)
		if err != nil {
			return created, updated, err
		}
		if isNew {
			created++
		} else {
			updated++
		}
	}
	return created, updated, nil
}

// Site returns the site with the given host.
func (db *DB) Site(ctx context.Context, host string) (newsline.Site, error) {
	s, err := scanSite(db.Reads().QueryRow(ctx, `SELECT `+siteColumns+` FROM sites WHERE host = lower($1)`, host))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, siteNotFound(host)
	}
	if err != nil {
		return s, fmt.Errorf("store: site %s: %w", host, err)
	}
	return s, nil
}

// Sites lists every site by host.
func (db *DB) Sites(ctx context.Context) ([]newsline.Site, error) {
	rows, err := db.Reads().Query(ctx, `SELECT `+siteColumns+` FROM sites ORDER BY host`)
	if err != nil {
		return nil, fmt.Errorf("store: list sites: %w", err)
	}
	defer rows.Close()
	var out []newsline.Site
	for rows.Next() {
		s, err := scanSite(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list sites: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SiteHosts lists every host, for "did you mean" suggestions.
func (db *DB) SiteHosts(ctx context.Context) ([]string, error) {
	sites, err := db.Sites(ctx)
	if err != nil {
		return nil, err
	}
	hosts := make([]string, len(sites))
	for i, s := range sites {
		hosts[i] = s.Host
	}
	return hosts, nil
}

// DeleteSite removes a site with its URLs and articles, and returns how
// many articles went with it.
func (db *DB) DeleteSite(ctx context.Context, host string) (int64, error) {
	var articles int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM sites WHERE host = lower($1) FOR UPDATE`, host).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return siteNotFound(host)
			}
			return fmt.Errorf("store: delete site %s: %w", host, err)
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM articles WHERE site_id = $1`, id).Scan(&articles); err != nil {
			return fmt.Errorf("store: delete site %s: %w", host, err)
		}
		// Articles first: urls point at them, and deleting the site would
		// cascade to both in an order that trips the urls foreign key.
		if _, err := tx.Exec(ctx, `DELETE FROM urls WHERE site_id = $1`, id); err != nil {
			return fmt.Errorf("store: delete site %s: %w", host, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sites WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: delete site %s: %w", host, err)
		}
		return nil
	})
	return articles, err
}

// SiteStats summarizes a site's crawling.
type SiteStats struct {
	Articles      int64            // stored articles
	Updated       int64            // corrections picked up by re-fetches
	Aliases       int64            // URLs found to be copies of a stored article
	URLsByState   map[string]int64 // new, queued, fetched, failed
	FailuresBy    map[string]int64 // failed URLs by reason
	LastFetchedAt *time.Time
	LastArticleAt *time.Time
	Runs          int64          // crawl runs recorded
	LastRunAt     *time.Time     // start of the latest crawl run
	LastSuccessAt *time.Time     // start of the latest crawl run that did not fail
	LastError     string         // error of the latest run, if it failed
	LastFailures  map[string]int // discovery failures of the latest run, by reason
	// Stuck counts URLs queued for longer than StuckAfter: their fetch
	// neither happened nor failed for good, and the next crawl looks
	// their task up and replaces it if it will never run.
	Stuck int64
	// Requeued counts, over the recorded crawls, queued URLs a crawl
	// found without a live fetch task and queued again.
	Requeued int64
}

// StuckAfter is how long a URL may stay queued before its site's
// statistics call it stuck: longer than a fetch's retries take (about
// five minutes) plus a long queue's wait.
const StuckAfter = time.Hour

// Stats returns crawl statistics for one site.
func (db *DB) Stats(ctx context.Context, siteID int64) (SiteStats, error) {
	st := SiteStats{URLsByState: map[string]int64{}, FailuresBy: map[string]int64{}}
	rows, err := db.Reads().Query(ctx, `SELECT state, coalesce(reason, ''), count(*) FROM urls WHERE site_id = $1 GROUP BY 1, 2`, siteID)
	if err != nil {
		return st, fmt.Errorf("store: site stats: %w", err)
	}
	for rows.Next() {
		var state, reason string
		var n int64
		if err := rows.Scan(&state, &reason, &n); err != nil {
			rows.Close()
			return st, fmt.Errorf("store: site stats: %w", err)
		}
		st.URLsByState[state] += n
		if state == "failed" {
			st.FailuresBy[reason] += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("store: site stats: %w", err)
	}
	err = db.Reads().QueryRow(ctx, `
		SELECT (SELECT count(*) FROM articles WHERE site_id = $1),
		       (SELECT coalesce(sum(revisions - 1), 0) FROM articles WHERE site_id = $1),
		       (SELECT count(*) FROM urls u JOIN articles a ON a.id = u.article_id WHERE u.site_id = $1 AND a.url <> u.url),
		       (SELECT max(fetched_at) FROM urls WHERE site_id = $1),
		       (SELECT max(created_at) FROM articles WHERE site_id = $1),
		       (SELECT count(*) FROM crawl_runs WHERE site_id = $1),
		       (SELECT max(started_at) FROM crawl_runs WHERE site_id = $1),
		       (SELECT max(started_at) FROM crawl_runs WHERE site_id = $1 AND error IS NULL),
		       coalesce((SELECT error FROM crawl_runs WHERE site_id = $1 ORDER BY started_at DESC LIMIT 1), ''),
		       coalesce((SELECT failures FROM crawl_runs WHERE site_id = $1 ORDER BY started_at DESC LIMIT 1), '{}'),
		       (SELECT count(*) FROM urls WHERE site_id = $1 AND state = 'queued' AND queued_at < now() - $2::interval),
		       (SELECT coalesce(sum(requeued), 0) FROM crawl_runs WHERE site_id = $1)`, siteID, StuckAfter).
		Scan(&st.Articles, &st.Updated, &st.Aliases, &st.LastFetchedAt, &st.LastArticleAt, &st.Runs, &st.LastRunAt,
			&st.LastSuccessAt, &st.LastError, &st.LastFailures, &st.Stuck, &st.Requeued)
	if err != nil {
		return st, fmt.Errorf("store: site stats: %w", err)
	}
	return st, nil
}

// SiteSummary is a site as its listing shows it.
type SiteSummary struct {
	newsline.Site
	Articles      int64      // stored articles, as SiteStats counts them
	LastArticleAt *time.Time // the newest article's time: published, else first fetched
	LastRun       *RunSummary
}

// RunSummary is the outcome of a site's latest crawl.
type RunSummary struct {
	StartedAt  time.Time
	FinishedAt time.Time
	Error      string // empty when the crawl succeeded
}

// SiteSummaries lists every site by host with its article count, newest
// article and latest crawl, in one statement: each figure is an index
// lookup per site (the count an index-only scan of the site's range).
func (db *DB) SiteSummaries(ctx context.Context) ([]SiteSummary, error) {
	return db.siteSummaries(ctx, "")
}

// SiteSummary is SiteSummaries' item for one host; ENOTFOUND when the
// whitelist does not have it.
func (db *DB) SiteSummary(ctx context.Context, host string) (SiteSummary, error) {
	out, err := db.siteSummaries(ctx, host)
	if err != nil {
		return SiteSummary{}, err
	}
	if len(out) == 0 {
		return SiteSummary{}, siteNotFound(host)
	}
	return out[0], nil
}

func (db *DB) siteSummaries(ctx context.Context, host string) ([]SiteSummary, error) {
	rows, err := db.Reads().Query(ctx, `
		SELECT `+sitePrefixedColumns+`,
		       (SELECT count(*) FROM articles a WHERE a.site_id = s.id),
		       (SELECT max(a.sort_at) FROM articles a WHERE a.site_id = s.id),
		       r.started_at, r.finished_at, coalesce(r.error, '')
		FROM sites s
		LEFT JOIN LATERAL (SELECT started_at, finished_at, error FROM crawl_runs
		                   WHERE site_id = s.id ORDER BY started_at DESC LIMIT 1) r ON true
		WHERE $1 = '' OR s.host = lower($1)
		ORDER BY s.host`, host)
	if err != nil {
		return nil, fmt.Errorf("store: site summaries: %w", err)
	}
	defer rows.Close()
	var out []SiteSummary
	for rows.Next() {
		var sum SiteSummary
		var started, finished *time.Time
		var runErr string
		site, err := scanSite(rows, &sum.Articles, &sum.LastArticleAt, &started, &finished, &runErr)
		if err != nil {
			return nil, fmt.Errorf("store: site summaries: %w", err)
		}
		sum.Site = site
		if started != nil && finished != nil {
			sum.LastRun = &RunSummary{StartedAt: *started, FinishedAt: *finished, Error: runErr}
		}
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: site summaries: %w", err)
	}
	return out, nil
}
