package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/cursor"
	"github.com/newsline/newsline/internal/suggest"
)

// AuthorListParams selects a page of authors, in slug order.
type AuthorListParams struct {
	// Prefix keeps the authors whose slug starts with newsline.Slug of
	// it: "jane", "Jane D" and "jané" all find Jane Doe. A prefix of the
	// lower-cased name is one of the slug too, so one index range serves
	// both.
	Prefix string
	Cursor string // from the previous page's NextCursor
	Limit  int
}

// AuthorCount is an author with the number of their articles.
type AuthorCount struct {
	Slug     string
	Name     string
	Articles int64 // of kind article
}

// AuthorPage is one page of authors.
type AuthorPage struct {
	Authors    []AuthorCount
	NextCursor string // empty on the last page
}

// Authors lists the authors of at least one article, ordered by slug,
// then name, with keyset pagination. Articles are counted for the page's
// authors only: an author's count costs an index probe per article of
// theirs, and the archive holds far more articles than a page shows.
func (db *DB) Authors(ctx context.Context, p AuthorListParams) (AuthorPage, error) {
	var page AuthorPage
	var err error
	if p.Limit, err = pageLimit(p.Limit, 50); err != nil {
		return page, err
	}
	var a sqlArgs
	where := "true"
	if p.Prefix != "" {
		prefix := newsline.Slug(p.Prefix)
		if prefix == "" {
			return page, newsline.Errorf(newsline.EINVALID, "q %q has no letters or digits to match author names with", p.Prefix)
		}
		where += " AND au.slug >= " + a.add(prefix)
		if end := PrefixEnd(prefix); end != "" {
			where += " AND au.slug < " + a.add(end)
		}
	}
	if p.Cursor != "" {
		keys, id, err := cursor.DecodeKey(p.Cursor, 2)
		if err != nil {
			return page, err
		}
		where += " AND (au.slug, au.name, au.id) > (" + a.add(keys[0]) + ", " + a.add(keys[1]) + ", " + a.add(id) + ")"
	}
	// The page is chosen first (an author with no article is skipped by
	// one probe), and counted after.
	rows, err := db.Reads().Query(ctx, `
		WITH page AS MATERIALIZED (
			SELECT au.id, au.slug, au.name FROM authors au
			WHERE `+where+` AND EXISTS (
				SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id
				WHERE aa.author_id = au.id AND a.kind = 'article')
			ORDER BY au.slug, au.name, au.id
			LIMIT `+a.add(p.Limit+1)+`
		)
		SELECT page.id, page.slug, page.name,
		       (SELECT count(*) FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		        WHERE aa.author_id = page.id AND a.kind = 'article')
		FROM page ORDER BY page.slug, page.name, page.id`, a...)
	if err != nil {
		return page, fmt.Errorf("store: list authors: %w", err)
	}
	defer rows.Close()
	var lastID int64
	for rows.Next() {
		var c AuthorCount
		var id int64
		if err := rows.Scan(&id, &c.Slug, &c.Name, &c.Articles); err != nil {
			return page, fmt.Errorf("store: list authors: %w", err)
		}
		if len(page.Authors) == p.Limit {
			last := page.Authors[len(page.Authors)-1]
			page.NextCursor = cursor.EncodeKey([]string{last.Slug, last.Name}, lastID)
			break
		}
		page.Authors = append(page.Authors, c)
		lastID = id
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: list authors: %w", err)
	}
	return page, nil
}

// Author is what the archive knows of the author(s) with one slug.
type Author struct {
	Slug string
	// Name is the most published of Names, every name with this slug
	// ("Jane Doe", "Jane-Doe"), most published first.
	Name     string
	Names    []NameCount
	Articles int64 // of kind article
	// Sites the author wrote for, most articles first.
	Sites []HostCount
	// First and last publication (or, for a page without a date, first
	// fetch) of their articles; nil when there are none.
	FirstPublished, LastPublished *time.Time
}

// NameCount is one spelling of an author's name and its articles.
type NameCount struct {
	Name     string
	Articles int64
}

// HostCount is a site's host and a number of articles.
type HostCount struct {
	Host     string
	Articles int64
}

// Author returns the author(s) whose slug is newsline.Slug(name): a slug
// or a name. None is an ENOTFOUND error that suggests the closest slug.
func (db *DB) Author(ctx context.Context, name string) (Author, error) {
	au := Author{Slug: newsline.Slug(name)}
	// The author's articles are gathered once, through the author
	// index; grouping them three ways reads no other article.
	rows, err := db.Reads().Query(ctx, `
		WITH ids AS (SELECT id, name FROM authors WHERE slug = $1 AND slug <> ''),
		arts AS MATERIALIZED (
			SELECT ids.id AS author_id, a.id, a.site_id, a.sort_at
			FROM ids JOIN article_authors aa ON aa.author_id = ids.id JOIN articles a ON a.id = aa.article_id
			WHERE a.kind = 'article'
		)
		SELECT 'name', ids.name, (SELECT count(*) FROM arts WHERE arts.author_id = ids.id), NULL::timestamptz, NULL::timestamptz
		FROM ids
		UNION ALL
		SELECT 'site', s.host, x.n, NULL, NULL
		FROM (SELECT site_id, count(DISTINCT id) AS n FROM arts GROUP BY site_id) x JOIN sites s ON s.id = x.site_id
		UNION ALL
		SELECT 'total', '', count(DISTINCT id), min(sort_at), max(sort_at) FROM arts`, au.Slug)
	if err != nil {
		return au, fmt.Errorf("store: author %q: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		var n int64
		var first, last *time.Time
		if err := rows.Scan(&kind, &value, &n, &first, &last); err != nil {
			return au, fmt.Errorf("store: author %q: %w", name, err)
		}
		switch kind {
		case "name":
			au.Names = append(au.Names, NameCount{value, n})
		case "site":
			au.Sites = append(au.Sites, HostCount{value, n})
		case "total":
			au.Articles, au.FirstPublished, au.LastPublished = n, first, last
		}
	}
	if err := rows.Err(); err != nil {
		return au, fmt.Errorf("store: author %q: %w", name, err)
	}
	if len(au.Names) == 0 {
		best, err := db.ClosestAuthor(ctx, name)
		if err != nil {
			return au, err
		}
		return au, newsline.Errorf(newsline.ENOTFOUND, "no author %q%s", name, suggest.Hint(best))
	}
	sortCounts(au.Names, func(c NameCount) (int64, string) { return c.Articles, c.Name })
	sortCounts(au.Sites, func(c HostCount) (int64, string) { return c.Articles, c.Host })
	au.Name = au.Names[0].Name
	return au, nil
}

// sortCounts orders by count, most first, then by name.
func sortCounts[T any](s []T, key func(T) (int64, string)) {
	slices.SortFunc(s, func(x, y T) int {
		nx, sx := key(x)
		ny, sy := key(y)
		if c := cmp.Compare(ny, nx); c != 0 {
			return c
		}
		return strings.Compare(sx, sy)
	})
}
