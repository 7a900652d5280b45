-- +goose Up
-- An article's page lists related articles: those sharing its keywords.
-- The GIN index answers keywords && $1 without reading every article
-- (about 15 ms instead of 640 at 200,000 articles, bench in store).
CREATE INDEX articles_keywords_idx ON articles USING gin (keywords) WHERE kind = 'article';

-- +goose Down
DROP INDEX articles_keywords_idx;
