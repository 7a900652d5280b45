package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline/migrations"
	"github.com/newsline/newsline/store"
)

// templateLock is the advisory lock key (any fixed number) that serializes
// building a template database across test processes: `go test ./...` runs
// packages in parallel, and each may be the first to want the template.
const templateLock = 0x6e65_7773_6c69_6e65 // "newsline"

// MigratedDatabaseURL creates a database for the test that already holds
// every migration and returns its URL; it is dropped when the test ends.
//
// It is a copy (CREATE DATABASE … TEMPLATE) of a template database migrated
// once and named after a hash of the migration files, so a changed or added
// SQL migration gets a new template. The copy is then migrated up, which
// applies nothing unless a Go migration was added since the template was
// built. Templates stay on the server between runs: drop databases named
// newsline_tmpl_* to clear them.
func MigratedDatabaseURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	adminURL := env("NEWSLINE_TEST_DATABASE_URL", defaultAdminURL)
	tmpl, err := ensureTemplate(ctx, adminURL)
	if err != nil {
		t.Fatalf("testenv: template database: %v", err)
	}
	dbURL := createDatabase(t, adminURL, tmpl)
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return dbURL
}

// templateName names the template after the migration files' contents.
func templateName() (string, error) {
	h := sha256.New()
	var names []string
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return "newsline_tmpl_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// ensureTemplate returns the template database's name, building it first
// when no test process has yet.
func ensureTemplate(ctx context.Context, adminURL string) (string, error) {
	name, err := templateName()
	if err != nil {
		return "", err
	}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL is not reachable at %s (run `make test`, which starts it): %w", adminURL, err)
	}
	defer admin.Close(ctx)
	if ok, err := databaseExists(ctx, admin, name); err != nil || ok {
		return name, err
	}
	// Session-level lock: released when admin closes, even if a step fails.
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(templateLock)); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	if ok, err := databaseExists(ctx, admin, name); err != nil || ok {
		return name, err
	}
	// Build under another name and rename when done, so no process ever
	// copies a half-migrated template.
	build := name + "_build"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+build); err != nil {
		return "", err
	}
	if err := migrate(ctx, withDatabase(adminURL, build)); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+build+" RENAME TO "+name); err != nil {
		return "", err
	}
	// No connections allowed: a session on a template makes copying it fail.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return "", err
	}
	return name, nil
}

func databaseExists(ctx context.Context, admin *pgx.Conn, name string) (bool, error) {
	var ok bool
	err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("look up %s: %w", name, err)
	}
	return ok, nil
}

func migrate(ctx context.Context, dbURL string) error {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.MigrateUp(ctx)
	return err
}

// withDatabase returns adminURL pointing at database name instead.
func withDatabase(adminURL, name string) string {
	u, err := url.Parse(adminURL)
	if err != nil {
		return adminURL
	}
	u.Path = "/" + name
	return u.String()
}
