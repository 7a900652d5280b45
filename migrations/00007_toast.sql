-- +goose Up
-- The stored page is gzip already: storing it EXTERNAL skips a compression
-- attempt that could never pay off. Text columns use lz4, several times
-- cheaper than pglz for about the same size, on every save.
ALTER TABLE articles ALTER COLUMN raw_html_gz SET STORAGE EXTERNAL;
ALTER TABLE articles ALTER COLUMN body_text SET COMPRESSION lz4;
ALTER TABLE articles ALTER COLUMN body_html SET COMPRESSION lz4;
ALTER TABLE articles ALTER COLUMN search SET COMPRESSION lz4;

-- +goose Down
ALTER TABLE articles ALTER COLUMN search SET COMPRESSION default;
ALTER TABLE articles ALTER COLUMN body_html SET COMPRESSION default;
ALTER TABLE articles ALTER COLUMN body_text SET COMPRESSION default;
ALTER TABLE articles ALTER COLUMN raw_html_gz SET STORAGE EXTENDED;
