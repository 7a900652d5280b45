package store

import (
	"context"
	"fmt"
	"math/bits"
	"time"

	"github.com/jackc/pgx/v5"
)

// PickPolicy says which articles the podcast reads: complete articles
// (kind article, completeness at least MinCompleteness) published within
// MaxAge, from the listed Sites or matching one of the trending Terms, at
// most PerDay picks a day (UTC), never an article picked before nor
// another telling of its story (SimHash within PickNearBits).
type PickPolicy struct {
	MinCompleteness float64
	PerDay          int
	Sites           []string // hosts whose complete articles are read
	// Terms are trending stems as the text index holds them (search.Term's
	// Stem); an article matching more of them goes first.
	Terms  []string
	MaxAge time.Duration
	Now    time.Time
}

// Pick is an article chosen for the podcast.
type Pick struct {
	ArticleID int64
	Language  string
	Title     string
	// Reason is why: "trending:<stem>" or "site:<host>".
	Reason string
}

// PickNearBits is how many SimHash bits apart two articles may be and
// still tell one story to a listener: looser than NearDuplicateBits, which
// decides what is stored as one article, so that another site's rewrite
// of a story already read is not read again.
const PickNearBits = 8

// pickCandidates bounds the articles one selection considers.
const pickCandidates = 200

// PickArticles chooses today's next articles by the policy and records
// them as picked, in one transaction under a lock so that two selections
// running at once cannot exceed PerDay together. It returns the new
// picks, best first.
func (db *DB) PickArticles(ctx context.Context, p PickPolicy) ([]Pick, error) {
	if p.Now.IsZero() {
		p.Now = time.Now()
	}
	day := p.Now.UTC().Truncate(24 * time.Hour)
	var out []Pick
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7369828013)`); err != nil {
			return fmt.Errorf("store: pick articles: %w", err)
		}
		var today int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM episode_picks WHERE picked_at >= $1`, day).Scan(&today); err != nil {
			return fmt.Errorf("store: pick articles: %w", err)
		}
		room := p.PerDay - today
		if room <= 0 || (len(p.Sites) == 0 && len(p.Terms) == 0) {
			return nil
		}
		cands, err := pickCandidatesTx(ctx, tx, p)
		if err != nil {
			return err
		}
		var taken []candidate
		for _, c := range cands {
			if len(taken) == room {
				break
			}
			if c.nearAny(taken) {
				continue
			}
			taken = append(taken, c)
		}
		for _, c := range taken {
			if _, err := tx.Exec(ctx, `INSERT INTO episode_picks (article_id, picked_at, reason, simhash) VALUES ($1, $2, $3, $4)`,
				c.ArticleID, p.Now, c.Reason, c.simhash); err != nil {
				return fmt.Errorf("store: pick article %d: %w", c.ArticleID, err)
			}
			out = append(out, c.Pick)
		}
		return nil
	})
	return out, err
}

// candidate is an article a selection may pick.
type candidate struct {
	Pick
	simhash int64
	words   int
}

// nearAny reports whether c tells the story of one of others (both long enough
// for their SimHashes to mean something).
func (c candidate) nearAny(others []candidate) bool {
	if c.simhash == 0 || c.words < MinWordsNearDuplicate {
		return false
	}
	for _, o := range others {
		if o.simhash != 0 && o.words >= MinWordsNearDuplicate && bits.OnesCount64(uint64(c.simhash^o.simhash)) <= PickNearBits {
			return true
		}
	}
	return false
}

// pickCandidatesTx reads the articles the policy allows that were never
// picked and nearly copy no pick, those matching the most trending terms
// first, then the newest.
func pickCandidatesTx(ctx context.Context, tx pgx.Tx, p PickPolicy) ([]candidate, error) {
	sites, terms := p.Sites, p.Terms
	if sites == nil {
		sites = []string{}
	}
	if terms == nil {
		terms = []string{}
	}
	// Each stem is quoted as a lexeme, so that no stem can be read as
	// tsquery syntax.
	rows, err := tx.Query(ctx, `
		WITH q AS (
			SELECT (SELECT string_agg(quote_literal(t), ' | ') FROM unnest($3::text[]) t)::tsquery AS q
		), c AS (
			SELECT a.id, a.language, a.title, coalesce(a.simhash, 0) AS simhash, a.word_count, s.host, a.sort_at,
			       CASE WHEN q.q IS NULL OR NOT a.search @@ q.q THEN '{}'::text[]
			            ELSE array(SELECT t FROM unnest($3::text[]) t WHERE a.search @@ quote_literal(t)::tsquery) END AS matched
			FROM articles a JOIN sites s ON s.id = a.site_id, q
			WHERE a.kind = 'article' AND a.completeness >= $1 AND a.sort_at >= $4
			  AND (s.host = ANY($2) OR (q.q IS NOT NULL AND a.search @@ q.q))
			  AND NOT EXISTS (SELECT 1 FROM episode_picks p WHERE p.article_id = a.id)
			  AND NOT (coalesce(a.simhash, 0) <> 0 AND a.word_count >= $5 AND EXISTS (
			      SELECT 1 FROM episode_picks p WHERE p.simhash <> 0 AND bit_count((p.simhash # a.simhash)::bit(64)) <= $6))
		)
		SELECT id, language, title, simhash, word_count,
		       CASE WHEN cardinality(matched) > 0 THEN 'trending:' || matched[1] ELSE 'site:' || host END
		FROM c ORDER BY cardinality(matched) DESC, sort_at DESC, id DESC LIMIT $7`,
		p.MinCompleteness, sites, terms, p.Now.Add(-p.MaxAge), MinWordsNearDuplicate, PickNearBits, pickCandidates)
	if err != nil {
		return nil, fmt.Errorf("store: pick candidates: %w", err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.ArticleID, &c.Language, &c.Title, &c.simhash, &c.words, &c.Reason); err != nil {
			return nil, fmt.Errorf("store: pick candidates: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pick candidates: %w", err)
	}
	return out, nil
}

// PicksWithoutEpisode returns the picks made since since that have no
// episode yet: their speech job failed for good, or was lost with Redis's
// data, and is queued again.
func (db *DB) PicksWithoutEpisode(ctx context.Context, since time.Time) ([]Pick, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT p.article_id, a.language, a.title, p.reason FROM episode_picks p JOIN articles a ON a.id = p.article_id
		WHERE p.picked_at >= $1 AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.article_id = p.article_id)
		ORDER BY p.picked_at, p.article_id`, since)
	if err != nil {
		return nil, fmt.Errorf("store: picks without episode: %w", err)
	}
	defer rows.Close()
	var out []Pick
	for rows.Next() {
		var pk Pick
		if err := rows.Scan(&pk.ArticleID, &pk.Language, &pk.Title, &pk.Reason); err != nil {
			return nil, fmt.Errorf("store: picks without episode: %w", err)
		}
		out = append(out, pk)
	}
	return out, rows.Err()
}
