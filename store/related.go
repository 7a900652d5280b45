package store

import (
	"context"
	"fmt"

	"github.com/newsline/newsline"
)

// MaxRelated bounds how many related articles Related returns.
const MaxRelated = 20

// Related returns up to limit articles that share keywords with article
// id, those sharing the most first, then the newest: the candidates come
// from the keywords' GIN index (articles_keywords_idx), so the cost
// follows how many articles share a keyword, not the archive's size.
// Keywords are an article's top tf-idf terms, rare enough that the
// candidates stay few.
func (db *DB) Related(ctx context.Context, id int64, keywords []string, limit int) ([]newsline.Article, error) {
	if len(keywords) == 0 || limit <= 0 {
		return nil, nil
	}
	limit = min(limit, MaxRelated)
	rows, err := db.Pool.Query(ctx, `
		WITH candidates AS (
			SELECT a.id, a.sort_at, cardinality(ARRAY(SELECT unnest(a.keywords) INTERSECT SELECT unnest($2::text[]))) AS shared
			FROM articles a
			WHERE a.keywords && $2::text[] AND a.kind = 'article' AND a.id <> $1
		), best AS (
			SELECT id, shared FROM candidates ORDER BY shared DESC, sort_at DESC, id DESC LIMIT $3
		)
		SELECT `+ArticleColumns+`
		FROM best JOIN articles a ON a.id = best.id JOIN sites s ON s.id = a.site_id
		ORDER BY best.shared DESC, a.sort_at DESC, a.id DESC`, id, keywords, limit)
	if err != nil {
		return nil, fmt.Errorf("store: related articles: %w", err)
	}
	defer rows.Close()
	var out []newsline.Article
	for rows.Next() {
		a, _, err := ScanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: related articles: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: related articles: %w", err)
	}
	return out, nil
}
