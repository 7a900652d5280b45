package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// SaveRequest is one fetched article to store: the URL it was fetched
// from, the extracted article and what the fetch told us.
type SaveRequest struct {
	URLID   int64
	Article *newsline.Article
	Fetch   FetchInfo
}

// SaveArticle stores an article extracted from URL urlID and marks the URL
// fetched, in one transaction. It stores each article once:
//   - a URL fetched again updates its own article, counting a revision when
//     the text changed;
//   - a page whose canonical URL is already stored updates that article;
//   - a page whose text equals, or nearly equals (SimHash), a stored
//     article's becomes an alias of it: the URL points at the article and
//     nothing new is stored.
func (db *DB) SaveArticle(ctx context.Context, urlID int64, a *newsline.Article, f FetchInfo) (SaveResult, error) {
	res, err := db.SaveArticles(ctx, []SaveRequest{{URLID: urlID, Article: a, Fetch: f}})
	if err != nil {
		return SaveResult{}, err
	}
	return res[0], nil
}

// SaveArticles stores several articles in one transaction, with the outcome
// each would have had from SaveArticle called in the order given: a later
// request that copies an earlier one becomes its alias. Either all are
// stored or none.
//
// The work is a handful of statements whatever the number of articles:
// per-article statements were most of the database's time on the crawl's
// save path (bench crawl), and most of the worker's time outside
// extraction.
func (db *DB) SaveArticles(ctx context.Context, reqs []SaveRequest) ([]SaveResult, error) {
	items := make([]*saveItem, len(reqs))
	for i, r := range reqs {
		items[i] = newSaveItem(r)
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: save articles: %w", err)
	}
	defer conn.Release()
	if err := saveAll(ctx, conn.Conn(), items); err != nil {
		// A failed statement leaves the transaction open and aborted.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, rerr := conn.Exec(rctx, "ROLLBACK"); rerr != nil {
			// A connection in an unknown state must not go back to the
			// pool: closed, Release drops it. A failed close leaves
			// nothing more to do, and err already says what went wrong.
			_ = conn.Conn().Close(rctx)
		}
		return nil, err
	}
	out := make([]SaveResult, len(items))
	for i, it := range items {
		out[i] = it.res
	}
	return out, nil
}

// saveAll stores items in one transaction, in rounds of three pipelined
// round trips: begin, lock and look up; insert and update; link authors,
// mark the URLs fetched and commit. Each round stores what it can; an item
// that copies another item of the same round waits for the next, which
// finds the copied article stored.
func saveAll(ctx context.Context, conn *pgx.Conn, items []*saveItem) error {
	for round, todo := 0, items; len(todo) > 0; round++ {
		b := &pgx.Batch{}
		if round == 0 {
			queueLocks(b, items)
		}
		queueLookup(b, todo)
		br := conn.SendBatch(ctx, b)
		err := readLookup(br, todo, round == 0)
		if cerr := br.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("store: save articles: %w", cerr)
		}
		if err != nil {
			return err
		}
		fresh, done, deferred := resolve(todo)

		b = &pgx.Batch{}
		if err := queueInsert(b, fresh); err != nil {
			return err
		}
		updates := queueUpdates(b, done)
		if b.Len() > 0 {
			br = conn.SendBatch(ctx, b)
			err = readInsert(br, fresh)
			if err == nil {
				err = readUpdates(br, updates)
			}
			if cerr := br.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("store: save articles: %w", cerr)
			}
			if err != nil {
				return err
			}
		}

		b = &pgx.Batch{}
		queueFinish(b, done)
		if len(deferred) == 0 {
			b.Queue("COMMIT")
		}
		if err := conn.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("store: save articles: %w", err)
		}
		todo = deferred
	}
	return nil
}

// saveItem is one request on its way through SaveArticles.
type saveItem struct {
	SaveRequest
	a       *newsline.Article
	sortAt  time.Time
	simhash int64
	// Found in the database in this round.
	own                  *int64 // the URL's article
	primary              bool   // the URL is the article's own, not an alias
	byCanonical, byHash  *int64
	byNear               *int64
	target               int64 // the article it is, or copies
	alias, update, fresh bool
	res                  SaveResult
}

