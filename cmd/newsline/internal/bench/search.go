package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsline/newsline/search"
)

// SystemNaive is the search benchmark's baseline: plain SQL that ranks
// every match and makes a headline for every match.
const SystemNaive = "naive"

// Defaults of the search benchmark.
const (
	DefaultSearchArticles     = 100_000
	DefaultSearchQueries      = 100
	DefaultSearchStreams      = 2
	DefaultSearchNaiveTimeout = 30 * time.Second
	DefaultSearchNaiveBudget  = 2 * time.Minute
	// searchNaiveMaxTimeouts is how many naive queries of a class may time
	// out before the class's remaining naive queries are skipped.
	searchNaiveMaxTimeouts = 2
	searchWarmupQueries    = 5
)

// SearchConfig configures Search.
type SearchConfig struct {
	Articles   int   // articles to generate; 0 means DefaultSearchArticles
	Seed       int64 // selects the archive and the queries
	Queries    int   // queries per class; 0 means DefaultSearchQueries
	Vocabulary int   // word types per language; 0 means DefaultSearchVocabulary
	Streams    int   // COPY streams in parallel; 0 means DefaultSearchStreams

	// DatabaseURL names a PostgreSQL server: Search creates a temporary
	// database on it (newsline_bench_search_…) and drops it at the end
	// unless Keep is set. With UseDatabase it names the database itself,
	// which is never dropped: an empty one (a fresh database, migrated or
	// not) is loaded, one an earlier run loaded is used as it is — its
	// archive's seed, size and vocabulary override the ones given here.
	DatabaseURL string
	UseDatabase bool
	Keep        bool

	// NaiveTimeout is the naive side's statement_timeout; 0 means
	// DefaultSearchNaiveTimeout.
	NaiveTimeout time.Duration
	// NaiveBudget bounds the naive side's time per class: once spent, the
	// class's remaining naive queries are skipped. 0 means
	// DefaultSearchNaiveBudget.
	NaiveBudget time.Duration
	// Explain captures, through auto_explain (which needs a superuser),
	// the plans of each class's slowest Newsline query and of the slowest
	// naive class.
	Explain bool

	// Progress, when set, is called with the state of the running phase,
	// from Search's goroutine.
	Progress func(Progress)
	// CPUProfile, when set, receives a CPU profile of the load's COPY.
	CPUProfile io.Writer
}

// SearchLatency is one side's latencies in one class.
type SearchLatency struct {
	N             int // queries measured
	P50, P95, P99 time.Duration
}

// SearchClassResult is one query class.
type SearchClassResult struct {
	Class string
	// Note says how the class was run when Newsline's API cannot express
	// it yet; both sides then ran the same fallback.
	Note     string
	Example  string // the first query, as run
	Newsline SearchLatency
	Naive    SearchLatency
	// Queries that found nothing.
	NewslineEmpty, NaiveEmpty int
	// Naive queries stopped by statement_timeout (counted at the timeout
	// in the percentiles, which are then lower bounds), and those skipped
	// after searchNaiveMaxTimeouts timeouts or the class's NaiveBudget.
	NaiveTimeouts, NaiveSkipped int
	// The slowest query of each side.
	SlowestNewsline, SlowestNaive SearchQuery
	slowNewsline, slowNaive       time.Duration
}

// Ratio is naive p50 over Newsline p50.
func (c SearchClassResult) Ratio() float64 { return durRatio(c.Naive.P50, c.Newsline.P50) }

// RatioP99 is naive p99 over Newsline p99.
func (c SearchClassResult) RatioP99() float64 { return durRatio(c.Naive.P99, c.Newsline.P99) }

