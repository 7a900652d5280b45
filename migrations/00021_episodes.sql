-- +goose Up
-- The podcast: articles chosen to be read aloud (picks), and the episodes
-- made of them. A pick is kept after its episode expires, so that a story
-- is never chosen twice; its SimHash lets a near copy of a picked story
-- (another site's version) be refused too.
CREATE TABLE episode_picks (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    picked_at  timestamptz NOT NULL DEFAULT now(),
    -- why: "trending:<term>" or "site:<host>"
    reason     text NOT NULL,
    simhash    bigint NOT NULL DEFAULT 0
);
CREATE INDEX episode_picks_picked_idx ON episode_picks (picked_at);

-- One episode per article and engine version: a new voice makes new
-- episodes, a job run twice does not. Paths are relative to the audio
-- directory, so it can move (and nginx serves it as it is).
CREATE TABLE episodes (
    id              bigserial PRIMARY KEY,
    article_id      bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    engine          text NOT NULL,
    engine_version  text NOT NULL,
    language        text NOT NULL DEFAULT '',
    path            text NOT NULL UNIQUE,
    bytes           bigint NOT NULL,
    duration_ms     bigint NOT NULL,
    chapters_path   text NOT NULL,
    transcript_path text NOT NULL,
    chapters        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (article_id, engine_version)
);
CREATE INDEX episodes_created_idx ON episodes (created_at DESC, id DESC);

-- +goose Down
DROP TABLE episodes;
DROP TABLE episode_picks;