func newSaveItem(r SaveRequest) *saveItem {
	it := &saveItem{SaveRequest: r, a: r.Article, simhash: int64(r.Fetch.SimHash)}
	it.sortAt = it.a.FetchedAt
	if it.a.PublishedAt != nil {
		it.sortAt = *it.a.PublishedAt
	}
	return it
}

// nearCandidate reports whether the item takes part in near-duplicate
// matching: short texts' hashes collide too easily.
func (it *saveItem) nearCandidate() bool {
	return it.simhash != 0 && it.a.WordCount >= MinWordsNearDuplicate
}

// queueLocks begins the transaction and makes it the only one saving the
// batch's texts and canonical URLs (two copies stored at once by two
// workers must not both become new articles) and its URLs. Keys are taken
// in one order by everyone, so two batches cannot deadlock.
func queueLocks(b *pgx.Batch, items []*saveItem) {
	var keys, urlIDs []int64
	for _, it := range items {
		if len(it.Fetch.ContentHash) >= 8 {
			keys = append(keys, int64(binary.BigEndian.Uint64(it.Fetch.ContentHash)))
		}
		sum := sha256.Sum256([]byte(it.a.CanonicalURL))
		keys = append(keys, int64(binary.BigEndian.Uint64(sum[:])))
		urlIDs = append(urlIDs, it.URLID)
	}
	slices.Sort(keys)
	slices.Sort(urlIDs)
	b.Queue("BEGIN")
	// A commit need not wait for its WAL flush: should PostgreSQL crash in
	// the next few hundred milliseconds and lose it, the lost transaction
	// takes the URLs' "fetched" marks with it, the URLs are still queued,
	// and the next crawl fetches them again. No article is lost and none
	// is stored twice; the flush wait was a fifth of the database's time
	// under load (bench crawl).
	b.Queue(`SET LOCAL synchronous_commit = off`)
	b.Queue(`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT k FROM unnest($1::bigint[]) AS k ORDER BY k) s`, keys)
	b.Queue(`SELECT id FROM urls WHERE id = ANY($1) ORDER BY id FOR UPDATE`, urlIDs)
}

// lockStatements is how many results queueLocks queues.
const lockStatements = 4

// queueCustomPlanned queues a statement planned for its arguments every
// time. The lookups' best plan depends on the tables' sizes: a plan cached
// while they were small (a new database) would scan them whole on every
// save where autovacuum does not refresh the statistics and with them the
// cache. The other statements keep cached plans: planning the lookup every
// time cost a tenth of the saves' database time, and all of them twice that.
// It adds two results before and after the statement's own.
func queueCustomPlanned(b *pgx.Batch, sql string, args ...any) {
	b.Queue(`SET LOCAL plan_cache_mode = force_custom_plan`)
	b.Queue(sql, args...)
	b.Queue(`SET LOCAL plan_cache_mode = auto`)
}

// queueLookup finds, for each item, the URL's own article and the stored
// articles with its canonical URL, its text, or nearly its text.
func queueLookup(b *pgx.Batch, items []*saveItem) {
	n := len(items)
	idx, urlIDs, words := make([]int32, n), make([]int64, n), make([]int32, n)
	canon, hashes, sims := make([]string, n), make([][]byte, n), make([]int64, n)
	for i, it := range items {
		idx[i], urlIDs[i], canon[i], hashes[i] = int32(i), it.URLID, it.a.CanonicalURL, it.Fetch.ContentHash
		if it.nearCandidate() {
			sims[i], words[i] = it.simhash, int32(it.a.WordCount)
		}
	}
	// The SimHash is split into four 16-bit bands; two texts within
	// NearDuplicateBits bits share at least one band, so the band indexes
	// find every candidate.
	queueCustomPlanned(b, `
		SELECT q.i, u.article_id, coalesce(ar.url = u.url, false),
		       (SELECT a.id FROM articles a WHERE a.canonical_url = q.canonical),
		       (SELECT min(a.id) FROM articles a WHERE q.hash IS NOT NULL AND a.content_hash = q.hash),
		       (SELECT min(c.id) FROM (
		            SELECT id, simhash, word_count FROM articles WHERE simhash_b0 = ((q.sim >> 48) & 65535)::integer
		            UNION ALL SELECT id, simhash, word_count FROM articles WHERE simhash_b1 = ((q.sim >> 32) & 65535)::integer
		            UNION ALL SELECT id, simhash, word_count FROM articles WHERE simhash_b2 = ((q.sim >> 16) & 65535)::integer
		            UNION ALL SELECT id, simhash, word_count FROM articles WHERE simhash_b3 = (q.sim & 65535)::integer
		        ) c
		        WHERE q.sim <> 0 AND c.word_count >= $7 AND bit_count((c.simhash # q.sim)::bit(64)) <= $8)
		FROM unnest($1::int[], $2::bigint[], $3::text[], $4::bytea[], $5::bigint[], $6::int[]) AS q(i, url_id, canonical, hash, sim, words)
		JOIN urls u ON u.id = q.url_id
		LEFT JOIN articles ar ON ar.id = u.article_id`,
		idx, urlIDs, canon, hashes, sims, words, MinWordsNearDuplicate, NearDuplicateBits)
}

