-- +goose Up
-- A crawl reconciles the URLs it finds queued with the queue: one whose
-- fetch task will never run (archived after its last attempt failed while
-- the database was unreachable, or lost with Redis's data) gets a new task.
-- How many did is part of the crawl's record, so a site's statistics tell
-- that it happened.
ALTER TABLE crawl_runs ADD COLUMN requeued integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE crawl_runs DROP COLUMN requeued;
