-- +goose Up
ALTER TABLE sites
    ADD COLUMN include_patterns text[] NOT NULL DEFAULT '{}',
    ADD COLUMN exclude_patterns text[] NOT NULL DEFAULT '{}',
    ADD COLUMN max_depth integer NOT NULL DEFAULT 3 CHECK (max_depth BETWEEN 1 AND 10),
    ADD COLUMN max_concurrency integer NOT NULL DEFAULT 2 CHECK (max_concurrency BETWEEN 1 AND 64),
    -- Ages after the first fetch, in seconds, at which an article is
    -- fetched again to pick up corrections: by default 1 h and 24 h.
    ADD COLUMN refetch_after_s integer[] NOT NULL DEFAULT '{3600, 86400}';

-- Repeat fetches of an article: when the next is due, how many were made.
ALTER TABLE urls
    ADD COLUMN fetch_count integer NOT NULL DEFAULT 0,
    ADD COLUMN first_fetched_at timestamptz,
    ADD COLUMN next_fetch_at timestamptz;
CREATE INDEX urls_refetch_idx ON urls (site_id, next_fetch_at) WHERE state = 'fetched' AND next_fetch_at IS NOT NULL;

-- Dedup: the exact hash and the SimHash of an article's text. SimHash is
-- split into four 16-bit bands; two texts within 3 bits of each other
-- share at least one band, so each band's index finds the candidates.
ALTER TABLE articles
    ADD COLUMN content_hash bytea,
    ADD COLUMN simhash bigint,
    ADD COLUMN simhash_b0 integer GENERATED ALWAYS AS (((simhash >> 48) & 65535)::integer) STORED,
    ADD COLUMN simhash_b1 integer GENERATED ALWAYS AS (((simhash >> 32) & 65535)::integer) STORED,
    ADD COLUMN simhash_b2 integer GENERATED ALWAYS AS (((simhash >> 16) & 65535)::integer) STORED,
    ADD COLUMN simhash_b3 integer GENERATED ALWAYS AS ((simhash & 65535)::integer) STORED,
    -- How many distinct versions of the text were stored (1 = never corrected).
    ADD COLUMN revisions integer NOT NULL DEFAULT 1;
CREATE INDEX articles_content_hash_idx ON articles (content_hash);
CREATE INDEX articles_simhash_b0_idx ON articles (simhash_b0);
CREATE INDEX articles_simhash_b1_idx ON articles (simhash_b1);
CREATE INDEX articles_simhash_b2_idx ON articles (simhash_b2);
CREATE INDEX articles_simhash_b3_idx ON articles (simhash_b3);

-- Feeds and sitemaps: validators for conditional GET.
CREATE TABLE sources (
    site_id       bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    url           text NOT NULL,
    kind          text NOT NULL,
    etag          text,
    last_modified text,
    last_status   integer,
    fetched_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, url)
);

-- One row per crawl:site run, for the operator's view.
CREATE TABLE crawl_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id      bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    pages        integer NOT NULL DEFAULT 0,
    not_modified integer NOT NULL DEFAULT 0,
    links        integer NOT NULL DEFAULT 0,
    new_urls     integer NOT NULL DEFAULT 0,
    queued       integer NOT NULL DEFAULT 0,
    failures     jsonb NOT NULL DEFAULT '{}', -- discovery failures by reason
    error        text
);
CREATE INDEX crawl_runs_site_idx ON crawl_runs (site_id, started_at DESC);

-- +goose Down
DROP TABLE crawl_runs;
DROP TABLE sources;
DROP INDEX articles_simhash_b3_idx, articles_simhash_b2_idx, articles_simhash_b1_idx, articles_simhash_b0_idx, articles_content_hash_idx;
ALTER TABLE articles DROP COLUMN revisions, DROP COLUMN simhash_b3, DROP COLUMN simhash_b2, DROP COLUMN simhash_b1,
    DROP COLUMN simhash_b0, DROP COLUMN simhash, DROP COLUMN content_hash;
DROP INDEX urls_refetch_idx;
ALTER TABLE urls DROP COLUMN next_fetch_at, DROP COLUMN first_fetched_at, DROP COLUMN fetch_count;
ALTER TABLE sites DROP COLUMN refetch_after_s, DROP COLUMN max_concurrency, DROP COLUMN max_depth,
    DROP COLUMN exclude_patterns, DROP COLUMN include_patterns;
