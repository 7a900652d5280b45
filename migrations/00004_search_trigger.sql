-- +goose Up
-- The search vector becomes a plain column kept by a trigger, so a bulk
-- load (the search benchmark's generator) may supply it precomputed through
-- COPY instead of making PostgreSQL stem every word; the application leaves
-- it NULL and the trigger computes it, in the article's own configuration.
-- +goose StatementBegin
CREATE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.search IS NOT NULL THEN
        RETURN NEW;
    END IF;
    NEW.search :=
        setweight(to_tsvector(NEW.ts_config, coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector(NEW.ts_config, coalesce(NEW.excerpt, '')), 'B') ||
        setweight(to_tsvector(NEW.ts_config, coalesce(NEW.body_text, '')), 'C');
    RETURN NEW;
END
$$;
-- +goose StatementEnd
ALTER TABLE articles ADD COLUMN search_v tsvector;
UPDATE articles SET search_v = search;
DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles RENAME COLUMN search_v TO search;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE TRIGGER articles_search_insert BEFORE INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_search_vector();
CREATE TRIGGER articles_search_update BEFORE UPDATE OF title, excerpt, body_text, ts_config ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_search_vector();

-- +goose Down
DROP TRIGGER articles_search_update ON articles;
DROP TRIGGER articles_search_insert ON articles;
DROP INDEX articles_search_idx;
ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(ts_config, coalesce(title, '')), 'A') ||
    setweight(to_tsvector(ts_config, coalesce(excerpt, '')), 'B') ||
    setweight(to_tsvector(ts_config, coalesce(body_text, '')), 'C')
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
DROP FUNCTION articles_search_vector();
