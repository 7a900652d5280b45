package bench

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"strconv"
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
	referencing, err := l.referencingArticles(ctx)
	if err != nil {
		return res, err
	}
	restore, err := l.dropSecondary(ctx)
	if err != nil {
		return res, err
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
		return res, fmt.Errorf("bench: unlogged tables: %w", err)
	}

	if l.cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(l.cfg.CPUProfile); err != nil {
			return res, fmt.Errorf("bench: start CPU profile: %w", err)
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
				return res, err
			}
			break loop
		case <-tick.C:
			progress(Progress{Phase: "load", Done: int(done.Load()), Total: l.cfg.Articles, Elapsed: time.Since(start)})
		}
	}
	res.Copy = time.Since(start)
	if l.cfg.CPUProfile != nil {
		pprof.StopCPUProfile()
	}
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

// dropSecondary drops every index but the primary keys, and every foreign
// key, of articles and article_authors, and lets COPY supply article ids;
// it returns what puts the indexes and keys back (the GIN index on one
// connection, the rest on another at the same time) and reports the GIN
// build's time.
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
		WHERE contype = 'f' AND (conrelid IN ('articles'::regclass, 'article_authors'::regclass) OR confrelid = 'articles'::regclass)
		ORDER BY 1, 2`)
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

// articleColumns are the columns COPY fills, in appendRow's order; the
// rest keep their defaults.
func articleColumns() []string {
	return []string{"id", "site_id", "url", "canonical_url", "title", "byline", "published_at", "sort_at",
		"body_text", "body_html", "excerpt", "site_name", "language", "word_count", "fetched_at",
		"ts_config", "section", "section_key", "kind", "search"}
}

// copyChunk generates articles [from, to) and COPYs them and their author
// links; it returns the number of links.
func (l *searchLoader) copyChunk(ctx context.Context, conn *pgx.Conn, gen *searchGen, from, to int, done *atomic.Int64) (int, error) {
	src := &copyStream{l: l, gen: gen, next: from, to: to, done: done}
	sql := `COPY articles (` + strings.Join(articleColumns(), ", ") + `) FROM STDIN (FORMAT binary)`
	if _, err := conn.PgConn().CopyFrom(ctx, src, sql); err != nil {
		return 0, fmt.Errorf("bench: copy articles: %w", err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"article_authors"}, []string{"article_id", "author_id", "position"}, pgx.CopyFromRows(src.links)); err != nil {
		return 0, fmt.Errorf("bench: copy article_authors: %w", err)
	}
	return len(src.links), nil
}

// copyStream is the binary COPY of articles [next, to), generated as
// PostgreSQL reads it: each article's text and vector are written straight
// into the stream, never held as strings (the Go side was half the load's
// time when the rows went through pgx's encoders).
type copyStream struct {
	l        *searchLoader
	gen      *searchGen
	next, to int
	done     *atomic.Int64
	links    [][]any
	buf      []byte
	off      int
	started  bool
	ended    bool
}

// copyFlush is how much of the stream is generated at a time.
const copyFlush = 256 << 10

func (s *copyStream) Read(p []byte) (int, error) {
	if s.off == len(s.buf) {
		if s.ended {
			return 0, io.EOF
		}
		s.buf, s.off = s.buf[:0], 0
		if !s.started {
			s.started = true
			s.buf = append(s.buf, "PGCOPY\n\xff\r\n\x00"...)
			s.buf = binary.BigEndian.AppendUint64(s.buf, 0) // flags, header extension length
		}
		n := 0
		for len(s.buf) < copyFlush && s.next < s.to {
			s.buf = s.appendRow(s.buf, s.next)
			s.next++
			n++
		}
		s.done.Add(int64(n))
		if s.next >= s.to {
			s.buf = binary.BigEndian.AppendUint16(s.buf, 0xffff) // trailer
			s.ended = true
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// pgEpoch is where PostgreSQL's binary timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// appendRow writes article n as one binary COPY row of articleColumns.
func (s *copyStream) appendRow(b []byte, n int) []byte {
	g, l := s.gen, s.l
	g.draw(n)
	v := g.vocabs[g.lang]
	id := int64(n + 1)
	field := func(b []byte) ([]byte, int) { return append(b, 0, 0, 0, 0), len(b) + 4 }
	end := func(b []byte, start int) []byte {
		binary.BigEndian.PutUint32(b[start-4:], uint32(len(b)-start))
		return b
	}
	int8 := func(b []byte, x int64) []byte { return binary.BigEndian.AppendUint64(append(b, 0, 0, 0, 8), uint64(x)) }
	timestamp := func(b []byte, t time.Time) []byte { return int8(b, t.Sub(pgEpoch).Microseconds()) }
	text := func(b []byte, t string) []byte {
		return append(binary.BigEndian.AppendUint32(b, uint32(len(t))), t...)
	}

	b = binary.BigEndian.AppendUint16(b, uint16(len(articleColumns())))
	b = int8(b, id)
	b = int8(b, l.siteIDs[g.site])
	b, start := field(b) // url
	b = append(b, "https://"...)
	b = append(b, searchSiteHost(g.site)...)
	b = append(b, '/')
	b = append(b, g.section...)
	b = append(b, '/')
	b = g.pub.AppendFormat(b, "2006/01/02")
	b = append(b, "/article-"...)
	b = strconv.AppendInt(b, id, 10)
	b = end(b, start)
	urlStart, urlEnd := start, len(b)
	b, start = field(b) // canonical_url
	b = append(b, b[urlStart:urlEnd]...)
	b = end(b, start)
	b, start = field(b) // title
	b = g.appendWords(b, v, g.title, nil, 0, len(g.title))
	b = end(b, start)
	b, start = field(b) // byline
	switch len(g.written) {
	case 1:
		b = append(append(b, "By "...), g.authors[g.written[0]]...)
	case 2:
		b = append(append(b, "By "...), g.authors[g.written[0]]...)
		b = append(append(b, " and "...), g.authors[g.written[1]]...)
	}
	b = end(b, start)
	b = timestamp(b, g.pub) // published_at
	b = timestamp(b, g.pub) // sort_at
	b, start = field(b)     // body_text: paragraphs parted by blank lines
	var paras [][2]int      // byte ranges of the paragraphs in b
	for pi, p := range g.paras {
		if pi > 0 {
			b = append(b, "\n\n"...)
		}
		from := len(b)
		b = g.appendSentences(b, v, p[0], p[1])
		paras = append(paras, [2]int{from, len(b)})
	}
	b = end(b, start)
	b, start = field(b) // body_html: the same paragraphs in <p> elements
	for _, p := range paras {
		b = append(b, "<p>"...)
		b = append(b, b[p[0]:p[1]]...)
		b = append(b, "</p>\n"...)
	}
	b = end(b, start)
	b, start = field(b) // excerpt: the first sentence
	b = g.appendSentences(b, v, 0, 1)
	b = end(b, start)
	b = text(b, l.siteNames[g.site])
	b = text(b, v.lang.Code)
	b = binary.BigEndian.AppendUint32(append(b, 0, 0, 0, 4), uint32(len(g.tokens))) // word_count
	b = timestamp(b, g.pub.Add(7*time.Minute))                                      // fetched_at
	b = binary.BigEndian.AppendUint32(append(b, 0, 0, 0, 4), l.regcfg[g.lang])      // ts_config
	b = text(b, g.section)
	b = text(b, g.sectionKey)
	b = text(b, "article")
	b, start = field(b) // search
	b = g.appendVector(b, v)
	b = end(b, start)
	for i, au := range g.written {
		s.links = append(s.links, []any{id, l.authorID[au], int32(i + 1)})
	}
	return b
}
