package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/newsline/newsline"
)

// goMigrations are the migrations that need Go: slugs are computed by
// newsline.Slug only, so rows written before a slug column existed are
// filled here.
func goMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(15, &goose.GoFunc{RunTx: backfillSlugs}, &goose.GoFunc{RunTx: noop}),
	}
}

func noop(context.Context, *sql.Tx) error { return nil }

// backfillSlugs fills authors.slug and articles.section_key (migration 14).
// Sections are few, so each distinct one is slugged once and its articles
// updated in one statement.
func backfillSlugs(ctx context.Context, tx *sql.Tx) error {
	fill := func(what, sel, upd string) error {
		rows, err := tx.QueryContext(ctx, sel)
		if err != nil {
			return fmt.Errorf("backfill %s: %w", what, err)
		}
		var names, slugs []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return fmt.Errorf("backfill %s: %w", what, err)
			}
			names, slugs = append(names, n), append(slugs, newsline.Slug(n))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("backfill %s: %w", what, err)
		}
		for i := range names {
			if _, err := tx.ExecContext(ctx, upd, names[i], slugs[i]); err != nil {
				return fmt.Errorf("backfill %s: %w", what, err)
			}
		}
		return nil
	}
	if err := fill("author slugs", `SELECT name FROM authors WHERE slug = ''`,
		`UPDATE authors SET slug = $2 WHERE name = $1 AND slug = ''`); err != nil {
		return err
	}
	return fill("section keys", `SELECT DISTINCT section FROM articles WHERE section <> '' AND section_key = ''`,
		`UPDATE articles SET section_key = $2 WHERE section = $1 AND section_key = ''`)
}
