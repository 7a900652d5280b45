-- +goose Up
-- Saving looks up the oldest article with a text's hash, min(id) for a
-- hash: with the hash alone indexed, the planner walks the primary key in
-- id order testing every article's hash whenever it guesses matches are
-- common (a fresh database, stale statistics), which costs the whole table
-- when there is none. (content_hash, id) answers it in one probe.
CREATE INDEX articles_content_hash_id_idx ON articles (content_hash, id);
DROP INDEX articles_content_hash_idx;

-- +goose Down
CREATE INDEX articles_content_hash_idx ON articles (content_hash);
DROP INDEX articles_content_hash_id_idx;
