-- +goose Up
-- New articles queue their terms here, an insert that never waits on
-- another; FoldTermStats folds the queue into term_df in one statement.
-- Updating term_df's hot rows (common words) inside every article's
-- transaction serialized all saves (bench crawl: 44% of database time spent
-- waiting on those row locks).
CREATE TABLE term_stats_queue (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    language text NOT NULL,
    terms    text[] NOT NULL
);

-- +goose Down
DROP TABLE term_stats_queue;
