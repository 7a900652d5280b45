package extract

// Version is the extractor's version, stored with every article it
// extracts (articles.extractor_version). Bump it whenever a change alters
// what Extract returns for a page (text, kind, metadata, keywords,
// summary): `newsline reextract` then re-extracts every article stored by
// an older version from its kept page.
const Version = 1
