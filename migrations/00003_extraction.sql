-- +goose Up
ALTER TABLE articles
    ADD COLUMN ts_config regconfig NOT NULL DEFAULT 'english',
    ADD COLUMN section text NOT NULL DEFAULT '',
    ADD COLUMN keywords text[] NOT NULL DEFAULT '{}',
    ADD COLUMN summary text NOT NULL DEFAULT '',
    ADD COLUMN kind text NOT NULL DEFAULT 'article',
    ADD COLUMN kind_reason text NOT NULL DEFAULT '',
    ADD COLUMN completeness real NOT NULL DEFAULT 1,
    ADD COLUMN field_sources jsonb NOT NULL DEFAULT '{}';

-- Index each article in its own language: to_tsvector with an explicit
-- configuration is immutable, so it can read the row's ts_config.
DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(ts_config, coalesce(title, '')), 'A') ||
    setweight(to_tsvector(ts_config, coalesce(excerpt, '')), 'B') ||
    setweight(to_tsvector(ts_config, coalesce(body_text, '')), 'C')
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_kind_sort_idx ON articles (sort_at DESC, id DESC) WHERE kind = 'article';

-- Corpus statistics for keyword weighting: in how many articles of a
-- language each term occurs.
CREATE TABLE term_df (
    language text NOT NULL,
    term     text NOT NULL,
    df       integer NOT NULL,
    PRIMARY KEY (language, term)
);
CREATE TABLE corpus_docs (
    language text PRIMARY KEY,
    docs     integer NOT NULL
);

-- +goose Down
DROP TABLE corpus_docs;
DROP TABLE term_df;
DROP INDEX articles_kind_sort_idx;
DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
ALTER TABLE articles DROP COLUMN field_sources, DROP COLUMN completeness, DROP COLUMN kind_reason, DROP COLUMN kind,
    DROP COLUMN summary, DROP COLUMN keywords, DROP COLUMN section, DROP COLUMN ts_config;
