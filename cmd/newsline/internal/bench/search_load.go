package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/newsline/newsline"
)

// SearchLoad is what loading the archive measured.
type SearchLoad struct {
	Articles   int
	Authors    int           // article_authors rows
	Streams    int           // COPY streams in parallel
	Copy       time.Duration // COPY of every row, secondary indexes and foreign keys dropped
	GINBuild   time.Duration // CREATE INDEX articles_search_idx, alone on its connection
	Indexes    time.Duration // every secondary index and foreign key back, the GIN one included (wall time)
	Analyze    time.Duration // VACUUM (ANALYZE) afterwards
	Reused     bool          // the archive was loaded by an earlier run; the figures are that run's
	MaintMemMB int           // maintenance_work_mem for the index builds
}

// ArticlesPerSec is the COPY rate.
func (l SearchLoad) ArticlesPerSec() float64 {
	if l.Copy <= 0 {
		return 0
	}
	return float64(l.Articles) / l.Copy.Seconds()
}

// Total is the whole load: COPY, indexes and ANALYZE.
func (l SearchLoad) Total() time.Duration { return l.Copy + l.Indexes + l.Analyze }

// SearchSizes are the archive's sizes on disk, in bytes.
type SearchSizes struct {
	Total int64 // pg_total_relation_size('articles'): heap, TOAST and indexes
	Table int64 // pg_table_size('articles'): heap and TOAST
	GIN   int64 // pg_relation_size('articles_search_idx')
	Index int64 // pg_indexes_size('articles')
}

const searchMaintMemMB = 1024

// SearchDatabaseURL returns serverURL (a URL or keyword/value string)
// pointed at the database name.
func SearchDatabaseURL(serverURL, name string) (string, error) { return withDatabase(serverURL, name) }

// searchMeta is the row of bench_search_meta, a table only bench
// databases have: which archive the database holds, and how its load went.
type searchMeta struct {
	Seed       int64
	Articles   int
	Vocabulary int
	Complete   bool
	Load       SearchLoad
}

// readSearchMeta returns the database's archive, or nil when it holds
// none (a fresh, migrated database). A database with articles but no
// complete archive is an error: the benchmark never loads into it.
func readSearchMeta(ctx context.Context, pool *pgxpool.Pool) (*searchMeta, error) {
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('bench_search_meta') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if exists {
		var m searchMeta
		var load []byte
		err := pool.QueryRow(ctx, `SELECT seed, articles, vocabulary, complete, load FROM bench_search_meta`).
			Scan(&m.Seed, &m.Articles, &m.Vocabulary, &m.Complete, &load)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("bench: read bench_search_meta: %w", err)
		}
		if err == nil {
			if !m.Complete {
				return nil, errors.New("bench: the database holds an archive whose load did not finish; drop it and load again")
			}
			if err := json.Unmarshal(load, &m.Load); err != nil {
				return nil, fmt.Errorf("bench: read bench_search_meta: %w", err)
			}
			var lost bool
			if err := pool.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM articles)`).Scan(&lost); err != nil {
				return nil, fmt.Errorf("bench: %w", err)
			}
			if lost {
				return nil, errors.New("bench: the archive's tables are empty: a server crash empties unlogged tables; drop the database and load again")
			}
			m.Load.Reused = true
			return &m, nil
		}
	}
	var any bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM sites)`).Scan(&any); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if any {
		return nil, errors.New("bench: the database holds sites or articles but no search benchmark archive; give an empty database or one an earlier run loaded")
	}
	return nil, nil
}

// searchLoader loads the generated archive.
type searchLoader struct {
	pool      *pgxpool.Pool
	cfg       SearchConfig
	vocabs    []*searchVocab
	zipf      *zipfTable
	regcfg    []uint32 // ts_config OID by language
	siteIDs   []int64
	siteNames []string
	authorID  []int64
}

// openLoadPool opens the pool the archive is loaded through.
func openLoadPool(ctx context.Context, dbURL string, conns int) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: parse database URL: %w", err)
	}
	pcfg.MaxConns = int32(max(conns, 2))
	// A chunk's commit need not wait for its WAL to reach the disk: the
	// archive is made again from its seed should the server crash.
	pcfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("bench: connect: %w", err)
	}
	return pool, nil
}

