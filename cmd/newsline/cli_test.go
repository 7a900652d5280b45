package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testenv"
	"github.com/newsline/newsline/store"
)

// run runs newsline in-process and returns its exit code and output.
func run(t *testing.T, e env, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Main(context.Background(), args, &out, &out, e.lookup)
	return code, out.String()
}

func TestCLITyposAndAliases(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serv"}, 2, "did you mean serve?"},
		{[]string{"sevre"}, 2, "did you mean serve?"},
		{[]string{"sites", "lsit"}, 2, "did you mean list?"},
		{[]string{"migrate", "upp"}, 2, "did you mean up?"},
		{[]string{"sites", "ls", "--database-url", ""}, 1, "no database configured"},
		{[]string{"sites", "show"}, 2, "takes 1 argument (HOST)"},
		{[]string{"--concurrency", "lots", "worker"}, 2, "want a whole number"},
		{[]string{"--help"}, 0, "Run Newsline:"},
		{[]string{"sites", "--help"}, 0, "remove"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out := run(t, env{}, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want %d; output:\n%s\nwant it to contain %q", code, tt.code, out, tt.want)
			}
		})
	}
}

func TestCLIBadEnvironment(t *testing.T) {
	code, out := run(t, env{"NEWSLINE_SHUTDOWN_TIMEOUT": "soon"}, "sites", "ls")
	if code != 2 || !strings.Contains(out, "NEWSLINE_SHUTDOWN_TIMEOUT") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestCLISitesAndMigrations(t *testing.T) {
	t.Parallel()
	e := env{"NEWSLINE_DATABASE_URL": testenv.DatabaseURL(t), "NEWSLINE_LOG_LEVEL": "warn"}
	migrations := migrationCount(t)
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"migrate", "status"}, 0, "pending"},
		{[]string{"migrate", "up"}, 0, fmt.Sprintf("applied %d migration", migrations)},
		{[]string{"migrate", "st"}, 0, "applied"},
		{[]string{"sites", "ls"}, 0, "no sites yet"},
		{[]string{"sites", "add", "news.example", "--feed", "https://news.example/rss", "--schedule", "@every 15m"}, 0, "added news.example"},
		{[]string{"sites", "add", "bad.example", "--schedule", "sometimes"}, 2, `field schedule: invalid cron expression "sometimes"`},
		{[]string{"sites", "add", "bad.example", "--feed", "https://other.example/rss"}, 2, "is not on host bad.example"},
		{[]string{"sites", "add", "news.example", "--delay", "3s", "--include", "^/news/", "--refetch-after", "2h,48h"}, 0, "updated news.example"},
		{[]string{"sites", "add", "news.example", "--include", "("}, 2, "bad regular expression"},
		{[]string{"site", "show", "news.example"}, 0, "follow article links  no"},
		{[]string{"sites", "add", "news.example", "--follow-article-links"}, 2, "field follow_article_links: discovery reads pages only from start_urls"},
		{[]string{"sites", "add", "news.example", "--start", "https://news.example/", "--follow-article-links"}, 0, "updated news.example"},
		{[]string{"sites", "add", "news.example", "--max-depth", "2"}, 0, "updated news.example"},
		{[]string{"site", "show", "news.example"}, 0, "languages             any (detected)"},
		{[]string{"sites", "add", "news.example", "--languages", "de,eng"}, 2, `field languages: want lower-case ISO 639-1 codes such as en or de, got "eng"`},
		{[]string{"sites", "add", "news.example", "--languages", "de,en"}, 0, "updated news.example"},
		{[]string{"site", "show", "news.example"}, 0, "languages             de en"},
		{[]string{"site", "show", "news.example"}, 0, "follow article links  yes"}, // kept by an update that does not name it
		{[]string{"sites", "list"}, 0, "news.example"},
		{[]string{"site", "show", "news.example"}, 0, "3s"},
		{[]string{"site", "info", "news.example"}, 0, "https://news.example/rss"}, // an update keeps what it does not name
		{[]string{"site", "get", "news.example"}, 0, "@every 15m"},
		{[]string{"site", "show", "news.example"}, 0, "[2h0m0s 48h0m0s]"},
		{[]string{"site", "show", "news.example"}, 0, "^/news/"},
		{[]string{"site", "show", "news.example"}, 0, "next run"},
		{[]string{"sites", "show", "news.exmple"}, 1, "did you mean news.example?"},
		{[]string{"sites", "show", "nothing-like-it.org"}, 1, "newsline sites list"},
		{[]string{"search", "harbour"}, 0, `no articles match "harbour"`},
		{[]string{"search", "the"}, 1, "no searchable words"},
		{[]string{"search", "harbour", "--from", "yesterday"}, 2, "--from wants a day"},
		{[]string{"search", "harbour", "--sort", "date", "--language", "en", "--facets"}, 0, `no articles match "harbour"`},
		{[]string{"trending"}, 0, "nothing trending in the last 24h"},
		{[]string{"trending", "1y"}, 1, "window must be 24h or 7d"},
		{[]string{"sites", "rm", "news.example"}, 0, "removed news.example"},
		{[]string{"sites", "rm", "news.example"}, 1, "no site"},
	}
	for range migrations {
		steps = append(steps, struct {
			args []string
			code int
			want string
		}{[]string{"migrate", "down"}, 0, "rolled back 1 migration"})
	}
	steps = append(steps, struct {
		args []string
		code int
		want string
	}{[]string{"migrate", "down"}, 0, "nothing to roll back"})
	for _, s := range steps {
		code, out := run(t, e, s.args...)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Fatalf("newsline %s: exit %d, want %d; output:\n%s\nwant it to contain %q", strings.Join(s.args, " "), code, s.code, out, s.want)
		}
	}
}

