-- +goose Up
-- An article's page lists related articles: those sharing its keywords.
-- Each keyword of each article is a row here, in the keyword's order of
-- publication, so the newest articles with a keyword are an index range
-- whatever the archive's size; a trigger keeps it in step with articles
-- (pages that are not articles have none).
CREATE TABLE article_keywords (
    keyword text COLLATE "C" NOT NULL,
    sort_at timestamptz NOT NULL,
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (keyword, sort_at, article_id)
);
CREATE INDEX article_keywords_article_idx ON article_keywords (article_id);

-- +goose StatementBegin
CREATE FUNCTION article_keywords_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM article_keywords WHERE article_id = OLD.id;
    END IF;
    IF NEW.kind = 'article' THEN
        INSERT INTO article_keywords (keyword, sort_at, article_id)
        SELECT DISTINCT k, NEW.sort_at, NEW.id FROM unnest(NEW.keywords) AS k;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- The WHEN clauses keep the function from running for a row with nothing
-- to do (a bulk load of articles without keywords costs nothing more).
CREATE TRIGGER articles_keywords_insert AFTER INSERT ON articles
    FOR EACH ROW WHEN (NEW.kind = 'article' AND cardinality(NEW.keywords) > 0)
    EXECUTE FUNCTION article_keywords_sync();
CREATE TRIGGER articles_keywords_update AFTER UPDATE OF keywords, sort_at, kind ON articles
    FOR EACH ROW WHEN (OLD.keywords IS DISTINCT FROM NEW.keywords OR OLD.sort_at IS DISTINCT FROM NEW.sort_at
                       OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION article_keywords_sync();

INSERT INTO article_keywords (keyword, sort_at, article_id)
SELECT DISTINCT k, a.sort_at, a.id FROM articles a, unnest(a.keywords) AS k WHERE a.kind = 'article';

-- +goose Down
DROP TRIGGER articles_keywords_update ON articles;
DROP TRIGGER articles_keywords_insert ON articles;
DROP FUNCTION article_keywords_sync();
DROP TABLE article_keywords;
