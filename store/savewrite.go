package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// queueInsert inserts the round's new articles in one statement.
func queueInsert(b *pgx.Batch, fresh []*saveItem) error {
	if len(fresh) == 0 {
		return nil
	}
	n := len(fresh)
	var (
		siteID, simhash                                 = make([]int64, n), make([]int64, n)
		urls, canon, title, byline, text, html, excerpt = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		image, siteName, lang, config, section          = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		keywords, summary, kinds, reason, srcs          = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		published, modified                             = make([]*time.Time, n), make([]*time.Time, n)
		sortAt, fetchedAt                               = make([]time.Time, n), make([]time.Time, n)
		words                                           = make([]int32, n)
		complete                                        = make([]float64, n)
		raw, hashes                                     = make([][]byte, n), make([][]byte, n)
		sectionKey                                      = make([]string, n)
		versions                                        = make([]int32, n)
	)
	for i, it := range fresh {
		a := it.a
		kw, err := json.Marshal(newsline.NonNil(a.Keywords))
		if err != nil {
			return fmt.Errorf("store: save articles: %w", err)
		}
		src, err := json.Marshal(sources(a))
		if err != nil {
			return fmt.Errorf("store: save articles: %w", err)
		}
		siteID[i], urls[i], canon[i], title[i], byline[i] = a.SiteID, a.URL, a.CanonicalURL, a.Title, a.Byline
		published[i], modified[i], sortAt[i] = a.PublishedAt, a.ModifiedAt, it.sortAt
		text[i], html[i], excerpt[i], image[i], siteName[i] = a.Text, a.HTML, a.Excerpt, a.ImageURL, a.SiteName
		lang[i], words[i], raw[i], fetchedAt[i] = a.Language, int32(a.WordCount), it.Fetch.RawHTML, a.FetchedAt
		hashes[i], simhash[i], config[i], section[i], sectionKey[i] = it.Fetch.ContentHash, it.simhash, tsConfig(a), a.Section, newsline.Slug(a.Section)
		keywords[i], summary[i], kinds[i], reason[i] = string(kw), a.Summary, kind(a), a.KindReason
		complete[i], srcs[i], versions[i] = completeness(a), string(src), int32(it.Fetch.ExtractorVersion)
	}
	b.Queue(`
		INSERT INTO articles (site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at,
			body_text, body_html, excerpt, image_url, site_name, language, word_count, raw_html, fetched_at,
			content_hash, simhash, ts_config, section, keywords, summary, kind, kind_reason, completeness, field_sources,
			section_key, extractor_version)
		SELECT site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at,
			body_text, body_html, excerpt, image_url, site_name, language, word_count, raw_html, fetched_at,
			content_hash, simhash, ts_config::regconfig, section,
			ARRAY(SELECT jsonb_array_elements_text(keywords::jsonb)), summary, kind, kind_reason, completeness, field_sources::jsonb,
			section_key, extractor_version
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
			$8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[],
			$16::bytea[], $17::timestamptz[], $18::bytea[], $19::bigint[], $20::text[], $21::text[], $22::text[],
			$23::text[], $24::text[], $25::text[], $26::float8[], $27::text[], $28::text[], $29::int[])
			AS x(site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at, body_text, body_html,
			     excerpt, image_url, site_name, language, word_count, raw_html, fetched_at, content_hash, simhash,
			     ts_config, section, keywords, summary, kind, kind_reason, completeness, field_sources, section_key,
			     extractor_version)
		RETURNING id, canonical_url`,
		siteID, urls, canon, title, byline, published, modified, sortAt, text, html, excerpt, image, siteName, lang,
		words, raw, fetchedAt, hashes, simhash, config, section, keywords, summary, kinds, reason, complete, srcs, sectionKey,
		versions)
	return nil
}

