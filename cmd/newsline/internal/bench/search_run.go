package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsline/newsline/search"
)

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

// warmUp runs a few queries of every class on both sides; the naive side
// only one per class, with a short timeout.
func (r *searchRunner) warmUp(ctx context.Context, classes []string, queries map[string][]SearchQuery) error {
	start := time.Now()
	warm := 0
	for _, c := range classes {
		for i, q := range queries[c][:min(searchWarmupQueries, len(queries[c]))] {
			if _, _, err := r.newsline(ctx, q); err != nil {
				return err
			}
			if i == 0 {
				wctx, cancel := context.WithTimeout(ctx, min(r.timeout, 5*time.Second))
				_, _, _, err := r.runNaive(wctx, r.naive, q)
				cancel()
				if err != nil && ctx.Err() != nil {
					return ctx.Err()
				}
			}
			warm++
			r.progress(Progress{Phase: "warm-up", Done: warm, Elapsed: time.Since(start)})
		}
	}
	return nil
}

func (r *searchRunner) run(ctx context.Context, queries map[string][]SearchQuery) ([]SearchClassResult, error) {
	classes := SearchClasses()
	total := 0
	for _, c := range classes {
		total += len(queries[c])
	}
	if err := r.warmUp(ctx, classes, queries); err != nil {
		return nil, err
	}
	start := time.Now()
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
