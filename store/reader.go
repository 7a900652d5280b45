package store

import (
	"context"
	"fmt"

	"github.com/newsline/newsline"
)

// IsBookmarked reports whether a user has bookmarked an article, for the
// button on the article's page.
func (db *DB) IsBookmarked(ctx context.Context, userID, articleID int64) (bool, error) {
	var ok bool
	err := db.Reads().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM bookmarks WHERE user_id = $1 AND article_id = $2)`,
		userID, articleID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: is bookmarked: %w", err)
	}
	return ok, nil
}

// IsFollowing reports whether a user follows a site (kind "site", by
// host) or an author (kind "author", by slug or name).
func (db *DB) IsFollowing(ctx context.Context, userID int64, kind, name string) (bool, error) {
	q := `SELECT EXISTS (SELECT 1 FROM follows_sites f JOIN sites s ON s.id = f.site_id WHERE f.user_id = $1 AND s.host = lower($2))`
	if kind == "author" {
		q = `SELECT EXISTS (SELECT 1 FROM follows_authors WHERE user_id = $1 AND author_slug = $2)`
		name = newsline.Slug(name)
	}
	var ok bool
	if err := db.Reads().QueryRow(ctx, q, userID, name).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: is following: %w", err)
	}
	return ok, nil
}