func durRatio(a, b time.Duration) float64 {
	if b <= 0 || a <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// SearchExplain is the plan of one query, as auto_explain logged it.
type SearchExplain struct {
	Class, System string
	Query         SearchQuery
	Plans         []string // one per statement the call ran
}

// SearchResult is what the search benchmark measured.
type SearchResult struct {
	Articles     int
	Seed         int64
	Vocabulary   int
	Queries      int
	Database     string // the database's name
	Kept         bool   // the database outlives the run
	Load         SearchLoad
	Sizes        SearchSizes
	NaiveTimeout time.Duration
	NaiveBudget  time.Duration
	// Prewarmed says how the archive was read before the queries:
	// "pg_prewarm" (table, TOAST and indexes), or "scan" (the table only,
	// where the extension cannot be created).
	Prewarmed   string
	PrewarmTime time.Duration
	Classes     []SearchClassResult
	Explains    []SearchExplain
}

// SearchQuery is one benchmark query as the class means it, whatever
// Newsline's API can express of it.
type SearchQuery struct {
	Class      string
	Terms      string    // websearch syntax
	Site       string    // host; empty for every site
	From, To   time.Time // sort_at (= published_at) in [From, To); zero for no filter
	SortByDate bool      // newest first instead of by rank
	Offset     int
	Limit      int
}

func (q SearchQuery) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", q.Terms)
	if q.Site != "" {
		fmt.Fprintf(&b, " site=%s", q.Site)
	}
	if !q.From.IsZero() {
		fmt.Fprintf(&b, " published %s…%s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.SortByDate {
		b.WriteString(" newest first")
	}
	if q.Offset > 0 {
		fmt.Fprintf(&b, " offset %d", q.Offset)
	}
	fmt.Fprintf(&b, " limit %d", q.Limit)
	return b.String()
}

// SearchClasses lists the query classes in the order they run.
func SearchClasses() []string {
	return []string{"rare", "common", "and2", "phrase", "exclude", "site", "date", "datesort", "page10"}
}

// searchParams maps a benchmark query onto Newsline's search API. It is
// the one place to change when the API changes: what it cannot express is
// dropped from the query both sides run (the returned effective query) and
// named in the note. Today it expresses every class.
func searchParams(q SearchQuery) (search.Params, SearchQuery, string) {
	p := search.Params{Query: q.Terms, Site: q.Site, From: q.From, To: q.To, Limit: q.Limit, Offset: q.Offset}
	var notes []string
	if q.SortByDate {
		p.Sort = search.SortDate
		if q.Offset > 0 {
			notes = append(notes, "date order pages by cursor, not offset: ran the first page")
			p.Offset, q.Offset = 0, 0
		}
	}
	return p, q, strings.Join(notes, "; ")
}

// naiveSQL is the baseline for q: rank every match and make a headline
// for every match (in a subquery that OFFSET 0 keeps the planner from
// flattening, so the headlines are not postponed past the LIMIT), then
// sort and cut the page.
func naiveSQL(q SearchQuery) (string, []any) {
	args := []any{q.Terms}
	where := "search @@ q"
	if q.Site != "" {
		args = append(args, q.Site)
		where += fmt.Sprintf(" AND site_id = (SELECT id FROM sites WHERE host = lower($%d))", len(args))
	}
	if !q.From.IsZero() {
		args = append(args, q.From, q.To)
		where += fmt.Sprintf(" AND sort_at >= $%d AND sort_at < $%d", len(args)-1, len(args))
	}
	order := "r DESC"
	if q.SortByDate {
		order = "sort_at DESC, id DESC"
	}
	args = append(args, q.Limit, q.Offset)
	sql := fmt.Sprintf(`SELECT id, title, r, h FROM (
	SELECT id, title, sort_at, ts_rank(search, q) AS r, ts_headline('english', body_text, q) AS h
	FROM articles, websearch_to_tsquery('english', $1) q
	WHERE %s
	OFFSET 0) m
ORDER BY %s LIMIT $%d OFFSET $%d`, where, order, len(args)-1, len(args))
	return sql, args
}

// Search generates the archive (or finds it loaded), loads it, and
// measures every query class on Newsline's search and on the naive
// baseline.
func Search(ctx context.Context, cfg SearchConfig) (res *SearchResult, err error) {
	if cfg.Articles == 0 {
		cfg.Articles = DefaultSearchArticles
	}
	if cfg.Queries == 0 {
		cfg.Queries = DefaultSearchQueries
	}
	if cfg.Vocabulary == 0 {
		cfg.Vocabulary = DefaultSearchVocabulary
	}
	if cfg.Streams == 0 {
		cfg.Streams = DefaultSearchStreams
	}
	if cfg.NaiveTimeout == 0 {
		cfg.NaiveTimeout = DefaultSearchNaiveTimeout
	}
	if cfg.NaiveBudget == 0 {
		cfg.NaiveBudget = DefaultSearchNaiveBudget
	}
	if cfg.Progress == nil {
		cfg.Progress = func(Progress) {}
	}
	if cfg.Articles < 1 || cfg.Queries < 1 || cfg.Streams < 1 || cfg.Vocabulary < 1000 {
		return nil, errors.New("bench: articles, queries and streams must be at least 1, the vocabulary at least 1000 words")
	}

	res = &SearchResult{NaiveTimeout: cfg.NaiveTimeout, NaiveBudget: cfg.NaiveBudget, Queries: cfg.Queries}
	a, err := openArchive(ctx, cfg, "newsline_bench_search_")
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, a.close(ctx)) }()
	db, dbURL, vocabs, zipf := a.db, a.url, a.vocabs, a.zipf
	cfg = a.cfg
	res.Database, res.Kept, res.Load = a.name, a.kept, a.load
	res.Articles, res.Seed, res.Vocabulary = cfg.Articles, cfg.Seed, cfg.Vocabulary
	if err := db.Pool.QueryRow(ctx, `SELECT pg_total_relation_size('articles'), pg_table_size('articles'),
		pg_relation_size('articles_search_idx'), pg_indexes_size('articles')`).
		Scan(&res.Sizes.Total, &res.Sizes.Table, &res.Sizes.GIN, &res.Sizes.Index); err != nil {
		return nil, fmt.Errorf("bench: sizes: %w", err)
	}

	cfg.Progress(Progress{Phase: "prewarm"})
	start := time.Now()
	if res.Prewarmed, err = prewarm(ctx, db.Pool); err != nil {
		return nil, err
	}
	res.PrewarmTime = time.Since(start)

	queries, err := searchQueries(cfg, vocabs, zipf)
	if err != nil {
		return nil, err
	}
	naive, err := naivePool(ctx, dbURL, cfg.NaiveTimeout)
	if err != nil {
		return nil, err
	}
	defer naive.Close()
	r := &searchRunner{db: db.Pool, searcher: search.New(db.Pool), naive: naive, timeout: cfg.NaiveTimeout, budget: cfg.NaiveBudget, progress: cfg.Progress}
	if res.Classes, err = r.run(ctx, queries); err != nil {
		return nil, err
	}
	if cfg.Explain {
		if res.Explains, err = explainSlowest(ctx, dbURL, cfg.NaiveTimeout, res.Classes); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// prewarm reads the archive once before the queries, into the operating
// system's cache, as a server that keeps serving it has it in memory: the
// figures are a warm server's, not those of the first queries after a
// load (or after the kernel reclaimed pages the load left cold, which this
// machine's does within the hour). pg_prewarm reads the table, its TOAST
// and its indexes; without it (the extension needs a superuser to create),
// a sequential scan reads the table.
func prewarm(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	if _, err := pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_prewarm`); err == nil {
		_, err = pool.Exec(ctx, `
			SELECT pg_prewarm(c.oid, 'read') FROM pg_class c
			WHERE c.oid IN ('articles'::regclass, (SELECT reltoastrelid FROM pg_class WHERE oid = 'articles'::regclass))
			   OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'articles'::regclass)`)
		if err != nil {
			return "", fmt.Errorf("bench: prewarm: %w", err)
		}
		return "pg_prewarm", nil
	}
	if _, err := pool.Exec(ctx, `SELECT count(*) FROM articles WHERE length(body_text) >= 0`); err != nil {
		return "", fmt.Errorf("bench: prewarm: %w", err)
	}
	return "scan", nil
}

// searchQueries draws every class's queries from the English vocabulary
// by frequency band, deterministically from the seed.
func searchQueries(cfg SearchConfig, vocabs []*searchVocab, zipf *zipfTable) (map[string][]SearchQuery, error) {
	v := vocabs[0]
	var content []int // non-stop ranks, most frequent first
	for r := range v.words {
		if !v.stop[r] {
			content = append(content, r)
		}
	}
	common := content[:min(50, len(content))]
	mid := content[min(100, len(content)-1):min(2000, len(content))]
	// Rare: expected to occur 20–200 times in the English articles
	// (titles and bodies, about 460 words each), or the rarest 2% of the
	// vocabulary when even those are more frequent.
	tokens := float64(cfg.Articles) * 0.8 * 460
	var rare []int
	for _, r := range content {
		if e := zipf.p[r] * tokens; e >= 20 && e <= 200 {
			rare = append(rare, r)
		}
	}
	if len(rare) == 0 {
		rare = content[len(content)-max(len(content)/50, 1):]
	}
	gen := newSearchGen(cfg.Seed, cfg.Articles, vocabs, zipf)
	pick := func(rng *rand.Rand, band []int) string { return v.words[band[rng.IntN(len(band))]] }
	pick2 := func(rng *rand.Rand, band []int) (string, string) {
		a := rng.IntN(len(band))
		b := rng.IntN(len(band) - 1)
		if b >= a {
			b++
		}
		return v.words[band[a]], v.words[band[b]]
	}
	span := time.Duration(searchYears)*365*24*time.Hour - 30*24*time.Hour
	out := map[string][]SearchQuery{}
	for ci, class := range SearchClasses() {
		rng := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(0x717565727900+ci)))
		for range cfg.Queries {
			q := SearchQuery{Class: class, Limit: search.DefaultLimit}
			switch class {
			case "rare":
				q.Terms = pick(rng, rare)
			case "common":
				q.Terms = pick(rng, common)
			case "and2":
				a, b := pick2(rng, mid)
				q.Terms = a + " " + b
			case "phrase":
				for range 1000 {
					if p, ok := gen.phrase(rng.IntN(cfg.Articles), 0, rng); ok {
						q.Terms = `"` + p + `"`
						break
					}
				}
				if q.Terms == "" {
					return nil, errors.New("bench: found no English phrase in the archive")
				}
			case "exclude":
				a, b := pick2(rng, common)
				q.Terms = a + " -" + b
			case "site":
				q.Terms = pick(rng, common)
				q.Site = searchSiteHost(rng.IntN(40)) // an English site
			case "date":
				q.Terms = pick(rng, common)
				q.From = searchEpoch().Add(time.Duration(rng.Int64N(int64(span)))).Truncate(24 * time.Hour)
				q.To = q.From.AddDate(0, 0, 30)
			case "datesort":
				q.Terms = pick(rng, common)
				q.SortByDate = true
			case "page10":
				q.Terms = pick(rng, common)
				q.Offset = 180
			default:
				return nil, fmt.Errorf("bench: unknown query class %q", class)
			}
			out[class] = append(out[class], q)
		}
	}
	return out, nil
}

// naivePool opens the baseline's pool, every connection with the
// statement timeout.
func naivePool(ctx context.Context, dbURL string, timeout time.Duration) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: parse database URL: %w", err)
	}
	pcfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(timeout.Milliseconds())
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("bench: connect: %w", err)
	}
	return pool, nil
}

// searchRunner runs the queries of both sides.
type searchRunner struct {
	db, naive *pgxpool.Pool
	searcher  *search.Searcher
	timeout   time.Duration
	budget    time.Duration
	progress  func(Progress)
}

// newsline runs one query through search.Query and returns its wall time
// and number of hits.
func (r *searchRunner) newsline(ctx context.Context, q SearchQuery) (time.Duration, int, error) {
	p, _, _ := searchParams(q)
	start := time.Now()
	res, err := r.searcher.Query(ctx, p)
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: newsline search %s: %w", q, err)
	}
	return d, len(res.Hits), nil
}

// runNaive runs the baseline for q's effective form; timedOut reports a
// query statement_timeout stopped.
func (r *searchRunner) runNaive(ctx context.Context, pool *pgxpool.Pool, q SearchQuery) (d time.Duration, hits int, timedOut bool, err error) {
	_, eff, _ := searchParams(q)
	sql, args := naiveSQL(eff)
	start := time.Now()
	rows, err := pool.Query(ctx, sql, args...)
	if err == nil {
		for rows.Next() {
			hits++
		}
		rows.Close()
		err = rows.Err()
	}
	d = time.Since(start)
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "57014" { // query_canceled
		return r.timeout, 0, true, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("bench: naive search %s: %w", q, err)
	}
	return d, hits, false, nil
}

func (r *searchRunner) run(ctx context.Context, queries map[string][]SearchQuery) ([]SearchClassResult, error) {
	classes := SearchClasses()
	total := 0
	for _, c := range classes {
		total += len(queries[c])
	}
	// Warm-up: a few queries of every class on both sides; the naive side
	// only one per class, with a short timeout.
	start := time.Now()
	warm := 0
	for _, c := range classes {
		for i, q := range queries[c][:min(searchWarmupQueries, len(queries[c]))] {
			if _, _, err := r.newsline(ctx, q); err != nil {
				return nil, err
			}
			if i == 0 {
				wctx, cancel := context.WithTimeout(ctx, min(r.timeout, 5*time.Second))
				_, _, _, err := r.runNaive(wctx, r.naive, q)
				cancel()
				if err != nil && ctx.Err() != nil {
					return nil, ctx.Err()
				}
			}
			warm++
			r.progress(Progress{Phase: "warm-up", Done: warm, Elapsed: time.Since(start)})
		}
	}

	start = time.Now()
	done := 0
	out := make([]SearchClassResult, len(classes))
	nls, nvs := make([][]time.Duration, len(classes)), make([][]time.Duration, len(classes))
	// Every class's Newsline queries run first, then every naive query:
	// a naive query reads hundreds of thousands of articles, and run
	// between Newsline queries each pushed out of the caches what the next
	// would read (date class p99 57 ms with the naive queries after each
	// class's own, 21 ms without them).
	var naiveQueue []func() error
	for ci, c := range classes {
		cr := &out[ci]
		cr.Class = c
		nl, nv := &nls[ci], &nvs[ci]
		var spent time.Duration // by the naive side
		for i, q := range queries[c] {
			if i == 0 {
				_, eff, note := searchParams(q)
				cr.Note, cr.Example = note, eff.String()
			}
			d, hits, err := r.newsline(ctx, q)
			if err != nil {
				return nil, err
			}
			*nl = append(*nl, d)
			if hits == 0 {
				cr.NewslineEmpty++
			}
			if d > cr.slowNewsline {
				cr.slowNewsline, cr.SlowestNewsline = d, q
			}
			done++
			r.progress(Progress{Phase: "queries", Done: done, Total: total, Elapsed: time.Since(start)})
			naiveQueue = append(naiveQueue, func() error {
				if cr.NaiveTimeouts >= searchNaiveMaxTimeouts || spent >= r.budget {
					cr.NaiveSkipped++
					return nil
				}
				d, hits, timedOut, err := r.runNaive(ctx, r.naive, q)
				if err != nil {
					return err
				}
				*nv = append(*nv, d)
				spent += d
				if timedOut {
					cr.NaiveTimeouts++
				} else if hits == 0 {
					cr.NaiveEmpty++
				}
				if d > cr.slowNaive {
					cr.slowNaive, cr.SlowestNaive = d, q
				}
				return nil
			})
		}
	}
	for i, run := range naiveQueue {
		if err := run(); err != nil {
			return nil, err
		}
		r.progress(Progress{Phase: "naive queries", Done: i + 1, Total: len(naiveQueue), Elapsed: time.Since(start)})
	}
	for i := range out {
		out[i].Newsline, out[i].Naive = latencies(nls[i]), latencies(nvs[i])
	}
	return out, nil
}

func latencies(ds []time.Duration) SearchLatency {
	return SearchLatency{N: len(ds), P50: percentile(ds, 50), P95: percentile(ds, 95), P99: percentile(ds, 99)}
}

// percentile returns the p-th percentile of ds (nearest rank), as
// percentiles does.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// explainSlowest reruns each class's slowest Newsline query, and the
// naive side's slowest query of the class where it was slowest, with
// auto_explain logging every plan with ANALYZE to the client.
func explainSlowest(ctx context.Context, dbURL string, timeout time.Duration, classes []SearchClassResult) ([]SearchExplain, error) {
	ccfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("bench: parse database URL: %w", err)
	}
	var plans []string
	ccfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if strings.Contains(n.Message, "plan:") {
			plans = append(plans, n.Message)
		}
	}
	ccfg.RuntimeParams["statement_timeout"] = fmt.Sprint(timeout.Milliseconds())
	conn, err := pgx.ConnectConfig(ctx, ccfg)
	if err != nil {
		return nil, fmt.Errorf("bench: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LOAD 'auto_explain'`); err != nil {
		return nil, fmt.Errorf("bench: explain needs auto_explain (and a superuser): %w", err)
	}
	for _, s := range []string{"auto_explain.log_min_duration = 0", "auto_explain.log_analyze = on",
		"auto_explain.log_buffers = on", "auto_explain.log_nested_statements = on", "client_min_messages = log"} {
		if _, err := conn.Exec(ctx, "SET "+s); err != nil {
			return nil, fmt.Errorf("bench: explain: %w", err)
		}
	}
	plans = nil
	var out []SearchExplain
	for _, c := range classes {
		if c.Newsline.N == 0 {
			continue
		}
		p, _, _ := searchParams(c.SlowestNewsline)
		if _, err := search.Query(ctx, conn, p); err != nil {
			return nil, fmt.Errorf("bench: explain %s: %w", c.SlowestNewsline, err)
		}
		out = append(out, SearchExplain{Class: c.Class, System: SystemNewsline, Query: c.SlowestNewsline, Plans: plans})
		plans = nil
	}
	var worst *SearchClassResult
	for i := range classes {
		if classes[i].Naive.N > 0 && (worst == nil || classes[i].slowNaive > worst.slowNaive) {
			worst = &classes[i]
		}
	}
	if worst != nil {
		_, eff, _ := searchParams(worst.SlowestNaive)
		sql, args := naiveSQL(eff)
		rows, err := conn.Query(ctx, sql, args...)
		if err == nil {
			rows.Close()
			err = rows.Err()
		}
		if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "57014" {
			err = nil
			plans = append(plans, fmt.Sprintf("(timed out after %s: no plan)", timeout))
		}
		if err != nil {
			return nil, fmt.Errorf("bench: explain naive: %w", err)
		}
		out = append(out, SearchExplain{Class: worst.Class, System: SystemNaive, Query: worst.SlowestNaive, Plans: plans})
	}
	return out, nil
}

