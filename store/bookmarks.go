package store

import (
	"context"
	"fmt"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
)

// Bookmark keeps an article for a user; bookmarking it again is no error
// and keeps its first time. An unknown article is ENOTFOUND.
func (db *DB) Bookmark(ctx context.Context, userID, articleID int64) error {
	tag, err := db.Pool.Exec(ctx, `INSERT INTO bookmarks (user_id, article_id)
		SELECT $1, id FROM articles WHERE id = $2 ON CONFLICT DO NOTHING`, userID, articleID)
	if err != nil {
		return fmt.Errorf("store: bookmark %d: %w", articleID, err)
	}
	if tag.RowsAffected() == 0 {
		return db.articleExists(ctx, articleID)
	}
	return nil
}

// Unbookmark removes a user's bookmark; an article the user has not
// bookmarked is ENOTFOUND, whoever else has.
func (db *DB) Unbookmark(ctx context.Context, userID, articleID int64) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM bookmarks WHERE user_id = $1 AND article_id = $2`, userID, articleID)
	if err != nil {
		return fmt.Errorf("store: unbookmark %d: %w", articleID, err)
	}
	if tag.RowsAffected() == 0 {
		return newsline.Errorf(newsline.ENOTFOUND, "you have not bookmarked article %d", articleID)
	}
	return nil
}

// BookmarkPage is one page of a user's bookmarks, newest bookmark first.
type BookmarkPage struct {
	Articles     []newsline.Article
	BookmarkedAt []time.Time // of each article
	NextCursor   string      // empty on the last page
}

// Bookmarks lists a user's bookmarked articles, the latest bookmark
// first, with keyset pagination on (bookmark time, article id).
func (db *DB) Bookmarks(ctx context.Context, userID int64, cur string, limit int) (BookmarkPage, error) {
	var page BookmarkPage
	if limit < 1 || limit > MaxPageSize {
		return page, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", MaxPageSize)
	}
	args := sqlArgs{userID}
	where := "b.user_id = $1"
	if cur != "" {
		t, id, err := cursor.Decode(cur)
		if err != nil {
			return page, err
		}
		where += " AND (b.created_at, b.article_id) < (" + args.add(t) + ", " + args.add(id) + ")"
	}
	rows, err := db.Reads().Query(ctx, `SELECT `+ArticleColumns+`, b.created_at
		FROM bookmarks b JOIN articles a ON a.id = b.article_id JOIN sites s ON s.id = a.site_id
		WHERE `+where+` ORDER BY b.created_at DESC, b.article_id DESC LIMIT `+args.add(limit+1), args...)
	if err != nil {
		return page, fmt.Errorf("store: bookmarks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		a, _, err := ScanArticle(rows, &at)
		if err != nil {
			return page, fmt.Errorf("store: bookmarks: %w", err)
		}
		if len(page.Articles) == limit {
			last := len(page.Articles) - 1
			page.NextCursor = cursor.Encode(page.BookmarkedAt[last], page.Articles[last].ID)
			break
		}
		page.Articles = append(page.Articles, a)
		page.BookmarkedAt = append(page.BookmarkedAt, at)
	}
	return page, rows.Err()
}
