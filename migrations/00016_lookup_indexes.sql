-- +goose Up
-- "Did you mean": an unknown author is matched against the authors
-- sharing a word of its slug ("doe" and "jnae-doe" find jane-doe) and
-- those next to it in slug order (authors_slug_idx), never by reading every
-- author.
CREATE INDEX authors_slug_words_idx ON authors USING gin (string_to_array(slug, '-'));
-- Trending shows a stem as its most frequent word, looked for among the
-- words that start like it ('happ' for happi): a prefix range, which only
-- byte order gives whatever the database's collation.
CREATE INDEX term_df_prefix_idx ON term_df (language, term COLLATE "C");

-- +goose Down
DROP INDEX term_df_prefix_idx;
DROP INDEX authors_slug_words_idx;
