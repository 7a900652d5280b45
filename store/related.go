package store

import (
	"context"
	"fmt"

	"github.com/newsline/newsline"
)

// MaxRelated bounds how many related articles Related returns.
const MaxRelated = 20

// relatedPerKeyword is how many of the newest articles with each keyword
// Related weighs: it bounds the work (8 keywords, 1,600 index entries)
// however common a keyword is.
const relatedPerKeyword = 200

// Related returns up to limit articles that share keywords with article
// id, those sharing the most first, then the newest. It reads, for each
// keyword, the newest relatedPerKeyword articles that have it from
// article_keywords' index, so its cost does not grow with the archive; an
// article that shares a very common keyword only from long ago is not
// counted for it.
func (db *DB) Related(ctx context.Context, id int64, keywords []string, limit int) ([]newsline.Article, error) {
	if len(keywords) == 0 || limit <= 0 {
		return nil, nil
	}
	limit = min(limit, MaxRelated)
	rows, err := db.Reads().Query(ctx, `
		WITH best AS (
			SELECT c.article_id, count(*) AS shared, max(c.sort_at) AS sort_at
			FROM (SELECT DISTINCT unnest($2::text[]) AS keyword) kw
			CROSS JOIN LATERAL (
				SELECT ak.article_id, ak.sort_at FROM article_keywords ak
				WHERE ak.keyword = kw.keyword AND ak.article_id <> $1
				ORDER BY ak.sort_at DESC LIMIT $4) c
			GROUP BY c.article_id
			ORDER BY shared DESC, sort_at DESC, c.article_id DESC
			LIMIT $3
		)
		SELECT `+ArticleColumns+`
		FROM best JOIN articles a ON a.id = best.article_id JOIN sites s ON s.id = a.site_id
		ORDER BY best.shared DESC, best.sort_at DESC, a.id DESC`, id, keywords, limit, relatedPerKeyword)
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

// RelatedNaive is what Related would be without article_keywords: every
// article's keywords compared with the article's. It is the baseline of
// BenchmarkRelated, not for serving.
func (db *DB) RelatedNaive(ctx context.Context, id int64, keywords []string, limit int) ([]int64, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id FROM articles a
		WHERE a.kind = 'article' AND a.id <> $1 AND a.keywords && $2::text[]
		ORDER BY cardinality(ARRAY(SELECT unnest(a.keywords) INTERSECT SELECT unnest($2::text[]))) DESC, a.sort_at DESC, a.id DESC
		LIMIT $3`, id, keywords, limit)
	if err != nil {
		return nil, fmt.Errorf("store: related articles: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: related articles: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
