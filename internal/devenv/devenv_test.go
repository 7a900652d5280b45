package devenv

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

func TestStartStopKeepsData(t *testing.T) {
	skipWithoutBinaries(t)
	dir := traversableTempDir(t)
	ports := freePorts(t, 2)
	opts := Options{
		Dir:       dir,
		PGPort:    ports[0],
		RedisPort: ports[1],
		Logger:    slog.New(slog.NewTextHandler(t.Output(), nil)),
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	env := start(t, ctx, opts)
	if want := "postgres://newsline@127.0.0.1:" + strconv.Itoa(ports[0]) + "/newsline?sslmode=disable"; env.DatabaseURL != want {
		t.Errorf("DatabaseURL = %q, want %q", env.DatabaseURL, want)
	}
	if want := "redis://127.0.0.1:" + strconv.Itoa(ports[1]) + "/0"; env.RedisURL != want {
		t.Errorf("RedisURL = %q, want %q", env.RedisURL, want)
	}

	conn, err := pgx.Connect(ctx, env.DatabaseURL)
	if err != nil {
		t.Fatalf("connect postgres: %v", err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE t (v text)"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO t VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	rdb := redisClient(t, env.RedisURL)
	if err := rdb.Set(ctx, "k", "kept", 0).Err(); err != nil {
		t.Fatalf("redis SET: %v", err)
	}
	rdb.Close()

	if err := env.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := env.Stop(ctx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	for _, p := range ports {
		if err := checkPortFree(p, "", ""); err != nil {
			t.Errorf("port %d still in use after Stop", p)
		}
	}

	env = start(t, ctx, opts)
	conn, err = pgx.Connect(ctx, env.DatabaseURL)
	if err != nil {
		t.Fatalf("connect postgres after restart: %v", err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, "SELECT v FROM t").Scan(&v); err != nil || v != "kept" {
		t.Errorf("row after restart = %q, %v; want \"kept\"", v, err)
	}
	rdb = redisClient(t, env.RedisURL)
	defer rdb.Close()
	if got, err := rdb.Get(ctx, "k").Result(); err != nil || got != "kept" {
		t.Errorf("redis key after restart = %q, %v; want \"kept\"", got, err)
	}
	conn.Close(ctx)
	if err := env.Stop(ctx); err != nil {
		t.Fatalf("Stop after restart: %v", err)
	}
}

func TestStartPortInUse(t *testing.T) {
	skipWithoutBinaries(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	busy := l.Addr().(*net.TCPAddr).Port
	ports := freePorts(t, 1)

	env, err := Start(t.Context(), Options{Dir: traversableTempDir(t), PGPort: busy, RedisPort: ports[0]})
	if err == nil {
		env.Stop(context.Background())
		t.Fatal("Start succeeded on a busy port")
	}
	if !errors.Is(err, ErrPortInUse) {
		t.Fatalf("err = %v, want ErrPortInUse", err)
	}
	pe, ok := errors.AsType[*PortInUseError](err)
	if !ok || pe.Port != busy || pe.Option != "PGPort" {
		t.Fatalf("err = %#v, want PortInUseError for port %d, option PGPort", err, busy)
	}
	if !strings.Contains(err.Error(), strconv.Itoa(busy)) {
		t.Errorf("error %q does not name the port", err)
	}
}

func TestMissingBinariesSayWhatToInstall(t *testing.T) {
	empty := t.TempDir()

	_, err := findPostgres(empty, filepath.Join(empty, "*", "bin"))
	if !errors.Is(err, ErrNoPostgres) {
		t.Fatalf("findPostgres err = %v, want ErrNoPostgres", err)
	}
	if !strings.Contains(err.Error(), `"apt-get install postgresql"`) {
		t.Errorf("postgres error %q lacks the install hint", err)
	}

	_, err = findRedis(empty)
	if !errors.Is(err, ErrNoRedis) {
		t.Fatalf("findRedis err = %v, want ErrNoRedis", err)
	}
	if !strings.Contains(err.Error(), `"apt-get install redis-server"`) {
		t.Errorf("redis error %q lacks the install hint", err)
	}
}

func TestFindPostgres(t *testing.T) {
	root := t.TempDir()
	lib := filepath.Join(root, "lib")
	for _, v := range []string{"9.6", "15", "10", "notaversion"} {
		fakePGBin(t, filepath.Join(lib, v, "bin"))
	}
	// A version dir without pg_ctl must be passed over.
	incomplete := filepath.Join(lib, "99", "bin")
	writeExe(t, filepath.Join(incomplete, "initdb"))
	glob := filepath.Join(lib, "*", "bin")

	t.Run("highest version under lib", func(t *testing.T) {
		got, err := findPostgres(t.TempDir(), glob)
		if want := filepath.Join(lib, "15", "bin"); err != nil || got != want {
			t.Errorf("findPostgres = %q, %v; want %q", got, err, want)
		}
	})
	t.Run("PATH symlink resolved", func(t *testing.T) {
		pathDir := t.TempDir()
		for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
			if err := os.Symlink(filepath.Join(lib, "10", "bin", name), filepath.Join(pathDir, name)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := findPostgres(pathDir, glob)
		if want := filepath.Join(lib, "10", "bin"); err != nil || got != want {
			t.Errorf("findPostgres = %q, %v; want %q", got, err, want)
		}
	})
	t.Run("PATH dir itself", func(t *testing.T) {
		got, err := findPostgres(filepath.Join(lib, "9.6", "bin"), glob)
		if want := filepath.Join(lib, "9.6", "bin"); err != nil || got != want {
			t.Errorf("findPostgres = %q, %v; want %q", got, err, want)
		}
	})
}

func TestCheckTraversable(t *testing.T) {
	root := t.TempDir()
	closed := filepath.Join(root, "closed")
	inner := filepath.Join(closed, "inner")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(root), 0o755); err != nil {
		t.Fatal(err)
	}
	// A uid and gid nobody uses, so only the "other" bits apply.
	const stranger = 54321
	err := checkTraversable(inner, "stranger", stranger, []uint32{stranger})
	if err == nil || !strings.Contains(err.Error(), closed+" ") {
		t.Errorf("checkTraversable = %v, want an error naming %s", err, closed)
	}
	if err := checkTraversable(root, "stranger", stranger, []uint32{stranger}); err != nil {
		t.Errorf("checkTraversable(%s) = %v, want nil", root, err)
	}
}

func TestReadReply(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"+PONG\r\n", []string{"PONG"}, false},
		{":42\r\n", []string{"42"}, false},
		{"$3\r\nabc\r\n", []string{"abc"}, false},
		{"*2\r\n$3\r\ndir\r\n$4\r\n/a b\r\n", []string{"dir", "/a b"}, false},
		{"-LOADING Redis is loading\r\n", nil, true},
		{"$5\r\nab", nil, true},
	} {
		got, err := readReply(bufio.NewReader(strings.NewReader(tc.in)), 0)
		if (err != nil) != tc.wantErr || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("readReply(%q) = %q, %v; want %q, err %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func start(t *testing.T, ctx context.Context, opts Options) *Env {
	t.Helper()
	env, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	// Stop is idempotent, so this only matters when the test failed
	// half-way: never leave servers running.
	t.Cleanup(func() {
		if err := env.Stop(context.Background()); err != nil {
			t.Errorf("cleanup Stop: %v", err)
		}
	})
	return env
}

func skipWithoutBinaries(t *testing.T) {
	t.Helper()
	if _, err := FindPostgres(); err != nil {
		t.Skipf("skipping: %v", err)
	}
	if _, err := findRedis(os.Getenv("PATH")); err != nil {
		t.Skipf("skipping: %v", err)
	}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup(postgresOSUser); err != nil {
			t.Skipf("skipping: running as root and there is no %q user to run PostgreSQL as", postgresOSUser)
		}
	}
}

// traversableTempDir opens up t.TempDir, which os.MkdirTemp creates 0700:
// as root, PostgreSQL runs as the postgres user and must get through it.
func traversableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "var")
}

// freePorts holds all listeners open until every port is picked so the
// same port is not handed out twice.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

func redisClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return redis.NewClient(o)
}

func fakePGBin(t *testing.T, dir string) {
	t.Helper()
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		writeExe(t, filepath.Join(dir, name))
	}
}

func writeExe(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}
