package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Defaults of a read replica.
const (
	// DefaultReadMaxLag is how far behind the primary a replica may be
	// and still serve reads (NEWSLINE_READ_MAX_LAG).
	DefaultReadMaxLag = 5 * time.Second
	// replicaCheckEvery is how often the replica's lag is measured.
	replicaCheckEvery = time.Second
	// replicaConnectTimeout is shorter than the primary's: a replica that
	// does not answer costs each read this long before the primary serves
	// it, until the next check marks the replica down.
	replicaConnectTimeout = 2 * time.Second
)

// Replica states, as ReplicaStatus reports them.
const (
	ReplicaOK          = "ok"          // reads allowed on it go to it
	ReplicaLagging     = "lagging"     // behind by more than the max lag: reads go to the primary
	ReplicaUnavailable = "unavailable" // not answering: reads go to the primary
	ReplicaNone        = ""            // no replica configured
)

// replica is a second pool on a PostgreSQL streaming replica, with the lag
// a background loop measures every second.
type replica struct {
	pool   *pgxpool.Pool
	maxLag time.Duration
	log    *slog.Logger

	state  atomic.Value // string: one of the Replica… states
	lag    atomic.Int64 // nanoseconds, at the last check
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// OpenReplica adds a read replica at url: reads whose context allows it
// (AllowReplica) go to it while it is at most maxLag behind the primary,
// and to the primary otherwise. A replica that does not answer yet is not
// an error: the primary serves until it does. Close stops it.
func (db *DB) OpenReplica(ctx context.Context, url string, maxLag time.Duration, log *slog.Logger) error {
	if db.replica != nil {
		return errors.New("store: a replica is already open")
	}
	cfg, err := poolConfig(url)
	if err != nil {
		return fmt.Errorf("store: replica: %w", err)
	}
	if !strings.Contains(url, "connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = replicaConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("store: replica: %w", err)
	}
	if maxLag <= 0 {
		maxLag = DefaultReadMaxLag
	}
	if log == nil {
		log = slog.Default()
	}
	r := &replica{pool: pool, maxLag: maxLag, log: log}
	r.state.Store(ReplicaUnavailable)
	r.check(ctx, db.Pool)
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	r.wg.Add(1)
	go r.loop(lctx, db.Pool)
	db.replica = r
	return nil
}

func (r *replica) close() {
	r.cancel()
	r.wg.Wait()
	r.pool.Close()
}

func (r *replica) loop(ctx context.Context, primary *pgxpool.Pool) {
	defer r.wg.Done()
	t := time.NewTicker(replicaCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.check(ctx, primary)
		}
	}
}

// check measures the lag: none when the replica has replayed the WAL the
// primary had written before it was asked, else the age of the last
// transaction it replayed (pg_last_xact_replay_timestamp).
func (r *replica) check(ctx context.Context, primary *pgxpool.Pool) {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckEvery)
	defer cancel()
	var primaryLSN string
	if err := primary.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&primaryLSN); err != nil {
		// Without the primary there is nothing to compare with; keep the
		// last verdict (the primary's own failure is what readiness shows).
		return
	}
	var lag float64
	err := r.pool.QueryRow(ctx, `SELECT CASE
	  WHEN NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn THEN 0
	  ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9)::float8 END`,
		primaryLSN).Scan(&lag)
	if err != nil {
		if ctx.Err() == nil || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			r.setState(ReplicaUnavailable, "err", err)
		}
		return
	}
	d := time.Duration(lag * float64(time.Second))
	r.lag.Store(int64(d))
	if d > r.maxLag {
		r.setState(ReplicaLagging, "lag", d.Round(time.Millisecond), "max_lag", r.maxLag)
		return
	}
	r.setState(ReplicaOK)
}

// setState records a state and logs a change.
func (r *replica) setState(s string, attrs ...any) {
	if old := r.state.Swap(s); old != s {
		r.log.Info("read replica "+s, attrs...)
	}
}

