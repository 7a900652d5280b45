package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
)

// Episode is an article read aloud: an MP3 file with its chapters and
// transcript beside it. Paths are relative to the audio directory.
type Episode struct {
	ID             int64
	ArticleID      int64
	Engine         string // the engine's name: festival, espeak-ng, http
	EngineVersion  string // what produced the sound; one episode per article and version
	Language       string
	Path           string // 2026/12/harbour-reopens-42.mp3
	Bytes          int64
	Duration       time.Duration
	ChaptersPath   string
	TranscriptPath string
	Chapters       int // how many
	CreatedAt      time.Time
	// Article is the episode's article with its body, filled by the
	// listing methods.
	Article newsline.Article
}

// episodeColumns are an episode's columns where episodes is "e".
const episodeColumns = `e.id, e.article_id, e.engine, e.engine_version, e.language, e.path, e.bytes, e.duration_ms,
	e.chapters_path, e.transcript_path, e.chapters, e.created_at`

func episodeDest(e *Episode, ms *int64) []any {
	return []any{&e.ID, &e.ArticleID, &e.Engine, &e.EngineVersion, &e.Language, &e.Path, &e.Bytes, ms,
		&e.ChaptersPath, &e.TranscriptPath, &e.Chapters, &e.CreatedAt}
}

// AddEpisode records a made episode. When the article already has one for
// the engine version (a job that ran twice, or two at once), the stored
// one is returned with created false, and the caller removes its own
// files.
func (db *DB) AddEpisode(ctx context.Context, e Episode) (Episode, bool, error) {
	var out Episode
	var ms int64
	err := db.Pool.QueryRow(ctx, `
		INSERT INTO episodes AS e (article_id, engine, engine_version, language, path, bytes, duration_ms,
			chapters_path, transcript_path, chapters)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (article_id, engine_version) DO NOTHING
		RETURNING `+episodeColumns,
		e.ArticleID, e.Engine, e.EngineVersion, e.Language, e.Path, e.Bytes, e.Duration.Milliseconds(),
		e.ChaptersPath, e.TranscriptPath, e.Chapters).Scan(episodeDest(&out, &ms)...)
	if errors.Is(err, pgx.ErrNoRows) {
		got, err := db.EpisodeFor(ctx, e.ArticleID, e.EngineVersion)
		return got, false, err
	}
	if err != nil {
		return out, false, fmt.Errorf("store: add episode of article %d: %w", e.ArticleID, err)
	}
	out.Duration = time.Duration(ms) * time.Millisecond
	return out, true, nil
}

// EpisodeFor returns the article's episode made by the engine version, or
// an ENOTFOUND error.
func (db *DB) EpisodeFor(ctx context.Context, articleID int64, engineVersion string) (Episode, error) {
	var e Episode
	var ms int64
	err := db.Reads().QueryRow(ctx, `SELECT `+episodeColumns+` FROM episodes e WHERE e.article_id = $1 AND e.engine_version = $2`,
		articleID, engineVersion).Scan(episodeDest(&e, &ms)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, newsline.Errorf(newsline.ENOTFOUND, "no episode of article %d by %s", articleID, engineVersion)
	}
	if err != nil {
		return e, fmt.Errorf("store: episode of article %d: %w", articleID, err)
	}
	e.Duration = time.Duration(ms) * time.Millisecond
	return e, nil
}

// EpisodeQuery selects a podcast feed's episodes, newest first. SiteID
// keeps one site's; ArticleIDs, when not nil, keeps those articles';
// ListenerID those of the sites and authors a user follows and of the
// articles the user bookmarked (a personal podcast).
type EpisodeQuery struct {
	SiteID     int64
	ArticleIDs []int64
	ListenerID int64
	Limit      int
}

// listenedWhere is the condition on articles "a" of a personal podcast:
// followed sites and authors, and bookmarks, of user $4.
var listenedWhere = `($4 = 0 OR ` + strings.ReplaceAll(followedWhere, "$1", "$4") + `
	OR a.id IN (SELECT article_id FROM bookmarks WHERE user_id = $4))`

