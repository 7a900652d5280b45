package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/newsline/newsline/internal/devenv"
)

// privateServers starts throwaway PostgreSQL and Redis servers in a
// temporary directory, on free ports so a running `newsline dev` is not
// disturbed, fills in the URLs that are not configured, and returns what
// stops and removes them.
func (a *app) privateServers(ctx context.Context, logger *slog.Logger) (func(), error) {
	dir, err := os.MkdirTemp("", "newsline-bench-")
	if err != nil {
		return nil, fmt.Errorf("private servers: %w", err)
	}
	// When we are root, PostgreSQL runs as the postgres user, which must
	// be able to walk into the directory (MkdirTemp makes it 0700).
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("private servers: %w", err)
	}
	pgPort, err1 := freePort()
	redisPort, err2 := freePort()
	if err := errors.Join(err1, err2); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("private servers: %w", err)
	}
	fmt.Fprintf(a.stderr, "no database or Redis configured: starting private servers in %s…\n", dir)
	env, err := devenv.Start(ctx, devenv.Options{Dir: dir, PGPort: pgPort, RedisPort: redisPort, Logger: logger})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if a.cfg.DatabaseURL == "" {
		a.cfg.DatabaseURL = env.DatabaseURL
	}
	if a.cfg.RedisURL == "" {
		a.cfg.RedisURL = env.RedisURL
	}
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := env.Stop(sctx); err != nil {
			logger.Error("stopping private servers", "err", err)
		}
		os.RemoveAll(dir)
	}, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startDevServers starts private PostgreSQL and Redis servers under
// --data-dir for what is not configured, and returns the settings that
// reach them (to print) and what stops them.
func (a *app) startDevServers(ctx context.Context, pgPort, redisPort int) (started []string, stop func(), err error) {
	if a.cfg.DatabaseURL != "" && a.cfg.RedisURL != "" {
		return nil, func() {}, nil
	}
	dir, err := filepath.Abs(a.cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	env, err := devenv.Start(ctx, devenv.Options{Dir: dir, PGPort: pgPort, RedisPort: redisPort, Logger: a.logger})
	if err != nil {
		var pe *devenv.PortInUseError
		if errors.As(err, &pe) {
			flag := map[string]string{"PGPort": "--pg-port", "RedisPort": "--redis-port"}[pe.Option]
			return nil, nil, fmt.Errorf("%s: port %d is in use by another program; choose another with %s", pe.Service, pe.Port, flag)
		}
		return nil, nil, err
	}
	// The servers dev started have no password; a URL the operator
	// configured may, and is never printed.
	if a.cfg.DatabaseURL == "" {
		a.cfg.DatabaseURL = env.DatabaseURL
		started = append(started, fmt.Sprintf("NEWSLINE_DATABASE_URL='%s'", env.DatabaseURL))
	}
	if a.cfg.RedisURL == "" {
		a.cfg.RedisURL = env.RedisURL
		started = append(started, fmt.Sprintf("NEWSLINE_REDIS_URL='%s'", env.RedisURL))
	}
	return started, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := env.Stop(sctx); err != nil {
			a.logger.Error("stopping private servers", "err", err)
		}
	}, nil
}
