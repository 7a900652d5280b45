-- +goose Up
-- Authors and sections are addressed by readable slugs (/feeds/authors/jane-doe,
-- /feeds/sections/world). The slug is computed in Go (newsline.Slug) when a
-- row is written, never in SQL, whose letter classes and lower() depend on
-- the database's locale; migration 15 fills the rows written before.
-- Author slugs need not be unique: "Jane Doe" and "Jane-Doe" are one
-- person to a reader, and a slug stands for every author who has it.
ALTER TABLE authors ADD COLUMN slug text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX authors_slug_idx ON authors (slug);
ALTER TABLE articles ADD COLUMN section_key text COLLATE "C" NOT NULL DEFAULT '';
-- A section's newest articles, for its feed and the section filter.
CREATE INDEX articles_section_sort_idx ON articles (section_key, sort_at DESC, id DESC)
    WHERE kind = 'article' AND section_key <> '';

-- +goose Down
DROP INDEX articles_section_sort_idx;
ALTER TABLE articles DROP COLUMN section_key;
DROP INDEX authors_slug_idx;
ALTER TABLE authors DROP COLUMN slug;
