-- +goose Up
-- Search ranks the matches of a common query published since some moment
-- (search.Searcher): the BRIN index turns "since" into the heap's page
-- ranges in a few milliseconds, where the btree took tens for a window of
-- 200,000 articles. It works because articles are stored roughly in the
-- order they are published (crawled as they appear); a site's backfilled
-- archive only widens some ranges, and results stay exact (rows are
-- rechecked). 32 pages a range: an article is about a page.
CREATE INDEX articles_sort_brin ON articles USING brin (sort_at) WITH (pages_per_range = 32, autosummarize = on);

-- +goose Down
DROP INDEX articles_sort_brin;
