package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
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
	pool     *pgxpool.Pool
	cfg      SearchConfig
	vocabs   []*searchVocab
	zipf     *zipfTable
	regcfg   []uint32 // ts_config OID by language
	siteIDs  []int64
	authorID []int64
}

// openLoadPool opens a pool whose connections can COPY regconfig values
// (sent as the configuration's OID, the type's binary form).
func openLoadPool(ctx context.Context, dbURL string, conns int) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: parse database URL: %w", err)
	}
	pcfg.MaxConns = int32(max(conns, 2))
	pcfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "regconfig", OID: 3734, Codec: pgtype.Uint32Codec{}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("bench: connect: %w", err)
	}
	return pool, nil
}

// load fills a fresh, migrated database.
func (l *searchLoader) load(ctx context.Context, progress func(Progress)) (SearchLoad, error) {
	res := SearchLoad{Articles: l.cfg.Articles, Streams: l.cfg.Streams, MaintMemMB: searchMaintMemMB}
	if _, err := l.pool.Exec(ctx, `
		CREATE TABLE bench_search_meta (seed bigint NOT NULL, articles integer NOT NULL, vocabulary integer NOT NULL,
			complete boolean NOT NULL DEFAULT false, load jsonb NOT NULL DEFAULT '{}');
		`); err != nil {
		return res, fmt.Errorf("bench: create bench_search_meta: %w", err)
	}
	if _, err := l.pool.Exec(ctx, `INSERT INTO bench_search_meta (seed, articles, vocabulary) VALUES ($1, $2, $3)`,
		l.cfg.Seed, l.cfg.Articles, l.cfg.Vocabulary); err != nil {
		return res, fmt.Errorf("bench: write bench_search_meta: %w", err)
	}
	for _, lang := range l.vocabs {
		var oid uint32
		if err := l.pool.QueryRow(ctx, `SELECT $1::regconfig::oid`, lang.lang.Config).Scan(&oid); err != nil {
			return res, fmt.Errorf("bench: text search configuration %s: %w", lang.lang.Config, err)
		}
		l.regcfg = append(l.regcfg, oid)
	}
	if err := l.insertSitesAndAuthors(ctx); err != nil {
		return res, err
	}
	restore, err := l.dropSecondary(ctx)
	if err != nil {
		return res, err
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
				return res, err
			}
			break loop
		case <-tick.C:
			progress(Progress{Phase: "load", Done: int(done.Load()), Total: l.cfg.Articles, Elapsed: time.Since(start)})
		}
	}
	res.Copy = time.Since(start)
	res.Authors = int(links.Load())
	progress(Progress{Phase: "load", Done: int(done.Load()), Total: l.cfg.Articles, Elapsed: res.Copy})

	progress(Progress{Phase: "indexes", Total: 0})
	start = time.Now()
	if _, err := l.pool.Exec(ctx, `
		ALTER TABLE articles ALTER COLUMN id SET GENERATED ALWAYS;
		SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))`); err != nil {
		return res, fmt.Errorf("bench: articles.id back to GENERATED ALWAYS: %w", err)
	}
	if res.GINBuild, err = restore(ctx); err != nil {
		return res, err
	}
	res.Indexes = time.Since(start)
	// What the store keeps per stored article and search reads to pick the
	// languages a query is parsed in. (term_df, the keyword statistics,
	// stays empty: the archive has no keywords.)
	if _, err := l.pool.Exec(ctx, `INSERT INTO corpus_docs (language, docs) SELECT language, count(*) FROM articles GROUP BY language`); err != nil {
		return res, fmt.Errorf("bench: corpus_docs: %w", err)
	}
	progress(Progress{Phase: "analyze"})
	start = time.Now()
	if _, err := l.pool.Exec(ctx, `VACUUM (ANALYZE) articles, article_authors, authors, sites`); err != nil {
		return res, fmt.Errorf("bench: vacuum analyze: %w", err)
	}
	res.Analyze = time.Since(start)
	b, err := json.Marshal(res)
	if err != nil {
		return res, err
	}
	if _, err := l.pool.Exec(ctx, `UPDATE bench_search_meta SET complete = true, load = $1`, b); err != nil {
		return res, fmt.Errorf("bench: write bench_search_meta: %w", err)
	}
	return res, nil
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
	}
	names := searchAuthorNames()
	rows := make([][]any, len(names))
	for i, n := range names {
		rows[i] = []any{n, strings.ToLower(n)}
	}
	if _, err := l.pool.CopyFrom(ctx, pgx.Identifier{"authors"}, []string{"name", "name_key"}, pgx.CopyFromRows(rows)); err != nil {
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

// dropSecondary drops every index but the primary keys, and every foreign
// key, of articles and article_authors, and lets COPY supply article ids;
// it returns what puts the indexes and keys back (the GIN index on one
// connection, the rest on another at the same time) and reports the GIN
// build's time.
func (l *searchLoader) dropSecondary(ctx context.Context) (func(context.Context) (time.Duration, error), error) {
	type ddl struct{ drop, create string }
	var gin ddl
	var others []ddl
	rows, err := l.pool.Query(ctx, `
		SELECT c.relname, t.relname, pg_get_indexdef(i.indexrelid), am.amname, con.conname, pg_get_constraintdef(con.oid)
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_am am ON am.oid = c.relam
		LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = t.oid AND con.contype IN ('u', 'x')
		WHERE t.relname IN ('articles', 'article_authors') AND t.relnamespace = 'public'::regnamespace AND NOT i.indisprimary
		ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("bench: list indexes: %w", err)
	}
	for rows.Next() {
		var index, table, def, am string
		var con, condef *string
		if err := rows.Scan(&index, &table, &def, &am, &con, &condef); err != nil {
			return nil, fmt.Errorf("bench: list indexes: %w", err)
		}
		d := ddl{drop: "DROP INDEX " + pgx.Identifier{index}.Sanitize(), create: def}
		if con != nil {
			d = ddl{
				drop:   fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", pgx.Identifier{table}.Sanitize(), pgx.Identifier{*con}.Sanitize()),
				create: fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", pgx.Identifier{table}.Sanitize(), pgx.Identifier{*con}.Sanitize(), *condef),
			}
		}
		if index == "articles_search_idx" {
			gin = d
		} else {
			others = append(others, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bench: list indexes: %w", err)
	}
	if gin.create == "" {
		return nil, errors.New("bench: articles_search_idx not found: is the database migrated?")
	}
	var fks []ddl
	rows, err = l.pool.Query(ctx, `
		SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE contype = 'f' AND conrelid IN ('articles'::regclass, 'article_authors'::regclass) ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("bench: list foreign keys: %w", err)
	}
	for rows.Next() {
		var table, con, def string
		if err := rows.Scan(&table, &con, &def); err != nil {
			return nil, fmt.Errorf("bench: list foreign keys: %w", err)
		}
		fks = append(fks, ddl{
			drop:   fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, pgx.Identifier{con}.Sanitize()),
			create: fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", table, pgx.Identifier{con}.Sanitize(), def),
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bench: list foreign keys: %w", err)
	}
	for _, d := range append(append(fks, gin), others...) {
		if _, err := l.pool.Exec(ctx, d.drop); err != nil {
			return nil, fmt.Errorf("bench: %s: %w", d.drop, err)
		}
	}
	if _, err := l.pool.Exec(ctx, `ALTER TABLE articles ALTER COLUMN id SET GENERATED BY DEFAULT`); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return func(ctx context.Context) (time.Duration, error) {
		var ginTime time.Duration
		g, gctx := errgroup.WithContext(ctx)
		run := func(list []ddl, timed bool) error {
			conn, err := l.pool.Acquire(gctx)
			if err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			defer conn.Release()
			if _, err := conn.Exec(gctx, fmt.Sprintf("SET maintenance_work_mem = '%dMB'", searchMaintMemMB)); err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			for _, d := range list {
				start := time.Now()
				if _, err := conn.Exec(gctx, d.create); err != nil {
					return fmt.Errorf("bench: %s: %w", d.create, err)
				}
				if timed {
					ginTime = time.Since(start)
				}
			}
			return nil
		}
		g.Go(func() error { return run([]ddl{gin}, true) })
		g.Go(func() error { return run(append(others, fks...), false) })
		return ginTime, g.Wait()
	}, nil
}

// articleColumns are the columns COPY fills; the rest keep their defaults.
func articleColumns() []string {
	return []string{"id", "site_id", "url", "canonical_url", "title", "byline", "published_at", "sort_at",
		"body_text", "body_html", "excerpt", "site_name", "language", "word_count", "fetched_at",
		"ts_config", "section", "kind", "search"}
}

// copyChunk generates articles [from, to) and COPYs them and their author
// links; it returns the number of links.
func (l *searchLoader) copyChunk(ctx context.Context, conn *pgx.Conn, gen *searchGen, from, to int, done *atomic.Int64) (int, error) {
	var links [][]any
	src := &articleSource{l: l, gen: gen, next: from, to: to, done: done, links: &links}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"articles"}, articleColumns(), src); err != nil {
		return 0, fmt.Errorf("bench: copy articles: %w", err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"article_authors"}, []string{"article_id", "author_id", "position"}, pgx.CopyFromRows(links)); err != nil {
		return 0, fmt.Errorf("bench: copy article_authors: %w", err)
	}
	return len(links), nil
}

