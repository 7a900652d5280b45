package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

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
