-- +goose Up
-- Readers' accounts. A user is named (and addressed by the CLI) by name;
-- names and emails are unique whatever their case. Secrets a client
-- presents (session and API tokens) are stored only as their SHA-256, so
-- a copy of the database lets nobody log in; the personal feed secret is
-- stored as it is, since the settings page shows the feed's URL.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL CHECK (name <> ''),
    email         text NOT NULL CHECK (email <> ''),
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'reader' CHECK (role IN ('reader', 'admin')),
    feed_secret   text NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_name_key ON users (lower(name));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- A browser's (or a client's) login; it lasts until it expires or the
-- user logs out.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Personal API tokens, named by their owner, revocable, with their last use.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    UNIQUE (user_id, name)
);

CREATE TABLE follows_sites (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id    bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, site_id)
);

-- An author is followed by slug: every author row with that slug ("Jane
-- Doe" and "Jane-Doe") is one person to a reader, as in the API.
CREATE TABLE follows_authors (
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_slug text COLLATE "C" NOT NULL CHECK (author_slug <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, author_slug)
);

CREATE TABLE bookmarks (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, article_id)
);
-- A user's bookmarks newest first, for keyset pagination.
CREATE INDEX bookmarks_user_created_idx ON bookmarks (user_id, created_at DESC, article_id DESC);
-- Deleting an article finds its bookmarks.
CREATE INDEX bookmarks_article_idx ON bookmarks (article_id);

-- +goose Down
DROP TABLE bookmarks;
DROP TABLE follows_authors;
DROP TABLE follows_sites;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
