-- +goose Up
-- ORs tsqueries together: a search is parsed in the configuration of every
-- language in the archive and the parses are ORed, so one GIN lookup finds
-- each article by its own language's stems.
CREATE AGGREGATE tsquery_union(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

-- +goose Down
DROP AGGREGATE tsquery_union(tsquery);
