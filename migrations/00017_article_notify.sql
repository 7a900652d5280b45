-- +goose Up
-- Servers keep recently served feeds in memory and must drop one as soon as
-- an article it could list is stored, changed or deleted, whichever
-- process wrote it (workers, re-extraction, the CLI). A statement-level
-- trigger tells every listening server which sites were touched, once per
-- statement, on commit (NOTIFY is transactional): a batch of a hundred saves
-- costs one notification.
-- +goose StatementBegin
CREATE FUNCTION newsline_notify_articles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sites text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT string_agg(DISTINCT site_id::text, ',') INTO sites FROM old_rows;
    ELSE
        SELECT string_agg(DISTINCT site_id::text, ',') INTO sites FROM new_rows;
    END IF;
    IF sites IS NOT NULL THEN
        -- A payload is at most 8000 bytes; past that, "*" means every site.
        IF length(sites) > 7900 THEN
            sites := '*';
        END IF;
        PERFORM pg_notify('newsline_articles', sites);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER articles_notify_insert AFTER INSERT ON articles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION newsline_notify_articles();
CREATE TRIGGER articles_notify_update AFTER UPDATE ON articles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION newsline_notify_articles();
CREATE TRIGGER articles_notify_delete AFTER DELETE ON articles
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION newsline_notify_articles();

-- +goose Down
DROP TRIGGER articles_notify_delete ON articles;
DROP TRIGGER articles_notify_update ON articles;
DROP TRIGGER articles_notify_insert ON articles;
DROP FUNCTION newsline_notify_articles();
