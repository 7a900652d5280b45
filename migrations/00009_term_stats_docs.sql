-- +goose Up
-- A batch of saved articles queues its terms as one row per language:
-- terms holds the distinct terms of each article, concatenated, and docs
-- says how many articles they came from.
ALTER TABLE term_stats_queue ADD COLUMN docs integer NOT NULL DEFAULT 1 CHECK (docs >= 0);

-- +goose Down
ALTER TABLE term_stats_queue DROP COLUMN docs;
