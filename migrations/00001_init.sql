-- +goose Up
CREATE TABLE sites (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host          text NOT NULL UNIQUE CHECK (host <> '' AND host = lower(host)),
    name          text NOT NULL,
    start_urls    text[] NOT NULL DEFAULT '{}',
    feeds         text[] NOT NULL DEFAULT '{}',
    extra_hosts   text[] NOT NULL DEFAULT '{}',
    schedule      text NOT NULL,
    delay_ms      integer NOT NULL DEFAULT 2000 CHECK (delay_ms >= 0),
    max_pages     integer NOT NULL DEFAULT 200 CHECK (max_pages > 0),
    enabled       boolean NOT NULL DEFAULT true,
    allow_private boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per URL the crawler has discovered. The state machine is
-- new -> queued -> fetched | failed; a failed URL keeps its reason.
CREATE TABLE urls (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id       bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    url           text NOT NULL UNIQUE,
    state         text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'queued', 'fetched', 'failed')),
    reason        text,
    http_status   integer,
    etag          text,
    last_modified text,
    content_hash  bytea,
    attempts      integer NOT NULL DEFAULT 0,
    article_id    bigint,
    discovered_at timestamptz NOT NULL DEFAULT now(),
    queued_at     timestamptz,
    fetched_at    timestamptz
);
CREATE INDEX urls_site_state_idx ON urls (site_id, state);

CREATE TABLE authors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    name_key   text NOT NULL UNIQUE, -- lower-cased, space-folded name: one row per person
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE articles (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id       bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    url           text NOT NULL,
    canonical_url text NOT NULL UNIQUE,
    title         text NOT NULL,
    byline        text NOT NULL DEFAULT '',
    published_at  timestamptz,
    modified_at   timestamptz,
    -- sort_at orders the archive: the published time when known, else the
    -- first fetch. Stored so "newest first" is one index scan.
    sort_at       timestamptz NOT NULL,
    body_text     text NOT NULL,
    body_html     text NOT NULL,
    excerpt       text NOT NULL DEFAULT '',
    image_url     text NOT NULL DEFAULT '',
    site_name     text NOT NULL DEFAULT '',
    language      text NOT NULL DEFAULT '',
    word_count    integer NOT NULL DEFAULT 0,
    -- The fetched page, gzip-compressed, so articles can be re-extracted
    -- when the extractor improves.
    raw_html_gz   bytea,
    fetched_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    search        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')
    ) STORED
);
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_sort_idx ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_site_sort_idx ON articles (site_id, sort_at DESC, id DESC);

ALTER TABLE urls ADD CONSTRAINT urls_article_fk FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE SET NULL;

CREATE TABLE article_authors (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author_idx ON article_authors (author_id);

-- +goose Down
DROP TABLE article_authors;
ALTER TABLE urls DROP CONSTRAINT urls_article_fk;
DROP TABLE articles;
DROP TABLE authors;
DROP TABLE urls;
DROP TABLE sites;