// readLookup reads queueLookup's answer, after queueLocks' when locked.
func readLookup(br pgx.BatchResults, items []*saveItem, locked bool) error {
	if locked {
		for range lockStatements {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("store: save articles: lock: %w", err)
			}
		}
	}
	if _, err := br.Exec(); err != nil { // queueCustomPlanned's SET
		return fmt.Errorf("store: save articles: look up: %w", err)
	}
	if err := scanLookup(br, items); err != nil {
		return err
	}
	if _, err := br.Exec(); err != nil {
		return fmt.Errorf("store: save articles: look up: %w", err)
	}
	return nil
}

func scanLookup(br pgx.BatchResults, items []*saveItem) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("store: save articles: look up: %w", err)
	}
	defer rows.Close()
	n, seen := len(items), 0
	for rows.Next() {
		var i int32
		var own, byCanonical, byHash, byNear *int64
		var primary bool
		if err := rows.Scan(&i, &own, &primary, &byCanonical, &byHash, &byNear); err != nil {
			return fmt.Errorf("store: save articles: look up: %w", err)
		}
		it := items[i]
		it.own, it.primary, it.byCanonical, it.byHash, it.byNear = own, primary, byCanonical, byHash, byNear
		seen++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: save articles: look up: %w", err)
	}
	if seen != n {
		return fmt.Errorf("store: save articles: %d of %d URLs not found", n-seen, n)
	}
	return nil
}

// resolve decides what each item is: a new article (fresh), a known one
// or an alias of one (done), or a copy of another new item, which waits
// for the next round (deferred).
func resolve(items []*saveItem) (fresh, done, deferred []*saveItem) {
	canonical := map[string]bool{}
	hashes := map[string]bool{}
	for _, it := range items {
		it.alias, it.update, it.fresh = false, false, false
		switch {
		case it.own != nil:
			// A copy keeps pointing at the article it copies; only the
			// article's own URL may change its text.
			it.target, it.alias, it.update = *it.own, !it.primary, it.primary
		case it.byCanonical != nil:
			it.target, it.update = *it.byCanonical, true
		case it.byHash != nil:
			it.target, it.alias = *it.byHash, true
		case it.byNear != nil:
			it.target, it.alias = *it.byNear, true
		case canonical[it.a.CanonicalURL] || len(it.Fetch.ContentHash) > 0 && hashes[string(it.Fetch.ContentHash)] || nearFresh(it, fresh):
			deferred = append(deferred, it)
			continue
		default:
			it.fresh = true
			fresh = append(fresh, it)
			canonical[it.a.CanonicalURL] = true
			if len(it.Fetch.ContentHash) > 0 {
				hashes[string(it.Fetch.ContentHash)] = true
			}
		}
		done = append(done, it)
	}
	return fresh, done, deferred
}

