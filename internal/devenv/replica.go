package devenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Replica is a PostgreSQL streaming replica of an Env's server, for tests
// and trials of NEWSLINE_READ_DATABASE_URL.
type Replica struct {
	DatabaseURL string

	pg *pgServer
}

// StartReplica copies the running primary with pg_basebackup -R into dir
// and starts it as a hot standby on port, streaming from the primary.
// Stop it before the primary.
func (e *Env) StartReplica(ctx context.Context, dir string, port int) (*Replica, error) {
	if e == nil || e.pg == nil {
		return nil, errors.New("devenv: no primary to replicate")
	}
	if err := validPort(port, "port"); err != nil {
		return nil, err
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("devenv: replica dir: %w", err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("devenv: create replica dir: %w", err)
	}
	runAs, err := postgresRunAs(root)
	if err != nil {
		return nil, err
	}
	pg := &pgServer{bindir: e.pg.bindir, root: root, port: port, runAs: runAs, log: e.pg.log}
	if err := checkPortFree(port, "postgres", "port"); err != nil {
		return nil, err
	}
	if err := pg.prepareDirs(); err != nil {
		return nil, fmt.Errorf("devenv: prepare replica dirs: %w", err)
	}
	// -R writes standby.signal and primary_conninfo; -X stream copies the
	// WAL written meanwhile, so the copy starts consistent.
	if err := pg.run(ctx, "pg_basebackup", "-D", pg.dataDir(), "-h", "127.0.0.1", "-p", strconv.Itoa(e.pg.port),
		"-U", pgUser, "-R", "-X", "stream", "-c", "fast"); err != nil {
		return nil, fmt.Errorf("devenv: copy the primary: %w", err)
	}
	if err := pg.start(ctx); err != nil {
		return nil, err
	}
	return &Replica{
		DatabaseURL: fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", pgUser, pg.port, pgDatabase),
		pg:          pg,
	}, nil
}

// Stop shuts the replica down and waits for it to exit.
func (r *Replica) Stop(ctx context.Context) error {
	if r == nil {
		return nil
	}
	return r.pg.stop(ctx)
}
