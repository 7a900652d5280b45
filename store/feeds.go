package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// FeedMinCompleteness keeps articles that are not whole enough out of
// feeds (newsline.Article.Completeness).
const FeedMinCompleteness = 0.5

// MaxFeedItems bounds a feed.
const MaxFeedItems = 200

// FeedQuery selects a feed's articles: complete articles (kind article,
// completeness at least FeedMinCompleteness), newest first, with their
// bodies. At most one of the filters is set; none means every site.
type FeedQuery struct {
	SiteID     int64  // one site
	AuthorSlug string // every author with this slug
	SectionKey string // one section across sites (newsline.Slug of its name)
	// IDs lists the articles of a search, in the search's order; the
	// other filters are then ignored.
	IDs []int64
	// FollowerID lists the articles of the sites and authors this user
	// follows (a personal feed); BookmarksOf this user's bookmarks, the
	// latest bookmark first.
	FollowerID  int64
	BookmarksOf int64
	Limit       int
}

// FeedArticles returns the articles of a feed with their text and HTML.
func (db *DB) FeedArticles(ctx context.Context, q FeedQuery) ([]newsline.Article, error) {
	if q.Limit < 1 || q.Limit > MaxFeedItems {
		return nil, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", MaxFeedItems)
	}
	const cols = `SELECT ` + ArticleColumns + `, a.body_text, a.body_html FROM articles a JOIN sites s ON s.id = a.site_id `
	const complete = `a.kind = 'article' AND a.completeness >= $1`
	var rows pgx.Rows
	var err error
	switch {
	case q.IDs != nil:
		rows, err = db.Reads().Query(ctx, cols+`JOIN unnest($2::bigint[]) WITH ORDINALITY AS t(id, n) ON t.id = a.id
			WHERE `+complete+` ORDER BY t.n LIMIT $3`, FeedMinCompleteness, q.IDs, q.Limit)
	case q.FollowerID != 0:
		rows, err = db.Reads().Query(ctx, cols+`WHERE `+complete+` AND `+strings.ReplaceAll(followedWhere, "$1", "$2")+`
			ORDER BY a.sort_at DESC, a.id DESC LIMIT $3`, FeedMinCompleteness, q.FollowerID, q.Limit)
	case q.BookmarksOf != 0:
		rows, err = db.Reads().Query(ctx, cols+`JOIN bookmarks b ON b.article_id = a.id AND b.user_id = $2
			WHERE `+complete+` ORDER BY b.created_at DESC, b.article_id DESC LIMIT $3`, FeedMinCompleteness, q.BookmarksOf, q.Limit)
	case q.SiteID != 0:
		rows, err = db.Reads().Query(ctx, cols+`WHERE `+complete+` AND a.site_id = $2
			ORDER BY a.sort_at DESC, a.id DESC LIMIT $3`, FeedMinCompleteness, q.SiteID, q.Limit)
	case q.AuthorSlug != "":
		rows, err = db.Reads().Query(ctx, cols+`WHERE `+complete+` AND a.id IN (
				SELECT aa.article_id FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE au.slug = $2)
			ORDER BY a.sort_at DESC, a.id DESC LIMIT $3`, FeedMinCompleteness, q.AuthorSlug, q.Limit)
	case q.SectionKey != "":
		rows, err = db.Reads().Query(ctx, cols+`WHERE `+complete+` AND a.section_key = $2
			ORDER BY a.sort_at DESC, a.id DESC LIMIT $3`, FeedMinCompleteness, q.SectionKey, q.Limit)
	default:
		rows, err = db.Reads().Query(ctx, cols+`WHERE `+complete+`
			ORDER BY a.sort_at DESC, a.id DESC LIMIT $2`, FeedMinCompleteness, q.Limit)
	}
	if err != nil {
		return nil, fmt.Errorf("store: feed articles: %w", err)
	}
	defer rows.Close()
	var out []newsline.Article
	for rows.Next() {
		var text, html string
		a, _, err := ScanArticle(rows, &text, &html)
		if err != nil {
			return nil, fmt.Errorf("store: feed articles: %w", err)
		}
		a.Text, a.HTML = text, html
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feed articles: %w", err)
	}
	return out, nil
}

// AuthorName returns the name of the author with this slug who has the
// most articles (several author rows may share one slug): a feed's title,
// without the counts Author gathers for an author's page.
func (db *DB) AuthorName(ctx context.Context, slug string) (string, error) {
	var name string
	err := db.Reads().QueryRow(ctx, `
		SELECT au.name FROM authors au WHERE au.slug = $1
		ORDER BY (SELECT count(*) FROM article_authors aa WHERE aa.author_id = au.id) DESC, au.name LIMIT 1`, slug).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", newsline.Errorf(newsline.ENOTFOUND, "no author %q", slug)
	}
	if err != nil {
		return "", fmt.Errorf("store: author %s: %w", slug, err)
	}
	return name, nil
}
