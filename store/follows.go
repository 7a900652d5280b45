package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
)

// FollowSite makes a user follow a site by host; following it again is no
// error. An unknown host is ENOTFOUND.
func (db *DB) FollowSite(ctx context.Context, userID int64, host string) error {
	tag, err := db.Pool.Exec(ctx, `INSERT INTO follows_sites (user_id, site_id)
		SELECT $1, id FROM sites WHERE host = lower($2) ON CONFLICT DO NOTHING`, userID, host)
	if err != nil {
		return fmt.Errorf("store: follow site %s: %w", host, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := db.Site(ctx, host); err != nil {
			return err // ENOTFOUND, or the database's error
		}
	}
	return nil
}

// UnfollowSite stops a user following a site; one the user does not
// follow is ENOTFOUND.
func (db *DB) UnfollowSite(ctx context.Context, userID int64, host string) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM follows_sites f USING sites s
		WHERE f.user_id = $1 AND f.site_id = s.id AND s.host = lower($2)`, userID, host)
	if err != nil {
		return fmt.Errorf("store: unfollow site %s: %w", host, err)
	}
	if tag.RowsAffected() == 0 {
		return newsline.Errorf(newsline.ENOTFOUND, "you do not follow the site %q", host)
	}
	return nil
}

// FollowAuthor makes a user follow an author by slug (every author row
// with that slug). An author nobody has is ENOTFOUND.
func (db *DB) FollowAuthor(ctx context.Context, userID int64, slug string) error {
	tag, err := db.Pool.Exec(ctx, `INSERT INTO follows_authors (user_id, author_slug)
		SELECT $1, $2 WHERE $2 <> '' AND EXISTS (SELECT 1 FROM authors WHERE slug = $2)
		ON CONFLICT DO NOTHING`, userID, slug)
	if err != nil {
		return fmt.Errorf("store: follow author %s: %w", slug, err)
	}
	if tag.RowsAffected() == 0 {
		var known bool
		if err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM authors WHERE slug = $1 AND slug <> '')`, slug).Scan(&known); err != nil {
			return fmt.Errorf("store: follow author %s: %w", slug, err)
		}
		if !known {
			return newsline.Errorf(newsline.ENOTFOUND, "no author %q", slug)
		}
	}
	return nil
}

// UnfollowAuthor stops a user following an author; one the user does not
// follow is ENOTFOUND.
func (db *DB) UnfollowAuthor(ctx context.Context, userID int64, slug string) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM follows_authors WHERE user_id = $1 AND author_slug = $2`, userID, slug)
	if err != nil {
		return fmt.Errorf("store: unfollow author %s: %w", slug, err)
	}
	if tag.RowsAffected() == 0 {
		return newsline.Errorf(newsline.ENOTFOUND, "you do not follow the author %q", slug)
	}
	return nil
}

// FollowedSite is a site a user follows.
type FollowedSite struct {
	Host, Name string
	Since      time.Time
}

// FollowedAuthor is an author a user follows, by slug, with the name
// most of the slug's articles carry.
type FollowedAuthor struct {
	Slug, Name string
	Since      time.Time
}

// Follows lists the sites (by host) and authors (by slug) a user follows.
func (db *DB) Follows(ctx context.Context, userID int64) ([]FollowedSite, []FollowedAuthor, error) {
	rows, err := db.Reads().Query(ctx, `SELECT s.host, s.name, f.created_at FROM follows_sites f JOIN sites s ON s.id = f.site_id
		WHERE f.user_id = $1 ORDER BY s.host`, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: follows: %w", err)
	}
	sites, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FollowedSite, error) {
		var f FollowedSite
		return f, r.Scan(&f.Host, &f.Name, &f.Since)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: follows: %w", err)
	}
	rows, err = db.Reads().Query(ctx, `SELECT f.author_slug, coalesce((
			SELECT au.name FROM authors au WHERE au.slug = f.author_slug
			ORDER BY (SELECT count(*) FROM article_authors aa WHERE aa.author_id = au.id) DESC, au.name LIMIT 1), f.author_slug),
			f.created_at
		FROM follows_authors f WHERE f.user_id = $1 ORDER BY f.author_slug`, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: follows: %w", err)
	}
	authors, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FollowedAuthor, error) {
		var f FollowedAuthor
		return f, r.Scan(&f.Slug, &f.Name, &f.Since)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: follows: %w", err)
	}
	return sites, authors, nil
}

// followedWhere is the condition on articles "a" that selects those of
// the sites and authors user $1 follows.
const followedWhere = `(a.site_id IN (SELECT site_id FROM follows_sites WHERE user_id = $1)
	OR a.id IN (SELECT aa.article_id FROM follows_authors f JOIN authors au ON au.slug = f.author_slug
	            JOIN article_authors aa ON aa.author_id = au.id WHERE f.user_id = $1))`

// FollowedArticles lists the articles (kind article) of the sites and
// authors a user follows, newest first, with keyset pagination.
func (db *DB) FollowedArticles(ctx context.Context, userID int64, cur string, limit int) (ArticlePage, error) {
	var page ArticlePage
	if limit < 1 || limit > MaxPageSize {
		return page, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", MaxPageSize)
	}
	args := sqlArgs{userID}
	where := "a.kind = 'article' AND " + followedWhere
	if cur != "" {
		t, id, err := cursor.Decode(cur)
		if err != nil {
			return page, err
		}
		where += " AND (a.sort_at, a.id) < (" + args.add(t) + ", " + args.add(id) + ")"
	}
	rows, err := db.Reads().Query(ctx, `SELECT `+ArticleColumns+` FROM articles a JOIN sites s ON s.id = a.site_id
		WHERE `+where+` ORDER BY a.sort_at DESC, a.id DESC LIMIT `+args.add(limit+1), args...)
	if err != nil {
		return page, fmt.Errorf("store: my feed: %w", err)
	}
	defer rows.Close()
	var lastSort time.Time
	for rows.Next() {
		a, sortAt, err := ScanArticle(rows)
		if err != nil {
			return page, fmt.Errorf("store: my feed: %w", err)
		}
		if len(page.Articles) == limit {
			page.NextCursor = cursor.Encode(lastSort, page.Articles[len(page.Articles)-1].ID)
			break
		}
		page.Articles = append(page.Articles, a)
		lastSort = sortAt
	}
	return page, rows.Err()
}

// articleExists reports whether an article with this id is stored.
func (db *DB) articleExists(ctx context.Context, id int64) error {
	var ok bool
	if err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE id = $1)`, id).Scan(&ok); err != nil {
		return fmt.Errorf("store: article %d: %w", id, err)
	}
	if !ok {
		return newsline.Errorf(newsline.ENOTFOUND, "no article with id %d", id)
	}
	return nil
}
