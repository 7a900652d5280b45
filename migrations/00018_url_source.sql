-- +goose Up
-- How a URL was found: listed by a feed or a sitemap (an article candidate
-- whatever the URL looks like, fetched before the rest) or linked from a
-- page. A URL listed later is promoted from page.
ALTER TABLE urls ADD COLUMN source text NOT NULL DEFAULT 'page' CHECK (source IN ('feed', 'sitemap', 'page'));
-- A crawl queues a site's waiting URLs listed ones first, oldest first.
CREATE INDEX urls_pending_idx ON urls (site_id, (source = 'page'), id) WHERE state IN ('new', 'queued');

-- Whether discovery follows the links of a page it read that turned out to
-- be an article (by default it follows only index pages' links).
ALTER TABLE sites ADD COLUMN follow_article_links boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE sites DROP COLUMN follow_article_links;
DROP INDEX urls_pending_idx;
ALTER TABLE urls DROP COLUMN source;
