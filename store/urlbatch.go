package store

import (
	"context"
	"time"
)

// PendingCursor is where a batched walk of a site's pending URLs
// (PendingURLsAfter) stands: the listed URLs (from feeds and sitemaps)
// by id, then the links found on pages by id. The zero value starts it.
type PendingCursor struct {
	Pages bool  // the walk is among the links found on pages
	After int64 // the last id returned
}

// PendingURLsAfter returns the next batch of up to limit URLs of a site
// that still wait for a fetch, in PendingURLs' order (listed first, then
// linked, each oldest first), and the cursor after it. A crawl queues its
// fetches batch by batch instead of holding every pending URL at once.
// An empty batch ends the walk.
func (db *DB) PendingURLsAfter(ctx context.Context, siteID int64, c PendingCursor, limit int) ([]URL, PendingCursor, error) {
	for {
		out, err := db.queryURLs(ctx, "pending urls", `
			SELECT `+urlColumns+`
			FROM urls WHERE site_id = $1 AND state IN ('new', 'queued') AND (source = 'page') = $2 AND id > $3
			ORDER BY id LIMIT $4`, siteID, c.Pages, c.After, limit)
		if err != nil {
			return nil, c, err
		}
		if len(out) > 0 {
			c.After = out[len(out)-1].ID
			return out, c, nil
		}
		if c.Pages {
			return nil, c, nil
		}
		c = PendingCursor{Pages: true}
	}
}

// RefetchCursor is where a batched walk of a site's due re-fetches
// (DueRefetchesAfter) stands. The zero value starts it.
type RefetchCursor struct {
	At    time.Time // next_fetch_at of the last URL returned
	After int64     // its id
}

// DueRefetchesAfter returns the next batch of up to limit fetched URLs of
// a site whose re-fetch is due, most overdue first (ties by id), and the
// cursor after it. An empty batch ends the walk.
func (db *DB) DueRefetchesAfter(ctx context.Context, siteID int64, c RefetchCursor, limit int) ([]URL, RefetchCursor, error) {
	out, err := db.queryURLs(ctx, "due refetches", `
		SELECT `+urlColumns+`
		FROM urls WHERE site_id = $1 AND state = 'fetched' AND next_fetch_at <= now()
			AND ($3::bigint = 0 OR (next_fetch_at, id) > ($2, $3))
		ORDER BY next_fetch_at, id LIMIT $4`, siteID, c.At, c.After, limit)
	if err != nil {
		return nil, c, err
	}
	if len(out) > 0 {
		last := out[len(out)-1]
		c = RefetchCursor{At: *last.NextFetchAt, After: last.ID}
	}
	return out, c, nil
}