// migrationCount counts the migrations, SQL files and Go functions, as the
// migrator lists them for an empty database.
func migrationCount(t *testing.T) int {
	t.Helper()
	db, err := store.Open(context.Background(), testenv.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.MigrateStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(st)
}

func TestCLIBadWhitelistFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.yaml")
	os.WriteFile(path, []byte("sites:\n  - host: a.example\n    delay: fast\n"), 0o644)
	e := env{"NEWSLINE_DATABASE_URL": testenv.MigratedDatabaseURL(t), "NEWSLINE_REDIS_URL": testenv.RedisURL(t), "NEWSLINE_SITES": path,
		"NEWSLINE_LOG_LEVEL": "error", "NEWSLINE_HTTP_ADDR": freeAddr(t)}
	code, out := run(t, e, "scheduler")
	if code != 1 || !strings.Contains(out, path+`:3: site "a.example": field delay`) {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestCLICrawlOneSite(t *testing.T) {
	t.Parallel()
	site, _, sitesFile := setup(t, 30, "0s")
	e := env{"NEWSLINE_DATABASE_URL": testenv.MigratedDatabaseURL(t), "NEWSLINE_SITES": sitesFile, "NEWSLINE_LOG_LEVEL": "error",
		"NEWSLINE_REDIS_URL": testenv.RedisURL(t)}
	if code, out := run(t, e, "migrate", "up"); code != 0 {
		t.Fatal(out)
	}
	if code, out := run(t, e, "sites", "add", site.Host, "--feed", site.URL+"/feed.xml", "--start", site.URL+"/"); code != 0 {
		t.Fatal(out)
	}
	// sites add cannot grant private access; the whitelist file can.
	code, out := run(t, e, "crawl", site.Host)
	if code != 1 || !strings.Contains(out, "ssrf_blocked") {
		t.Fatalf("crawl of a loopback site without allow_private: exit %d\n%s", code, out)
	}
	runInProcess(t, e, "scheduler") // syncs the whitelist file, which allows it
	time.Sleep(time.Second)
	code, out = run(t, e, "crawl", site.Host)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"fetching [", "new articles", "not stored: robots", "took"} {
		if !strings.Contains(out, want) {
			t.Errorf("crawl output lacks %q:\n%s", want, out)
		}
	}
	code, out = run(t, e, "crawl", site.Host)
	if code != 0 || !strings.Contains(out, "0 to fetch") || !strings.Contains(out, "feeds/sitemaps unchanged (304)") {
		t.Errorf("second crawl should fetch nothing and get 304s: exit %d\n%s", code, out)
	}
}