// readInsert reads the new articles' ids.
func readInsert(br pgx.BatchResults, fresh []*saveItem) error {
	if len(fresh) == 0 {
		return nil
	}
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("store: save articles: insert: %w", err)
	}
	defer rows.Close()
	n := len(fresh)
	byURL := make(map[string]*saveItem, n)
	for _, it := range fresh {
		byURL[it.a.CanonicalURL] = it
	}
	got := 0
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return fmt.Errorf("store: save articles: insert: %w", err)
		}
		if it := byURL[c]; it != nil {
			it.target, it.res = id, SaveResult{ArticleID: id, Outcome: SavedNew}
			got++
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: save articles: insert %s: %w", fresh[0].a.CanonicalURL, err)
	}
	if got != n {
		return fmt.Errorf("store: save articles: inserted %d of %d articles", got, n)
	}
	return nil
}

// queueUpdates rewrites the articles whose text changed, counting a
// revision, and settles every other item's outcome; it returns the items
// it queued an update for.
func queueUpdates(b *pgx.Batch, items []*saveItem) (updates []*saveItem) {
	for _, it := range items {
		switch {
		case it.fresh:
		case it.alias:
			it.res = SaveResult{ArticleID: it.target, Outcome: SavedAlias}
		default:
			a, f := it.a, it.Fetch
			it.res = SaveResult{ArticleID: it.target, Outcome: SavedUnchanged}
			updates = append(updates, it)
			b.Queue(`
				UPDATE articles SET title = $2, byline = $3, published_at = coalesce($4, published_at),
					modified_at = $5, sort_at = coalesce($4, sort_at), body_text = $6, body_html = $7, excerpt = $8,
					image_url = $9, site_name = $10, language = $11, word_count = $12, raw_html = $13, raw_html_gz = NULL,
					fetched_at = $14, content_hash = $15, simhash = $16, revisions = revisions + 1, updated_at = now(),
					ts_config = $17::regconfig, section = $18, keywords = $19, summary = $20, kind = $21,
					kind_reason = $22, completeness = $23, field_sources = $24, section_key = $25,
					extractor_version = $26
				WHERE id = $1 AND content_hash IS DISTINCT FROM $15`,
				it.target, a.Title, a.Byline, a.PublishedAt, a.ModifiedAt, a.Text, a.HTML, a.Excerpt, a.ImageURL,
				a.SiteName, a.Language, a.WordCount, f.RawHTML, a.FetchedAt, f.ContentHash, it.simhash,
				tsConfig(a), a.Section, newsline.NonNil(a.Keywords), a.Summary, kind(a), a.KindReason, completeness(a), sources(a),
				newsline.Slug(a.Section), f.ExtractorVersion)
		}
	}
	return updates
}

// readUpdates learns which updates changed their article.
func readUpdates(br pgx.BatchResults, updates []*saveItem) error {
	for _, it := range updates {
		tag, err := br.Exec()
		if err != nil {
			return fmt.Errorf("store: update article %d: %w", it.target, err)
		}
		if tag.RowsAffected() == 1 {
			it.res.Outcome = SavedUpdated
		}
	}
	return nil
}

// queueFinish records the authors of new and changed articles, queues new
// articles' terms for the corpus statistics, and marks every URL fetched.
func queueFinish(b *pgx.Batch, items []*saveItem) {
	if len(items) == 0 {
		return
	}
	queueAuthors(b, items)
	queueTerms(b, items)
	queueFetched(b, items)
}

// stored reports whether it wrote an article row: a new or a changed one.
func (it *saveItem) stored() bool {
	return it.res.Outcome == SavedNew || it.res.Outcome == SavedUpdated
}

