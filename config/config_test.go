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