// articleSource generates rows for pgx's CopyFrom as it asks for them.
type articleSource struct {
	l        *searchLoader
	gen      *searchGen
	next, to int
	done     *atomic.Int64
	links    *[][]any
	row      []any
	pending  int // rows not yet added to done
}

func (s *articleSource) Next() bool {
	if s.next >= s.to {
		return false
	}
	a := s.gen.article(s.next)
	s.next++
	site := s.l.siteIDs[a.Site]
	host := searchSiteHost(a.Site)
	url := fmt.Sprintf("https://%s/%s/%s/article-%d", host, a.Section, a.Published.Format("2006/01/02"), a.Num+1)
	id := int64(a.Num + 1)
	s.row = append(s.row[:0], id, site, url, url, a.Title, a.Byline, a.Published, a.Published,
		a.Body, a.HTML, a.Excerpt, fmt.Sprintf("Bench Site %02d", a.Site+1), s.l.vocabs[a.Lang].lang.Code, int32(a.Words),
		a.Published.Add(7*time.Minute), s.l.regcfg[a.Lang], a.Section, "article", a.Search)
	for i, au := range a.Authors {
		*s.links = append(*s.links, []any{id, s.l.authorID[au], int32(i + 1)})
	}
	if s.pending++; s.pending == 256 || s.next == s.to {
		s.done.Add(int64(s.pending))
		s.pending = 0
	}
	return true
}

func (s *articleSource) Values() ([]any, error) { return s.row, nil }
func (s *articleSource) Err() error             { return nil }
