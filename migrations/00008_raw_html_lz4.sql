-- +goose Up
-- The fetched page is stored as it came and PostgreSQL compresses it with
-- lz4 in TOAST: gzip in the worker cost about a tenth of each article's
-- processing (bench crawl), lz4 a few per cent of that, for pages about a
-- third larger on disk. Pages stored before this migration stay in
-- raw_html_gz; store.RawPage reads either.
ALTER TABLE articles ADD COLUMN raw_html bytea COMPRESSION lz4;

-- +goose Down
UPDATE articles SET raw_html = NULL;
ALTER TABLE articles DROP COLUMN raw_html;
