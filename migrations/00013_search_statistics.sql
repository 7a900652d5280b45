-- +goose Up
-- Search sizes its candidate window from the planner's estimate of a
-- query's matches (search.Searcher), which comes from the most common
-- lexemes ANALYZE keeps: ten times the statistics target. At the default
-- 100 a word of middling frequency was not among them and was guessed
-- three to four times too rare, so its matches went unwindowed.
ALTER TABLE articles ALTER COLUMN search SET STATISTICS 1000;

-- +goose Down
ALTER TABLE articles ALTER COLUMN search SET STATISTICS -1;
