package config

import (
	"github.com/spf13/pflag"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoadEnvAndFlags(t *testing.T) {
	env := map[string]string{"NEWSLINE_CONCURRENCY": "3", "NEWSLINE_HTTP_ADDR": "127.0.0.1:9999"}
	c, err := Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.Concurrency != 3 || c.HTTPAddr != "127.0.0.1:9999" || c.RequestTimeout != 30*time.Second {
		t.Fatalf("env not applied: %+v", c)
	}
	fs := newFlagSet()
	c.Bind(fs)
	if err := fs.Parse([]string{"--concurrency", "5"}); err != nil {
		t.Fatal(err)
	}
	if c.Concurrency != 5 {
		t.Fatalf("flag did not override env: %d", c.Concurrency)
	}
}

func TestLoadRejectsBadEnv(t *testing.T) {
	tests := []struct{ key, val, want string }{
		{"NEWSLINE_CONCURRENCY", "many", "NEWSLINE_CONCURRENCY: want a whole number"},
		{"NEWSLINE_CONCURRENCY", "0", "want 1..1024"},
		{"NEWSLINE_HTTP_ADDR", "8080", "NEWSLINE_HTTP_ADDR: want host:port"},
		{"NEWSLINE_LOG_FORMAT", "xml", "want json or text"},
		{"NEWSLINE_SHUTDOWN_TIMEOUT", "soon", "want a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.val, func(t *testing.T) {
			_, err := Load(func(k string) (string, bool) {
				if k == tt.key {
					return tt.val, true
				}
				return "", false
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestDefaultSitesParse(t *testing.T) {
	sites, err := LoadSites("")
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) < 3 {
		t.Fatalf("default whitelist has %d sites", len(sites))
	}
	for _, s := range sites {
		if len(s.Feeds) == 0 || !s.Enabled || s.AllowPrivate {
			t.Errorf("default site %s: want a feed, enabled, no private access: %+v", s.Host, s)
		}
	}
}

func TestParseSites(t *testing.T) {
	good := `sites:
  - host: News.Example.com
    feeds: [https://news.example.com/rss]
    delay: 1500ms
    max_pages: 10
    enabled: false
  - host: other.example
    follow_article_links: true
`
	sites, err := ParseSites("good.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if s := sites[0]; s.Host != "news.example.com" || s.Delay != 1500*time.Millisecond || s.MaxPages != 10 || s.Enabled || s.Schedule != DefaultSchedule {
		t.Fatalf("first site: %+v", s)
	}
	if s := sites[0]; s.FollowArticleLinks {
		t.Fatalf("first site follows article links by default")
	}
	if s := sites[1]; len(s.StartURLs) != 1 || s.StartURLs[0] != "https://other.example/" || !s.Enabled || !s.FollowArticleLinks {
		t.Fatalf("second site defaults: %+v", s)
	}
}

func TestParseSitesErrorsNameFileLineField(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", "sites:\n  - host: a.example\n    shedule: '* * * * *'\n", "bad.yaml:3: field shedule not found"},
		{"bad cron", "sites:\n  - host: a.example\n    schedule: 'every day'\n", `bad.yaml:3: site "a.example": field schedule: invalid cron expression`},
		{"bad delay", "sites:\n  - host: a.example\n\n    delay: fast\n", `bad.yaml:4: site "a.example": field delay: want a duration`},
		{"missing host", "sites:\n  - name: A\n", "bad.yaml:2: field host: required"},
		{"feed off host", "sites:\n  - host: a.example\n    feeds: [https://b.example/rss]\n", `bad.yaml:3: site "a.example": field feeds: "https://b.example/rss" is not on host a.example`},
		{"relative url", "sites:\n  - host: a.example\n    start_urls: [/news]\n", "field start_urls: want an absolute http(s) URL"},
		{"wrong type", "sites:\n  - host: a.example\n    max_pages: lots\n", "bad.yaml:3: cannot unmarshal"},
		{"max pages range", "sites:\n  - host: a.example\n    max_pages: 0\n", "field max_pages: want 1..100000"},
		{"duplicate", "sites:\n  - host: a.example\n  - host: A.example\n", `bad.yaml:3: site "a.example": field host: listed twice (first at line 2)`},
		{"empty", "", "bad.yaml:1: file is empty"},
		{"no sites", "sites: []\n", "no sites listed"},
		{"syntax", "sites:\n  - host: [\n", "bad.yaml:"},
		{"bad include", "sites:\n  - host: a.example\n    include: ['(']\n", `bad.yaml:3: site "a.example": field include: bad regular expression`},
		{"refetch order", "sites:\n  - host: a.example\n    refetch_after: [24h, 1h]\n", "field refetch_after: want increasing durations"},
		{"follow type", "sites:\n  - host: a.example\n\n    follow_article_links: sometimes\n", "bad.yaml:4: cannot unmarshal !!str `sometimes` into bool"},
		{"follow without pages", "sites:\n  - host: a.example\n    feeds: [https://a.example/rss]\n    follow_article_links: true\n",
			`bad.yaml:4: site "a.example": field follow_article_links: discovery reads pages only from start_urls`},
		{"concurrency", "sites:\n  - host: a.example\n    max_concurrency: 0\n", "field max_concurrency: want 1..64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSites("bad.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant error containing %q", err, tt.want)
			}
		})
	}
}

func newFlagSet() *pflag.FlagSet { return pflag.NewFlagSet("newsline", pflag.ContinueOnError) }

// TestREADMEListsEverySetting keeps the configuration reference in the
// README true to the settings table.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range Table() {
		if !strings.Contains(string(readme), "`"+row[1]+"`") || !strings.Contains(string(readme), "`--"+row[0]+"`") {
			t.Errorf("README's configuration table lacks %s (--%s)", row[1], row[0])
		}
	}
}

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct{ addr, public, want, err string }{
		{addr: "127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{addr: ":8080", want: "http://localhost:8080"},
		{addr: "0.0.0.0:80", want: "http://localhost:80"},
		{addr: "[::]:8080", want: "http://localhost:8080"},
		{addr: "[::1]:8080", want: "http://[::1]:8080"},
		{addr: "127.0.0.1:8080", public: "https://news.example.org/", want: "https://news.example.org"},
		{addr: "127.0.0.1:8080", public: "https://example.org/newsline", want: "https://example.org/newsline"},
		{addr: "127.0.0.1:8080", public: "news.example.org", err: "want an absolute http(s) URL"},
		{addr: "127.0.0.1:8080", public: "ftp://news.example.org", err: "want an absolute http(s) URL"},
		{addr: "127.0.0.1:8080", public: "https://x.org/?a=1", err: "want an absolute http(s) URL"},
	} {
		env := map[string]string{"NEWSLINE_HTTP_ADDR": tc.addr, "NEWSLINE_PUBLIC_URL": tc.public}
		c, err := Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: got %v, want error %q", tc, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if got := c.BaseURL(); got != tc.want {
			t.Errorf("%+v: BaseURL() = %q, want %q", tc, got, tc.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"postgres://u:s3cr3t@db.example:5432/newsline?sslmode=disable", "postgres://u:xxxxx@db.example:5432/newsline?sslmode=disable"},
		{"postgres://u@db.example/newsline", "postgres://u@db.example/newsline"},
		{"postgres://u@db.example/newsline?password=s3cr3t&sslmode=require", "postgres://u@db.example/newsline?password=xxxxx&sslmode=require"},
		{"postgres://u:p@db.example/n?sslpassword=s3cr3t", "postgres://u:xxxxx@db.example/n?sslpassword=xxxxx"},
		{"redis://:s3cr3t@127.0.0.1:6379/0", "redis://:xxxxx@127.0.0.1:6379/0"},
		{"redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"},
		{"redis://:s3cr%zzt@host:6379/0", "redis://xxxxx@host:6379/0"},
		{"host=db user=u password=s3cr3t dbname=n", "host=db user=u password=xxxxx dbname=n"},
		{"host=db password = 's3 cr\\'3t' dbname=n", "host=db password = xxxxx dbname=n"},
		{"host=db PASSWORD=s3cr3t", "host=db PASSWORD=xxxxx"},
	} {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSecretURLs checks that a URL setting's password is never shown:
// not as a flag's default in --help, nor in the error about a bad value.
func TestSecretURLs(t *testing.T) {
	env := map[string]string{
		"NEWSLINE_DATABASE_URL": "postgres://u:s3cr3t-pw@127.0.0.1:1/db",
		"NEWSLINE_REDIS_URL":    "redis://:s3cr3t-pw@127.0.0.1:1/0",
	}
	c, err := Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != env["NEWSLINE_DATABASE_URL"] || c.RedisURL != env["NEWSLINE_REDIS_URL"] {
		t.Fatalf("the URLs themselves must keep the password: %q, %q", c.DatabaseURL, c.RedisURL)
	}
	fs := newFlagSet()
	c.Bind(fs)
	usage := fs.FlagUsages()
	if strings.Contains(usage, "s3cr3t") || !strings.Contains(usage, "postgres://u:xxxxx@127.0.0.1:1/db") ||
		!strings.Contains(usage, "redis://:xxxxx@127.0.0.1:1/0") {
		t.Errorf("--help:\n%s", usage)
	}
	for _, bad := range []string{"redis://:s3cr3t-pw@127.0.0.1:x/0", "postgres://u:s3cr3t%zz@127.0.0.1/db", "postgres://u:s3cr3t-pw@[::1/db"} {
		_, err := Load(func(k string) (string, bool) {
			if k == "NEWSLINE_DATABASE_URL" {
				return bad, true
			}
			return "", false
		})
		if err == nil || strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "NEWSLINE_DATABASE_URL: not a valid URL") {
			t.Errorf("%s: %v", bad, err)
		}
		// pflag quotes a rejected value; the CLI passes its errors through
		// RedactText.
		if err := fs.Parse([]string{"--redis-url", bad}); err == nil || strings.Contains(RedactText(err.Error()), "s3cr3t") {
			t.Errorf("--redis-url %s: %v", bad, err)
		}
	}
}

func TestRedactText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`invalid argument "redis://:s3cr3t@127.0.0.1:x/0" for "--redis-url" flag`, `invalid argument "redis://xxxxx@127.0.0.1:x/0" for "--redis-url" flag`},
		{`parse "postgres://u:s3\"cr@3t@h/db": bad`, `parse "postgres://xxxxx@h/db": bad`},
		{`connect to postgres://u:s3cr3t@h/db and redis://h:6379 failed`, `connect to postgres://xxxxx@h/db and redis://h:6379 failed`},
		{`cannot parse host=h password=s3cr3t`, `cannot parse host=h password=xxxxx`},
		{`no password here: http://example.com/a?b=c`, `no password here: http://example.com/a?b=c`},
	} {
		if got := RedactText(tt.in); got != tt.want {
			t.Errorf("RedactText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateSchedule(t *testing.T) {
	for _, tt := range []struct {
		spec, err string // err "" means valid
	}{
		{"@every 1m", ""},
		{"@every 15m", ""},
		{"@every 1h30m", ""},
		{"@hourly", ""},
		{"@daily", ""},
		{"* * * * *", ""}, // every minute: the finest five fields go
		{"*/30 * * * *", ""},
		{"0 6 * * 1-5", ""},
		{"CRON_TZ=Europe/Berlin 0 6 * * *", ""},
		{"0 0 29 2 *", ""}, // once every four years
		{"@every 1ms", "crawls more often than every 1m0s"},
		{"@every 0s", "crawls more often than every 1m0s"},
		{"@every -1m", "crawls more often than every 1m0s"},
		{"@every 59.9s", "crawls more often than every 1m0s"},
		{"@every soon", "invalid cron expression"},
		{"* * * * * *", "invalid cron expression"}, // no seconds field
		{"0 0 30 2 *", "never runs"},
		{"every day", "invalid cron expression"},
	} {
		err := ValidateSchedule(tt.spec)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ValidateSchedule(%q) = %v, want %q", tt.spec, err, tt.err)
		}
	}
}

// TestParseSitesRefuses covers the whitelist files issue 11 found
// accepted: a schedule that crawls continuously, and a second document.
func TestParseSitesRefuses(t *testing.T) {
	for _, tt := range []struct{ name, yaml, want string }{
		{"every millisecond", "sites:\n  - host: a.example\n    schedule: '@every 1ms'\n",
			`bad.yaml:3: site "a.example": field schedule: schedule "@every 1ms" crawls more often than every 1m0s`},
		{"every 30 seconds", "sites:\n  - host: a.example\n  - host: b.example\n    schedule: '@every 30s'\n",
			`bad.yaml:4: site "b.example": field schedule`},
		{"every millisecond, private", "sites:\n  - host: a.example\n    allow_private: true\n    schedule: '@every 1ms'\n",
			`bad.yaml:4: site "a.example": field schedule: schedule "@every 1ms" crawls more often than every 1s`},
		{"second document", "sites:\n  - host: a.example\n---\nsites:\n  - host: b.example\n",
			"bad.yaml:3: a second YAML document starts here"},
		{"second document, first marked", "---\nsites:\n  - host: a.example\n\n---\nsites: []\n",
			"bad.yaml:5: a second YAML document"},
		{"second document broken", "sites:\n  - host: a.example\n---\nsites: [\n", "bad.yaml:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSites("bad.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant error containing %q", err, tt.want)
			}
		})
	}
	// A private site (a test's own server) may be crawled every second.
	if sites, err := ParseSites("ok.yaml", []byte("sites:\n  - host: 127.0.0.1:8090\n    allow_private: true\n    schedule: '@every 2s'\n")); err != nil || sites[0].Schedule != "@every 2s" {
		t.Errorf("private site every 2s: %v, %v", sites, err)
	}
	// An empty document after the whitelist holds nothing to lose.
	for _, ok := range []string{"sites:\n  - host: a.example\n---\n", "---\nsites:\n  - host: a.example\n...\n", "sites:\n  - host: a.example\n---\n# done\n"} {
		if sites, err := ParseSites("ok.yaml", []byte(ok)); err != nil || len(sites) != 1 {
			t.Errorf("%q: %v, %v", ok, sites, err)
		}
	}
}
