package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// TestBackupRestore seeds a database, backs it up, restores the dump into
// a fresh database and finds every row of every table there: articles,
// sites, URLs, authors, and users and bookmarks once they exist. The URL
// carries a password (the test server trusts local connections) that no
// output may show.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	needTool(t, "pg_dump", "/usr/lib/postgresql/15/bin")
	ctx := context.Background()
	srcURL := withPassword(t, testenv.MigratedDatabaseURL(t))
	src, err := store.Open(ctx, srcURL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	for s := range 3 {
		site := testenv.SeedSite(t, src, fmt.Sprintf("site%d.example", s))
		for i := range 20 {
			published := time.Date(2026, 1, 1+i, 8, 0, 0, 0, time.UTC)
			testenv.SeedArticle(t, src, site, newsline.Article{
				URL: fmt.Sprintf("https://%s/news/story-%d", site.Host, i), Title: fmt.Sprintf("Story %d of %s", i, site.Host),
				Authors: []string{"Ada Lovelace", fmt.Sprintf("Reporter %d", i%4)}, PublishedAt: &published,
				Text:     fmt.Sprintf("Paragraph one of story %d on %s.\n\nParagraph two, with more words.", i, site.Host),
				Language: "en", TSConfig: "english", Kind: "article", Completeness: 0.9,
			})
		}
	}
	file := filepath.Join(t.TempDir(), "newsline.dump")
	code, out := run(t, env{"NEWSLINE_DATABASE_URL": srcURL}, "backup", "--out", file)
	t.Logf("newsline backup: %s", out)
	if code != 0 || !strings.Contains(out, "backup: wrote ") || strings.Contains(out, password) {
		t.Fatalf("backup: exit %d, want 0 and no password:\n%s", code, out)
	}
	if _, err := os.Stat(file + ".partial"); !os.IsNotExist(err) {
		t.Errorf("backup left %s.partial", file)
	}

	dstURL := withPassword(t, testenv.DatabaseURL(t))
	code, out = run(t, env{"NEWSLINE_DATABASE_URL": dstURL}, "restore", file)
	t.Logf("newsline restore: %s", out)
	if code != 0 || strings.Contains(out, password) {
		t.Fatalf("restore: exit %d, want 0 and no password:\n%s", code, out)
	}
	want, got := tableDigests(t, srcURL), tableDigests(t, dstURL)
	for _, table := range []string{"articles", "sites", "urls", "authors", "goose_db_version"} {
		if want[table].rows == 0 {
			t.Errorf("table %s: seeded no rows", table)
		}
	}
	for table, w := range want {
		if got[table] != w {
			t.Errorf("table %s: %d rows (digest %s) restored, want %d (%s)", table, got[table].rows, got[table].digest, w.rows, w.digest)
		}
	}
	if len(got) != len(want) {
		t.Errorf("restored %d tables, want %d", len(got), len(want))
	}

	code, out = run(t, env{"NEWSLINE_DATABASE_URL": dstURL}, "restore", file)
	if code != 1 || !strings.Contains(out, "is not empty") || strings.Contains(out, password) {
		t.Errorf("restore over a database in use: exit %d, want 1 with 'is not empty':\n%s", code, out)
	}
}

// withPassword adds a password to a test database URL.
func withPassword(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, has := u.User.Password(); has || u.User == nil {
		t.Skip("the test database URL has a password of its own or no user")
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String()
}

type tableDigest struct {
	rows   int64
	digest string
}

// tableDigests returns, for every table of the public schema, its row
// count and an MD5 of its rows in a fixed order.
func tableDigests(t *testing.T, dbURL string) map[string]tableDigest {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tableDigest{}
	for _, table := range tables {
		var d tableDigest
		q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(r::text, E'\n' ORDER BY r::text)), '') FROM %s r`,
			pgx.Identifier{table}.Sanitize())
		if err := conn.QueryRow(ctx, q).Scan(&d.rows, &d.digest); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = d
	}
	return out
}

func TestPGTargetFor(t *testing.T) {
	for _, tc := range []struct {
		dsn, conninfo, password, dbname string
	}{
		{"postgres://u:pw@db:5432/news?sslmode=disable", "postgres://u@db:5432/news?sslmode=disable", "pw", "news"},
		{"postgres://u:p%40ss@db/news?pool_max_conns=20&sslmode=require", "postgres://u@db/news?sslmode=require", "p@ss", "news"},
		{"postgres://u@db/news?password=pw&application_name=x", "postgres://u@db/news?application_name=x", "pw", "news"},
		{"postgres:///news?host=/var/run/postgresql", "postgres:///news?host=%2Fvar%2Frun%2Fpostgresql", "", "news"},
		{`host=db user=u password='it\'s' dbname=news`, "host=db user=u  dbname=news", "it's", "news"},
		{`host=db password=s\'q dbname='my db'`, "host=db  dbname='my db'", "s'q", "my db"},
	} {
		got, err := pgTargetFor(tc.dsn)
		if err != nil || got.conninfo != tc.conninfo || got.password != tc.password || got.dbname != tc.dbname {
			t.Errorf("pgTargetFor(%q) = %+v, %v; want %q %q %q", tc.dsn, got, err, tc.conninfo, tc.password, tc.dbname)
		}
	}
}
