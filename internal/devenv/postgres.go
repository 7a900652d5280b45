package devenv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// postgresOSUser is who runs PostgreSQL when we are root: initdb, pg_ctl and
// postgres all refuse to run as root.
const postgresOSUser = "postgres"

// maxSocketPath leaves room for "/.s.PGSQL.NNNNN.lock" within the 107 bytes
// Linux allows for a Unix socket path; postgres fails obscurely beyond it.
const maxSocketPath = 85

type osUser struct {
	name     string
	uid, gid uint32
}

// postgresRunAs returns the user to run PostgreSQL as, or nil to run it as
// ourselves. It also checks that the user can reach root, because otherwise
// initdb fails with a bare "Permission denied".
func postgresRunAs(root string) (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(postgresOSUser)
	if err != nil {
		return nil, fmt.Errorf("devenv: PostgreSQL refuses to run as root, so it must run as the system user %q, which does not exist (%w): create it with \"useradd --system --home-dir /var/lib/postgresql %s\" or run newsline as a normal user",
			postgresOSUser, err, postgresOSUser)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("devenv: user %q: %w", postgresOSUser, err)
	}
	gids := []uint32{uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if g, err := strconv.ParseUint(s, 10, 32); err == nil {
				gids = append(gids, uint32(g))
			}
		}
	}
	if err := checkTraversable(root, postgresOSUser, uint32(uid), gids); err != nil {
		return nil, err
	}
	return &osUser{name: postgresOSUser, uid: uint32(uid), gid: uint32(gid)}, nil
}

// checkTraversable reports the first directory from dir up to / that the
// given user may not search. It reads only mode bits (no ACLs), which is
// what matters for the usual culprit: a 0700 home or work directory.
func checkTraversable(dir, name string, uid uint32, gids []uint32) error {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("devenv: %w", err)
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			perm := fi.Mode().Perm()
			var bit fs.FileMode
			switch {
			case st.Uid == uid:
				bit = 0o100
			case slices.Contains(gids, st.Gid):
				bit = 0o010
			default:
				bit = 0o001
			}
			if perm&bit == 0 {
				return fmt.Errorf("devenv: PostgreSQL must run as user %q because we are root, but that user cannot enter %s (mode %04o, owner uid %d) on the way to the data directory %s: choose a data directory outside it or run \"chmod o+x %s\"",
					name, p, perm, st.Uid, dir, p)
			}
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}

type pgServer struct {
	bindir string
	root   string
	port   int
	runAs  *osUser
	log    *slog.Logger
}

func (p *pgServer) dataDir() string   { return filepath.Join(p.root, "postgres") }
func (p *pgServer) socketDir() string { return filepath.Join(p.root, "pgsocket") }
func (p *pgServer) logFile() string   { return filepath.Join(p.root, "postgres.log") }