// load fills a fresh, migrated database.
func (l *searchLoader) load(ctx context.Context, progress func(Progress)) (SearchLoad, error) {
	res := SearchLoad{Articles: l.cfg.Articles, Streams: l.cfg.Streams, MaintMemMB: searchMaintMemMB}
	restore, err := l.prepare(ctx)
	if err != nil {
		return res, err
	}
	if res.Copy, res.Authors, err = l.copyArticles(ctx, progress); err != nil {
		return res, err
	}
	err = l.index(ctx, restore, &res, progress)
	return res, err
}

// prepare records the archive's seed and size, finds the languages' text
// search configurations, inserts the sites and authors, drops what would
// slow the COPY (secondary indexes, foreign keys, WAL), and returns what
// builds the indexes back.
func (l *searchLoader) prepare(ctx context.Context) (func(context.Context) (time.Duration, error), error) {
	if _, err := l.pool.Exec(ctx, `
		CREATE TABLE bench_search_meta (seed bigint NOT NULL, articles integer NOT NULL, vocabulary integer NOT NULL,
			complete boolean NOT NULL DEFAULT false, load jsonb NOT NULL DEFAULT '{}');
		`); err != nil {
		return nil, fmt.Errorf("bench: create bench_search_meta: %w", err)
	}
	if _, err := l.pool.Exec(ctx, `INSERT INTO bench_search_meta (seed, articles, vocabulary) VALUES ($1, $2, $3)`,
		l.cfg.Seed, l.cfg.Articles, l.cfg.Vocabulary); err != nil {
		return nil, fmt.Errorf("bench: write bench_search_meta: %w", err)
	}
	for _, lang := range l.vocabs {
		var oid uint32
		if err := l.pool.QueryRow(ctx, `SELECT $1::regconfig::oid`, lang.lang.Config).Scan(&oid); err != nil {
			return nil, fmt.Errorf("bench: text search configuration %s: %w", lang.lang.Config, err)
		}
		l.regcfg = append(l.regcfg, oid)
	}
	if err := l.insertSitesAndAuthors(ctx); err != nil {
		return nil, err
	}
	referencing, err := l.referencingArticles(ctx)
	if err != nil {
		return nil, err
	}
	restore, err := l.dropSecondary(ctx)
	if err != nil {
		return nil, err
	}
	// The archive is made again from its seed whenever it is needed, so it
	// is written without WAL: logged, the load wrote every byte twice and
	// waited on the WAL's flushes (15k articles/s at a million, against
	// 25k). Reads are the same either way. A crash empties unlogged
	// tables; readSearchMeta notices.
	unlogged := "ALTER TABLE urls SET UNLOGGED; ALTER TABLE article_authors SET UNLOGGED; "
	for _, t := range referencing {
		unlogged += "ALTER TABLE " + pgx.Identifier{t}.Sanitize() + " SET UNLOGGED; "
	}
	if _, err := l.pool.Exec(ctx, unlogged+"ALTER TABLE articles SET UNLOGGED"); err != nil {
		return nil, fmt.Errorf("bench: unlogged tables: %w", err)
	}
	return restore, nil
}

// copyArticles generates and COPYs every article on cfg.Streams
// connections, chunks of articles at a time, and returns the time it took
// and the author links written.
func (l *searchLoader) copyArticles(ctx context.Context, progress func(Progress)) (time.Duration, int, error) {
	if l.cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(l.cfg.CPUProfile); err != nil {
			return 0, 0, fmt.Errorf("bench: start CPU profile: %w", err)
		}
	}
	start := time.Now()
	var done, links atomic.Int64
	const chunk = 5_000
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for range l.cfg.Streams {
		g.Go(func() error {
			gen := newSearchGen(l.cfg.Seed, l.cfg.Articles, l.vocabs, l.zipf)
			conn, err := l.pool.Acquire(gctx)
			if err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			defer conn.Release()
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= l.cfg.Articles {
					return nil
				}
				n, err := l.copyChunk(gctx, conn.Conn(), gen, from, min(from+chunk, l.cfg.Articles), &done)
				if err != nil {
					return err
				}
				links.Add(int64(n))
			}
		})
	}
	wait := make(chan error, 1)
	go func() { wait <- g.Wait() }()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
