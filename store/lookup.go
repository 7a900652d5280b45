package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/suggest"
)

// Queryer runs statements: a pool, a connection or a transaction. The
// lookups below take one so that search, which has its own, can use them.
type Queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// maxSlugWords bounds the words of a slug a suggestion looks up.
const maxSlugWords = 8

// ClosestSite returns the whitelisted host nearest to host, or "".
func (db *DB) ClosestSite(ctx context.Context, host string) (string, error) {
	return ClosestSite(ctx, db.Reads(), host)
}

// ClosestAuthor returns the author slug nearest to name (a slug or a
// name), or "".
func (db *DB) ClosestAuthor(ctx context.Context, name string) (string, error) {
	return ClosestAuthor(ctx, db.Reads(), name)
}

// ClosestSection returns the section slug nearest to name (a slug or a
// name), or "".
func (db *DB) ClosestSection(ctx context.Context, name string) (string, error) {
	return ClosestSection(ctx, db.Reads(), name)
}

// ClosestSite is DB.ClosestSite over q. Sites are a whitelist, a few
// hundred at most, so every host is a candidate.
func ClosestSite(ctx context.Context, q Queryer, host string) (string, error) {
	hosts, err := strings1(ctx, q, "closest site", `SELECT host FROM sites ORDER BY host`)
	if err != nil {
		return "", err
	}
	return suggest.Closest(host, hosts), nil
}

// ClosestAuthor is DB.ClosestAuthor over q. The candidates are the slugs
// next to name's in slug order (a truncated or misspelt ending) and those
// sharing one of its words (a misspelt first name, a surname alone), each
// an index lookup, so the cost does not grow with the number of authors.
func ClosestAuthor(ctx context.Context, q Queryer, name string) (string, error) {
	slug := newsline.Slug(name)
	if slug == "" {
		return "", nil
	}
	words := strings.Split(slug, "-")
	if len(words) > maxSlugWords {
		words = words[:maxSlugWords]
	}
	candidates, err := strings1(ctx, q, "closest author", `
		(SELECT slug FROM authors WHERE slug >= $1 ORDER BY slug LIMIT 10)
		UNION
		(SELECT slug FROM authors WHERE slug < $1 ORDER BY slug DESC LIMIT 10)
		UNION
		(SELECT slug FROM authors WHERE string_to_array(slug, '-') && $2::text[] LIMIT 200)`, slug, words)
	if err != nil {
		return "", err
	}
	slices.Sort(candidates)
	return suggest.Closest(slug, candidates), nil
}

// ClosestSection is DB.ClosestSection over q. A section is known when an
// article has it; the distinct sections are read by skipping through the
// section index, one probe each (an archive has dozens, not thousands).
func ClosestSection(ctx context.Context, q Queryer, name string) (string, error) {
	keys, err := SectionKeys(ctx, q)
	if err != nil {
		return "", err
	}
	return suggest.Closest(newsline.Slug(name), keys), nil
}

// maxSections bounds the section keys SectionKeys reads.
const maxSections = 2000

// SectionKeys returns the slugs of the sections articles have, in order.
func SectionKeys(ctx context.Context, q Queryer) ([]string, error) {
	return strings1(ctx, q, "sections", `
		WITH RECURSIVE k(key) AS (
			(SELECT section_key FROM articles WHERE kind = 'article' AND section_key <> '' ORDER BY section_key LIMIT 1)
			UNION ALL
			SELECT (SELECT a.section_key FROM articles a
			        WHERE a.kind = 'article' AND a.section_key <> '' AND a.section_key > k.key
			        ORDER BY a.section_key LIMIT 1)
			FROM k WHERE k.key IS NOT NULL
		)
		SELECT key FROM k WHERE key IS NOT NULL LIMIT `+fmt.Sprint(maxSections))
}

// Section returns the slug of a section named name (a slug or a name) and
// its name as its newest article spells it; ENOTFOUND, with a suggestion,
// when no article has it.
func (db *DB) Section(ctx context.Context, name string) (key, display string, err error) {
	key = newsline.Slug(name)
	err = db.Reads().QueryRow(ctx, `
		SELECT coalesce((SELECT section FROM articles WHERE kind = 'article' AND section_key = $1 AND section_key <> ''
		                 ORDER BY section_key, sort_at DESC, id DESC LIMIT 1), '')`, key).Scan(&display)
	if err != nil {
		return key, "", fmt.Errorf("store: section %q: %w", name, err)
	}
	if display != "" {
		return key, display, nil
	}
	best, err := db.ClosestSection(ctx, name)
	if err != nil {
		return key, "", err
	}
	return key, "", newsline.Errorf(newsline.ENOTFOUND, "no section %q%s", name, suggest.Hint(best))
}

// strings1 runs a statement returning one text column.
func strings1(ctx context.Context, q Queryer, what, sql string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// PrefixEnd returns the least string greater than every string starting
// with p, in byte order (COLLATE "C"), so that a prefix is the index range
// [p, PrefixEnd(p)); "" when there is none (p empty or all U+10FFFF).
func PrefixEnd(p string) string {
	rs := []rune(p)
	for len(rs) > 0 {
		last := rs[len(rs)-1]
		next := last + 1
		if next == 0xD800 {
			next = 0xE000 // no surrogates in UTF-8
		}
		if next <= utf8.MaxRune {
			rs[len(rs)-1] = next
			return string(rs)
		}
		rs = rs[:len(rs)-1]
	}
	return ""
}
