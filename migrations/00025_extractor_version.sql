-- +goose Up
-- Each article records the version of the extractor that produced its
-- stored fields (extract.Version), so `newsline reextract` re-runs
-- extraction over the kept pages only where an improved extractor has not
-- been yet, and a run that is interrupted resumes where it stopped. Rows
-- stored before get 0: every one of them is due. The index serves the
-- re-extraction's "version below N" scans and counts, in id order.
ALTER TABLE articles ADD COLUMN extractor_version integer NOT NULL DEFAULT 0;
CREATE INDEX articles_extractor_version_idx ON articles (extractor_version, id);

-- +goose Down
DROP INDEX articles_extractor_version_idx;
ALTER TABLE articles DROP COLUMN extractor_version;