// ReplicaStatus reports the read replica's state (ReplicaOK,
// ReplicaLagging, ReplicaUnavailable) and its lag at the last check;
// ReplicaNone without a replica.
func (db *DB) ReplicaStatus() (string, time.Duration) {
	if db.replica == nil {
		return ReplicaNone, 0
	}
	return db.replica.state.Load().(string), time.Duration(db.replica.lag.Load())
}

// ReplicaPool is the replica's pool, for its metrics; nil without a
// replica.
func (db *DB) ReplicaPool() *pgxpool.Pool {
	if db.replica == nil {
		return nil
	}
	return db.replica.pool
}

// ReplicaMaxLag is the lag the replica may have and serve reads; 0
// without a replica.
func (db *DB) ReplicaMaxLag() time.Duration {
	if db.replica == nil {
		return 0
	}
	return db.replica.maxLag
}

type allowReplicaKey struct{}

// AllowReplica marks ctx as one whose reads may come from the replica:
// a read that need not see a write just made (a GET from a client that
// wrote nothing lately).
func AllowReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, allowReplicaKey{}, true)
}

// ReplicaAllowed reports whether AllowReplica marked ctx.
func ReplicaAllowed(ctx context.Context) bool {
	ok, _ := ctx.Value(allowReplicaKey{}).(bool)
	return ok
}

// ReadsFromReplica reports whether a read under ctx would go to the
// replica now.
func (db *DB) ReadsFromReplica(ctx context.Context) bool {
	return db.replicaFor(ctx) != nil
}

// replicaFor returns the replica's pool when a read under ctx may use it.
func (db *DB) replicaFor(ctx context.Context) *pgxpool.Pool {
	r := db.replica
	if r == nil || !ReplicaAllowed(ctx) || r.state.Load().(string) != ReplicaOK {
		return nil
	}
	return r.pool
}

// failed marks the replica down after an error of its own, until the next
// check finds it back: the read is retried on the primary.
func (r *replica) failed(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, pgx.ErrNoRows) {
		return false
	}
	r.setState(ReplicaUnavailable, "err", err)
	return true
}

// Reads sends each read to the replica when its context allows it and the
// replica is usable, else to the primary; a read the replica fails is
// retried on the primary. It serves search (search.Querier) and the
// store's read-only methods.
type Reads struct{ db *DB }

// Reads returns the DB's read router.
func (db *DB) Reads() Reads { return Reads{db: db} }

// Query runs a query that returns rows.
func (r Reads) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if p := r.db.replicaFor(ctx); p != nil {
		rows, err := p.Query(ctx, sql, args...)
		if err == nil || !r.db.replica.failed(ctx, err) {
			return rows, err
		}
	}
	return r.db.Pool.Query(ctx, sql, args...)
}

// QueryRow runs a query that returns one row; its error comes with Scan.
func (r Reads) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if p := r.db.replicaFor(ctx); p != nil {
		return fallbackRow{ctx: ctx, db: r.db, row: p.QueryRow(ctx, sql, args...), sql: sql, args: args}
	}
	return r.db.Pool.QueryRow(ctx, sql, args...)
}

// SendBatch sends a batch of reads on one connection.
func (r Reads) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if p := r.db.replicaFor(ctx); p != nil {
		// Acquired first, so a replica that is down is learned of
		// before the batch is sent, while the primary can still take it.
		c, err := p.Acquire(ctx)
		if err == nil {
			return releasingBatch{BatchResults: c.SendBatch(ctx, b), conn: c}
		}
		r.db.replica.failed(ctx, err)
	}
	return r.db.Pool.SendBatch(ctx, b)
}

type fallbackRow struct {
	ctx  context.Context
	db   *DB
	row  pgx.Row
	sql  string
	args []any
}

func (f fallbackRow) Scan(dest ...any) error {
	err := f.row.Scan(dest...)
	if err == nil || !f.db.replica.failed(f.ctx, err) {
		return err
	}
	return f.db.Pool.QueryRow(f.ctx, f.sql, f.args...).Scan(dest...)
}

type releasingBatch struct {
	pgx.BatchResults
	conn *pgxpool.Conn
}

func (b releasingBatch) Close() error {
	err := b.BatchResults.Close()
	b.conn.Release()
	return err
}