loop:
	for {
		select {
		case err := <-wait:
			if err != nil {
				return 0, 0, err
			}
			break loop
		case <-tick.C:
			progress(Progress{Phase: "load", Done: int(done.Load()), Total: l.cfg.Articles, Elapsed: time.Since(start)})
		}
	}
	took := time.Since(start)
	if l.cfg.CPUProfile != nil {
		pprof.StopCPUProfile()
	}
	progress(Progress{Phase: "load", Done: int(done.Load()), Total: l.cfg.Articles, Elapsed: took})
	return took, int(links.Load()), nil
}

// index builds the indexes and statistics back after the COPY, and marks
// the archive complete, with the load's figures.
func (l *searchLoader) index(ctx context.Context, restore func(context.Context) (time.Duration, error), res *SearchLoad, progress func(Progress)) error {
	progress(Progress{Phase: "indexes", Total: 0})
	start := time.Now()
	if _, err := l.pool.Exec(ctx, `
		ALTER TABLE articles ALTER COLUMN id SET GENERATED ALWAYS;
		SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))`); err != nil {
		return fmt.Errorf("bench: articles.id back to GENERATED ALWAYS: %w", err)
	}
	var err error
	if res.GINBuild, err = restore(ctx); err != nil {
		return err
	}
	res.Indexes = time.Since(start)
	// What the store keeps per stored article and search reads to pick the
	// languages a query is parsed in. (term_df, the keyword statistics,
	// stays empty: the archive has no keywords.)
	if _, err := l.pool.Exec(ctx, `INSERT INTO corpus_docs (language, docs) SELECT language, count(*) FROM articles GROUP BY language`); err != nil {
		return fmt.Errorf("bench: corpus_docs: %w", err)
	}
	progress(Progress{Phase: "analyze"})
	start = time.Now()
	if _, err := l.pool.Exec(ctx, `VACUUM (ANALYZE) articles, article_authors, authors, sites`); err != nil {
		return fmt.Errorf("bench: vacuum analyze: %w", err)
	}
	res.Analyze = time.Since(start)
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if _, err := l.pool.Exec(ctx, `UPDATE bench_search_meta SET complete = true, load = $1`, b); err != nil {
		return fmt.Errorf("bench: write bench_search_meta: %w", err)
	}
	return nil
}

func (l *searchLoader) insertSitesAndAuthors(ctx context.Context) error {
	for i := range searchSites {
		var id int64
		err := l.pool.QueryRow(ctx, `INSERT INTO sites (host, name, schedule, start_urls) VALUES ($1, $2, '@every 1h', $3) RETURNING id`,
			searchSiteHost(i), fmt.Sprintf("Bench Site %02d", i+1), []string{"https://" + searchSiteHost(i) + "/"}).Scan(&id)
		if err != nil {
			return fmt.Errorf("bench: insert site: %w", err)
		}
		l.siteIDs = append(l.siteIDs, id)
		l.siteNames = append(l.siteNames, fmt.Sprintf("Bench Site %02d", i+1))
	}
	names := searchAuthorNames()
	rows := make([][]any, len(names))
	for i, n := range names {
		rows[i] = []any{n, strings.ToLower(n), newsline.Slug(n)}
	}
	if _, err := l.pool.CopyFrom(ctx, pgx.Identifier{"authors"}, []string{"name", "name_key", "slug"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("bench: copy authors: %w", err)
	}
	ids := map[string]int64{}
	r, err := l.pool.Query(ctx, `SELECT name, id FROM authors`)
	if err != nil {
		return fmt.Errorf("bench: read authors: %w", err)
	}
	for r.Next() {
		var name string
		var id int64
		if err := r.Scan(&name, &id); err != nil {
			return fmt.Errorf("bench: read authors: %w", err)
		}
		ids[name] = id
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("bench: read authors: %w", err)
	}
	l.authorID = make([]int64, len(names))
	for i, n := range names {
		l.authorID[i] = ids[n]
	}
	return nil
}

// referencingArticles lists the other tables whose rows point at
// articles (bookmarks, …): they go unlogged with articles, as a permanent
// table's foreign key may not reference an unlogged one, and restore adds
// the keys back.
func (l *searchLoader) referencingArticles(ctx context.Context) ([]string, error) {
	rows, err := l.pool.Query(ctx, `SELECT DISTINCT c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		WHERE k.contype = 'f' AND k.confrelid = 'articles'::regclass AND c.relname NOT IN ('urls', 'article_authors', 'articles')
		ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("bench: tables referencing articles: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("bench: tables referencing articles: %w", err)
	}
	return out, nil
}