func (p *pgServer) start(ctx context.Context) error {
	if n := len(p.socketDir()); n > maxSocketPath {
		return fmt.Errorf("devenv: data directory path %s is too long for a PostgreSQL Unix socket (%d bytes, at most %d): use a shorter one",
			p.root, n, maxSocketPath)
	}
	if err := p.prepareDirs(); err != nil {
		return fmt.Errorf("devenv: prepare postgres dirs: %w", err)
	}
	if _, err := os.Stat(filepath.Join(p.dataDir(), "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		// Nothing can be running yet, and initdb is the slow part: learn
		// about a taken port before spending time on it.
		if err := checkPortFree(p.port, "postgres", "PGPort"); err != nil {
			return err
		}
		if err := p.initdb(ctx); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("devenv: %w", err)
	}

	// A postmaster left behind by a run that died without Stop (pg_ctl
	// daemonizes it, so it outlives us) would make "pg_ctl start" fail;
	// adopting it is what the user wants.
	if port, ok := p.runningPort(ctx); ok {
		if port != 0 && port != p.port {
			p.log.Warn("postgres from an earlier run is still running on another port; using that port",
				"dir", p.dataDir(), "port", port, "requested_port", p.port)
			p.port = port
		}
		p.log.Info("reusing running postgres", "dir", p.dataDir(), "port", p.port)
	} else {
		if err := checkPortFree(p.port, "postgres", "PGPort"); err != nil {
			return err
		}
		opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s", p.port, shellQuote(p.socketDir()))
		if err := p.run(ctx, "pg_ctl", "-D", p.dataDir(), "-l", p.logFile(), "-w", "-t", "60", "-o", opts, "start"); err != nil {
			// On a timeout the postmaster may still come up later; do not
			// leave it behind holding the port.
			p.stopQuietly(ctx)
			return fmt.Errorf("devenv: start postgres: %w\nlast lines of %s:%s", err, p.logFile(), logTail(p.logFile(), 15))
		}
		p.log.Info("started postgres", "dir", p.dataDir(), "port", p.port, "log", p.logFile())
	}

	if err := p.createDatabase(ctx); err != nil {
		p.stopQuietly(ctx)
		return err
	}
	return nil
}

// prepareDirs creates what the postgres user must own before it runs: it
// cannot create anything in root itself, which stays ours.
func (p *pgServer) prepareDirs() error {
	for _, d := range []string{p.dataDir(), p.socketDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	// postgres refuses a data directory readable by others; one copied
	// around or created by hand may have lost its mode.
	if fi, err := os.Stat(p.dataDir()); err != nil {
		return err
	} else if perm := fi.Mode().Perm(); perm != 0o700 && perm != 0o750 {
		if err := os.Chmod(p.dataDir(), 0o700); err != nil {
			return err
		}
	}
	// pg_ctl appends the server's output to the log through a shell
	// redirect, so the file must already be writable by the server's user.
	f, err := os.OpenFile(p.logFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if p.runAs == nil {
		return nil
	}
	uid, gid := int(p.runAs.uid), int(p.runAs.gid)
	for _, f := range []string{p.socketDir(), p.logFile()} {
		if err := os.Chown(f, uid, gid); err != nil {
			return err
		}
	}
	// The whole tree, not just the top: a data dir first created by a
	// normal user and now started as root would otherwise be unreadable.
	return filepath.WalkDir(p.dataDir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if fi, err := d.Info(); err == nil {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == p.runAs.uid && st.Gid == p.runAs.gid {
				return nil
			}
		}
		return os.Lchown(path, uid, gid)
	})
}

func (p *pgServer) initdb(ctx context.Context) error {
	args := []string{"-D", p.dataDir(), "-U", pgUser, "--auth=trust", "-E", "UTF8"}
	err := p.run(ctx, "initdb", append(args, "--locale=C.UTF-8")...)
	if err != nil {
		// Not every libc ships C.UTF-8. initdb empties the directory after
		// a failure, so retrying in place is safe.
		p.log.Warn("initdb with locale C.UTF-8 failed; retrying with locale C", "err", err)
		if err2 := p.run(ctx, "initdb", append(args, "--locale=C")...); err2 != nil {
			return fmt.Errorf("devenv: initdb in %s: %w", p.dataDir(), errors.Join(err, err2))
		}
	}
	p.log.Info("initialized postgres data dir", "dir", p.dataDir(), "bindir", p.bindir)
	return nil
}

// runningPort reports whether a postmaster is alive in the data dir and the
// port it was started with (0 if unknown).
func (p *pgServer) runningPort(ctx context.Context) (int, bool) {
	// Any failure, not only "not running", falls through to "pg_ctl
	// start", which then gives the real error.
	if p.status(ctx) != 0 {
		return 0, false
	}
	// Line 4 of postmaster.pid is the port.
	b, err := os.ReadFile(filepath.Join(p.dataDir(), "postmaster.pid"))
	if err != nil {
		return 0, true
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for i := 1; sc.Scan(); i++ {
		if i == 4 {
			port, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
			return port, true
		}
	}
	return 0, true
}

// pgStatusNotRunning is pg_ctl status's exit code for a data directory
// with no live postmaster.
const pgStatusNotRunning = 3

// status returns pg_ctl status's exit code: 0 running, 3 not running, other
// values when it could not tell.
func (p *pgServer) status(ctx context.Context) int {
	err := p.command(ctx, "pg_ctl", "-D", p.dataDir(), "status").Run()
	if err == nil {
		return 0
	}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok && ee.ExitCode() >= 0 {
		return ee.ExitCode()
	}
	return -1
}

func (p *pgServer) createDatabase(ctx context.Context) error {
	url := fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", pgUser, p.port)
	// A reused postmaster may still be in crash recovery and refuse
	// connections for a while.
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var conn *pgx.Conn
	for {
		var err error
		conn, err = pgx.Connect(cctx, url)
		if err == nil {
			break
		}
		select {
		case <-cctx.Done():
			return fmt.Errorf("devenv: connect to postgres on port %d: %w\nlast lines of %s:%s", p.port, err, p.logFile(), logTail(p.logFile(), 15))
		case <-time.After(250 * time.Millisecond):
		}
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	if err := conn.QueryRow(cctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", pgDatabase).Scan(&exists); err != nil {
		return fmt.Errorf("devenv: look up database %s: %w", pgDatabase, err)
	}
	if exists {
		return nil
	}
	_, err := conn.Exec(cctx, "CREATE DATABASE "+pgx.Identifier{pgDatabase}.Sanitize())
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && pgErr.Code == "42P04" { // duplicate_database: another process won the race
		err = nil
	}
	if err != nil {
		return fmt.Errorf("devenv: create database %s: %w", pgDatabase, err)
	}
	p.log.Info("created postgres database", "database", pgDatabase)
	return nil
}

func (p *pgServer) stop(ctx context.Context) error {
	err := p.run(ctx, "pg_ctl", "-D", p.dataDir(), "-m", "fast", "-w", "-t", "60", "stop")
	if err != nil {
		if ctx.Err() == nil && p.status(ctx) == pgStatusNotRunning {
			return nil // someone else stopped it; the goal is met
		}
		return fmt.Errorf("devenv: stop postgres: %w", err)
	}
	p.log.Info("stopped postgres", "dir", p.dataDir())
	return nil
}

// stopQuietly is for failure paths, where the caller's ctx may be what
// failed and the original error is the one worth reporting.
func (p *pgServer) stopQuietly(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 90*time.Second)
	defer cancel()
	if _, running := p.runningPort(cctx); running {
		if err := p.stop(cctx); err != nil {
			p.log.Warn("could not stop postgres after failed start", "err", err)
		}
	}
}

func (p *pgServer) run(ctx context.Context, name string, args ...string) error {
	out, err := p.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		if out = bytes.TrimSpace(out); len(out) > 0 {
			return fmt.Errorf("%s: %w: %s", name, err, out)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (p *pgServer) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(p.bindir, name), args...)
	// Our cwd may be unreadable by the postgres user, and initdb warns
	// about that; root is known to be reachable.
	cmd.Dir = p.root
	cmd.Env = childEnv()
	// Its own process group keeps a terminal Ctrl-C from reaching pg_ctl
	// and the postmaster it forks: we stop them in order ourselves.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if p.runAs != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: p.runAs.uid, Gid: p.runAs.gid}
	}
	// The postmaster's output goes to the log file, but should anything
	// keep our output pipe open, do not hang waiting for it.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// childEnv drops PG* variables: a developer's PGDATA, PGPORT or PGOPTIONS
// aimed at another server must not leak into the private one.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// shellQuote is needed because pg_ctl passes -o through /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
