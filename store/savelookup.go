package store

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"

	"github.com/jackc/pgx/v5"
)

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
