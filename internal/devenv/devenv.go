// Package devenv runs private PostgreSQL and Redis servers for `newsline dev`,
// so a newcomer can run the whole system with nothing configured: the servers
// come from binaries already on the machine, listen only on 127.0.0.1 on
// non-standard ports (so they never collide with a system install), and keep
// their data under one directory so it survives restarts.
package devenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Default ports are far from 5432/6379 so a system PostgreSQL or Redis on the
// same machine is never touched.
const (
	DefaultPGPort    = 54329
	DefaultRedisPort = 56379
	DefaultDir       = "var"
)

// Names of the role and database created in the private cluster.
const (
	pgUser     = "newsline"
	pgDatabase = "newsline"
)

var (
	// ErrNoPostgres means initdb/pg_ctl/postgres could not be found.
	ErrNoPostgres = errors.New("postgres binaries (initdb, pg_ctl) not found")
	// ErrNoRedis means redis-server could not be found.
	ErrNoRedis = errors.New("redis-server not found")
	// ErrPortInUse is wrapped by *PortInUseError so callers can branch
	// without a type assertion.
	ErrPortInUse = errors.New("port already in use")
)

// PortInUseError reports that another program holds a port we need. Option
// names the Options field that picks a different port, so a caller can map
// it to its own flag (e.g. PGPort => --pg-port).
type PortInUseError struct {
	Service string // "postgres" or "redis"
	Port    int
	Option  string // "PGPort" or "RedisPort"
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("%s: port %d on 127.0.0.1 is already in use by another program; choose a free port with Options.%s",
		e.Service, e.Port, e.Option)
}

func (e *PortInUseError) Unwrap() error { return ErrPortInUse }

// Options configures Start. The zero value is usable.
type Options struct {
	Dir       string       // data root; "" => "var"
	PGPort    int          // 0 => 54329
	RedisPort int          // 0 => 56379
	Logger    *slog.Logger // nil => slog.Default()
}

// Env is a running pair of servers. Call Stop when done.
type Env struct {
	DatabaseURL string
	RedisURL    string

	pg *pgServer
	rd *redisServer

	mu      sync.Mutex
	stopped bool
	stopErr error
}

// Start finds the binaries, initializes the data directory on first use and
// starts both servers. Everything found missing is reported before anything
// is started, so a failed Start leaves nothing running.
func Start(ctx context.Context, opts Options) (*Env, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if opts.Dir == "" {
		opts.Dir = DefaultDir
	}
	if opts.PGPort == 0 {
		opts.PGPort = DefaultPGPort
	}
	if opts.RedisPort == 0 {
		opts.RedisPort = DefaultRedisPort
	}
	if err := validPort(opts.PGPort, "PGPort"); err != nil {
		return nil, err
	}
	if err := validPort(opts.RedisPort, "RedisPort"); err != nil {
		return nil, err
	}
	if opts.PGPort == opts.RedisPort {
		return nil, fmt.Errorf("devenv: PGPort and RedisPort are both %d; they must differ", opts.PGPort)
	}

	root, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("devenv: data dir: %w", err)
	}
	pgBin, err := FindPostgres()
	if err != nil {
		return nil, err
	}
	redisBin, err := findRedis(os.Getenv("PATH"))
	if err != nil {
		return nil, err
	}
	// 0755 rather than 0700: when we are root the postgres user must be
	// able to walk through the root to its own subdirectory.
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("devenv: create data dir: %w", err)
	}
	runAs, err := postgresRunAs(root)
	if err != nil {
		return nil, err
	}

	pg := &pgServer{bindir: pgBin, root: root, port: opts.PGPort, runAs: runAs, log: log}
	rd := &redisServer{bin: redisBin, root: root, port: opts.RedisPort, log: log}
	// Checked now as well as in rd.start so a taken Redis port does not
	// cost a PostgreSQL start and stop first.
	if err := checkPortFree(rd.port, "redis", "RedisPort"); err != nil && !rd.isOurs(ctx) {
		return nil, err
	}
	if err := pg.start(ctx); err != nil {
		return nil, err
	}
	if err := rd.start(ctx); err != nil {
		// The caller's ctx may be the reason we failed, so clean up with a
		// context of our own.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 90*time.Second)
		defer cancel()
		if serr := pg.stop(cctx); serr != nil {
			err = errors.Join(err, serr)
		}
		return nil, err
	}

	return &Env{
		DatabaseURL: fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", pgUser, pg.port, pgDatabase),
		RedisURL:    fmt.Sprintf("redis://127.0.0.1:%d/0", rd.port),
		pg:          pg,
		rd:          rd,
	}, nil
}

// Stop shuts both servers down cleanly and waits for them to exit. Calling it
// again returns the first call's result without doing anything.
func (e *Env) Stop(ctx context.Context) error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return e.stopErr
	}
	e.stopped = true
	// Both are attempted even if one fails: leaving a server running
	// would block the next Start on its port.
	var errs []error
	if e.rd != nil {
		if err := e.rd.stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if e.pg != nil {
		if err := e.pg.stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	e.stopErr = errors.Join(errs...)
	return e.stopErr
}

func validPort(p int, option string) error {
	if p < 1 || p > 65535 {
		return fmt.Errorf("devenv: Options.%s %d is not a valid TCP port", option, p)
	}
	return nil
}

// checkPortFree binds the port briefly: a server started on a taken port
// only fails later with an error buried in its log file.
func checkPortFree(port int, service, option string) error {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return &PortInUseError{Service: service, Port: port, Option: option}
	}
	return l.Close()
}

// logTail returns the last n lines of a log file, for errors whose real
// cause only the server's log knows.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	const maxBytes = 8 << 10
	if len(b) > maxBytes {
		b = b[len(b)-maxBytes:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "\n\t" + strings.Join(lines, "\n\t")
}