// Episodes returns episodes with their articles (bodies included), newest
// first; an article with episodes by several engine versions appears with
// its newest.
func (db *DB) Episodes(ctx context.Context, q EpisodeQuery) ([]Episode, error) {
	if q.Limit < 1 || q.Limit > MaxFeedItems {
		return nil, newsline.Errorf(newsline.EINVALID, "limit must be between 1 and %d", MaxFeedItems)
	}
	rows, err := db.Reads().Query(ctx, `
		SELECT `+ArticleColumns+`, a.body_text, a.body_html, `+episodeColumns+`
		FROM (SELECT DISTINCT ON (article_id) * FROM episodes ORDER BY article_id, created_at DESC, id DESC) e
		JOIN articles a ON a.id = e.article_id JOIN sites s ON s.id = a.site_id
		WHERE ($1 = 0 OR a.site_id = $1) AND ($2::bigint[] IS NULL OR a.id = ANY($2)) AND `+listenedWhere+`
		ORDER BY e.created_at DESC, e.id DESC LIMIT $3`, q.SiteID, q.ArticleIDs, q.Limit, q.ListenerID)
	if err != nil {
		return nil, fmt.Errorf("store: episodes: %w", err)
	}
	defer rows.Close()
	var out []Episode
	for rows.Next() {
		var e Episode
		var ms int64
		var text, html string
		a, _, err := ScanArticle(rows, append([]any{&text, &html}, episodeDest(&e, &ms)...)...)
		if err != nil {
			return nil, fmt.Errorf("store: episodes: %w", err)
		}
		a.Text, a.HTML = text, html
		e.Article, e.Duration = a, time.Duration(ms)*time.Millisecond
		out = append(out, e)
	}
	return out, rows.Err()
}

// ExpireEpisodes deletes the episodes made before cutoff, files and rows
// together: the rows are deleted in a transaction that commits only once
// remove (given each episode's relative paths) has removed every file, so
// a file that could not be removed keeps its row and is tried again next
// time. It returns how many episodes it expired.
func (db *DB) ExpireEpisodes(ctx context.Context, cutoff time.Time, remove func(paths ...string) error) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `DELETE FROM episodes WHERE created_at < $1 RETURNING path, chapters_path, transcript_path`, cutoff)
		if err != nil {
			return fmt.Errorf("store: expire episodes: %w", err)
		}
		var paths []string
		for rows.Next() {
			var p, c, t string
			if err := rows.Scan(&p, &c, &t); err != nil {
				rows.Close()
				return fmt.Errorf("store: expire episodes: %w", err)
			}
			paths = append(paths, p, c, t)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: expire episodes: %w", err)
		}
		return remove(paths...)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// episodeLockClass is the first key of the advisory locks WithArticleLock
// takes, the article's id (within int4) the second.
const episodeLockClass = 736982

// WithArticleLock runs fn while holding a lock on the article's episode,
// so that two jobs never make it at once; it reports false, without
// running fn, when another holds it. The lock is a session lock on one
// pooled connection, held while fn runs (a render takes minutes, longer
// than a transaction should stay open).
func (db *DB) WithArticleLock(ctx context.Context, articleID int64, fn func() error) (bool, error) {
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("store: lock article %d: %w", articleID, err)
	}
	defer conn.Release()
	key := int32(articleID % (1<<31 - 1))
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(episodeLockClass), key).Scan(&got); err != nil {
		return false, fmt.Errorf("store: lock article %d: %w", articleID, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		// Unlocked even when ctx is done; a connection that fails here is
		// closed by the pool, which ends its locks.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1, $2)`, int32(episodeLockClass), key); err != nil {
			conn.Conn().Close(uctx) //nolint:errcheck // the lock ends with the session
		}
	}()
	return true, fn()
}