// Metrics lists the search benchmark's figures: for every class each
// side's p50, p95 and p99 and the naive/Newsline ratios, the naive
// timeouts, then the load (class "load").
func (r *SearchResult) Metrics() []Metric {
	var out []Metric
	for _, c := range r.Classes {
		for _, s := range []struct {
			name string
			l    SearchLatency
		}{{SystemNewsline, c.Newsline}, {SystemNaive, c.Naive}} {
			out = append(out,
				Metric{"search", s.name, "p50", ms(s.l.P50), "ms", c.Class},
				Metric{"search", s.name, "p95", ms(s.l.P95), "ms", c.Class},
				Metric{"search", s.name, "p99", ms(s.l.P99), "ms", c.Class},
				Metric{"search", s.name, "queries", float64(s.l.N), "queries", c.Class},
			)
		}
		out = append(out,
			Metric{"search", SystemNaive, "timeouts", float64(c.NaiveTimeouts), "queries", c.Class},
			Metric{"search", SystemNaive, "skipped", float64(c.NaiveSkipped), "queries", c.Class},
			Metric{"search", SystemNewsline, "ratio", round(c.Ratio(), 3), "x", c.Class},
			Metric{"search", SystemNewsline, "ratio_p99", round(c.RatioP99(), 3), "x", c.Class},
		)
	}
	mb := func(b int64) float64 { return round(float64(b)/(1<<20), 1) }
	out = append(out,
		Metric{"search", SystemNewsline, "articles", float64(r.Articles), "articles", "load"},
		Metric{"search", SystemNewsline, "load_seconds", round(r.Load.Copy.Seconds(), 3), "s", "load"},
		Metric{"search", SystemNewsline, "articles_per_s", round(r.Load.ArticlesPerSec(), 1), "articles/s", "load"},
		Metric{"search", SystemNewsline, "gin_build_seconds", round(r.Load.GINBuild.Seconds(), 3), "s", "load"},
		Metric{"search", SystemNewsline, "index_build_seconds", round(r.Load.Indexes.Seconds(), 3), "s", "load"},
		Metric{"search", SystemNewsline, "analyze_seconds", round(r.Load.Analyze.Seconds(), 3), "s", "load"},
		Metric{"search", SystemNewsline, "table_size", mb(r.Sizes.Table), "MB", "load"},
		Metric{"search", SystemNewsline, "total_size", mb(r.Sizes.Total), "MB", "load"},
		Metric{"search", SystemNewsline, "gin_size", mb(r.Sizes.GIN), "MB", "load"},
		Metric{"search", SystemNewsline, "index_size", mb(r.Sizes.Index), "MB", "load"},
	)
	return out
}