// queueAuthors links new and changed articles to their authors, in order
// and each once; a changed article's links are replaced.
func queueAuthors(b *pgx.Batch, items []*saveItem) {
	var rewritten []int64             // changed articles: their authors are replaced
	var linkArticle []int64           // article_authors rows to insert
	var linkKey []string              // their author keys
	var linkPos []int32               // and positions
	authorKeys := map[string]string{} // key → name, to upsert
	for _, it := range items {
		if !it.stored() {
			continue
		}
		if it.res.Outcome == SavedUpdated {
			rewritten = append(rewritten, it.target)
		}
		pos := int32(0)
		seen := map[string]bool{}
		for _, name := range it.a.Authors {
			name = strings.Join(strings.Fields(name), " ")
			key := strings.ToLower(name)
			if key == "" || seen[key] {
				continue
			}
			seen[key] = true
			if _, ok := authorKeys[key]; !ok {
				authorKeys[key] = name
			}
			linkArticle, linkKey, linkPos = append(linkArticle, it.target), append(linkKey, key), append(linkPos, pos)
			pos++
		}
	}
	// Authors are upserted in key order, so two rounds cannot deadlock on
	// them; DO NOTHING leaves existing rows untouched.
	keys := make([]string, 0, len(authorKeys))
	for k := range authorKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var authorName, authorSlug []string
	for _, k := range keys {
		authorName, authorSlug = append(authorName, authorKeys[k]), append(authorSlug, newsline.Slug(authorKeys[k]))
	}
	if len(rewritten) > 0 {
		b.Queue(`DELETE FROM article_authors WHERE article_id = ANY($1)`, rewritten)
	}
	if len(keys) > 0 {
		b.Queue(`INSERT INTO authors (name, name_key, slug)
			SELECT name, key, slug FROM unnest($1::text[], $2::text[], $3::text[]) AS t(name, key, slug)
			ON CONFLICT (name_key) DO NOTHING`, authorName, keys, authorSlug)
		b.Queue(`INSERT INTO article_authors (article_id, author_id, position)
			SELECT t.article_id, au.id, t.position FROM unnest($1::bigint[], $2::text[], $3::int[]) AS t(article_id, key, position)
			JOIN authors au ON au.name_key = t.key`, linkArticle, linkKey, linkPos)
	}
}

// queueTerms queues new articles' terms, by language, for the corpus
// statistics (see FoldTermStats).
func queueTerms(b *pgx.Batch, items []*saveItem) {
	terms := map[string][]string{}
	docs := map[string]int32{}
	for _, it := range items {
		if it.res.Outcome != SavedNew || len(it.a.Terms) == 0 {
			continue
		}
		lang := it.a.Language
		if lang == "" {
			lang = "und"
		}
		terms[lang] = append(terms[lang], it.a.Terms...)
		docs[lang]++
	}
	for lang, ts := range terms {
		b.Queue(`INSERT INTO term_stats_queue (language, terms, docs) VALUES ($1, $2, $3)`, lang, ts, docs[lang])
	}
}

// queueFetched marks every item's URL fetched, pointing at its article.
func queueFetched(b *pgx.Batch, items []*saveItem) {
	var urlIDs, articleIDs []int64
	var status []int32
	var etags, lastMods []string
	var hashes [][]byte
	for _, it := range items {
		urlIDs, articleIDs = append(urlIDs, it.URLID), append(articleIDs, it.target)
		status, etags, lastMods = append(status, int32(it.Fetch.HTTPStatus)), append(etags, it.Fetch.ETag), append(lastMods, it.Fetch.LastModified)
		hashes = append(hashes, it.Fetch.ContentHash)
	}
	queueCustomPlanned(b, `
		UPDATE urls u SET state = 'fetched', reason = NULL, http_status = nullif(x.status, 0), etag = nullif(x.etag, ''),
			last_modified = nullif(x.last_modified, ''), content_hash = x.hash, attempts = u.attempts + 1,
			article_id = x.article_id, fetched_at = now(), first_fetched_at = coalesce(u.first_fetched_at, now()),
			fetch_count = u.fetch_count + 1, next_fetch_at = `+nextFetchSQL+`
		FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::bytea[], $6::bigint[])
			AS x(id, status, etag, last_modified, hash, article_id), sites s
		WHERE u.id = x.id AND s.id = u.site_id`,
		urlIDs, status, etags, lastMods, hashes, articleIDs)
}
