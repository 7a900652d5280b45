-- +goose Up
-- The languages a site publishes in (ISO 639-1 codes, from the whitelist's
-- `languages:`): the extractor assigns only these. Empty allows every
-- language.
ALTER TABLE sites ADD COLUMN languages text[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE sites DROP COLUMN languages;