// nearFresh reports whether it nearly copies an article the round is
// about to insert.
func nearFresh(it *saveItem, fresh []*saveItem) bool {
	if !it.nearCandidate() {
		return false
	}
	for _, f := range fresh {
		if f.nearCandidate() && bits.OnesCount64(uint64(f.simhash^it.simhash)) <= NearDuplicateBits {
			return true
		}
	}
	return false
}

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
		complete[i], srcs[i] = completeness(a), string(src)
	}
	b.Queue(`
		INSERT INTO articles (site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at,
			body_text, body_html, excerpt, image_url, site_name, language, word_count, raw_html, fetched_at,
			content_hash, simhash, ts_config, section, keywords, summary, kind, kind_reason, completeness, field_sources,
			section_key)
		SELECT site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at,
			body_text, body_html, excerpt, image_url, site_name, language, word_count, raw_html, fetched_at,
			content_hash, simhash, ts_config::regconfig, section,
			ARRAY(SELECT jsonb_array_elements_text(keywords::jsonb)), summary, kind, kind_reason, completeness, field_sources::jsonb,
			section_key
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
			$8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[],
			$16::bytea[], $17::timestamptz[], $18::bytea[], $19::bigint[], $20::text[], $21::text[], $22::text[],
			$23::text[], $24::text[], $25::text[], $26::float8[], $27::text[], $28::text[])
			AS x(site_id, url, canonical_url, title, byline, published_at, modified_at, sort_at, body_text, body_html,
			     excerpt, image_url, site_name, language, word_count, raw_html, fetched_at, content_hash, simhash,
			     ts_config, section, keywords, summary, kind, kind_reason, completeness, field_sources, section_key)
		RETURNING id, canonical_url`,
		siteID, urls, canon, title, byline, published, modified, sortAt, text, html, excerpt, image, siteName, lang,
		words, raw, fetchedAt, hashes, simhash, config, section, keywords, summary, kinds, reason, complete, srcs, sectionKey)
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
					kind_reason = $22, completeness = $23, field_sources = $24, section_key = $25
				WHERE id = $1 AND content_hash IS DISTINCT FROM $15`,
				it.target, a.Title, a.Byline, a.PublishedAt, a.ModifiedAt, a.Text, a.HTML, a.Excerpt, a.ImageURL,
				a.SiteName, a.Language, a.WordCount, f.RawHTML, a.FetchedAt, f.ContentHash, it.simhash,
				tsConfig(a), a.Section, newsline.NonNil(a.Keywords), a.Summary, kind(a), a.KindReason, completeness(a), sources(a),
				newsline.Slug(a.Section))
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
	var rewritten []int64             // changed articles: their authors are replaced
	var linkArticle []int64           // article_authors rows to insert
	var linkKey, authorName []string  // their author keys, and each name
	var authorSlug []string           // and slug
	var linkPos []int32               //
	terms := map[string][]string{}    // by language, of new articles
	docs := map[string]int32{}        //
	var urlIDs, articleIDs []int64    // every URL
	var status []int32                //
	var etags, lastMods []string      //
	var hashes [][]byte               //
	authorKeys := map[string]string{} // key → name, to upsert
	for _, it := range items {
		urlIDs, articleIDs = append(urlIDs, it.URLID), append(articleIDs, it.target)
		status, etags, lastMods = append(status, int32(it.Fetch.HTTPStatus)), append(etags, it.Fetch.ETag), append(lastMods, it.Fetch.LastModified)
		hashes = append(hashes, it.Fetch.ContentHash)
		if it.res.Outcome != SavedNew && it.res.Outcome != SavedUpdated {
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
		if it.res.Outcome == SavedNew && len(it.a.Terms) > 0 {
			lang := it.a.Language
			if lang == "" {
				lang = "und"
			}
			terms[lang] = append(terms[lang], it.a.Terms...)
			docs[lang]++
		}
	}
	// Authors are upserted in key order, so two rounds cannot deadlock on
	// them; DO NOTHING leaves existing rows untouched.
	keys := make([]string, 0, len(authorKeys))
	for k := range authorKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
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
	for lang, ts := range terms {
		b.Queue(`INSERT INTO term_stats_queue (language, terms, docs) VALUES ($1, $2, $3)`, lang, ts, docs[lang])
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
