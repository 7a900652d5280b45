// Package config is Newsline's one configuration: every setting with its
// environment variable, flag, default and help text in one table, read once
// in cmd and passed down explicitly.
package config

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/logctx"
)

// Config holds every process-wide setting.
type Config struct {
	DatabaseURL     string
	RedisURL        string
	HTTPAddr        string
	PublicURL       string // see BaseURL
	SitesFile       string
	Concurrency     int
	UserAgent       string
	LogFormat       string
	LogLevel        slog.Level
	DataDir         string
	ShutdownTimeout time.Duration
	RequestTimeout  time.Duration
	MaxBodyBytes    int
	SchedulerSync   time.Duration
	// MetricsAddr is where every role serves /healthz and /readyz (and
	// later /metrics); empty turns the listener off. See ops.go.
	MetricsAddr string
	// Signup is "open" (anyone may create an account), "closed" (accounts
	// come from the CLI) or "" (open under `newsline dev`, else closed);
	// see SignupOpen.
	Signup string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed.
	TrustedProxies []netip.Prefix
	// Speech configures text-to-speech (NEWSLINE_TTS_…); see speech.go.
	Speech audio.Options
	// Podcast configures episodes and the podcast feed; see podcast.go.
	Podcast Podcast
	// Replica is the read replica of the HTTP server; see replica.go.
	Replica Replica
}

// option is one row of the settings table.
type option struct {
	name  string // flag name; the environment variable is NEWSLINE_ + upper snake case
	def   string
	usage string
	// secretURL marks a URL that may carry a password: --help, messages
	// and logs show it through RedactURL.
	secretURL bool
	set       func(c *Config, v string) error
	get       func(c *Config) string
}

// EnvName returns the environment variable for a flag name.
func EnvName(flag string) string {
	return "NEWSLINE_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

func options() []option {
	opts := append(coreOptions(), opsOptions()...)
	opts = append(opts, replicaOptions()...)
	opts = append(opts, accountOptions()...)
	opts = append(opts, speechOptions()...)
	opts = append(opts, podcastOptions()...)
	return append(opts, podcastChannelOptions()...)
}

func coreOptions() []option {
	return []option{
		{name: "database-url", def: "", usage: "PostgreSQL URL; 'newsline dev' starts a private server when empty", secretURL: true,
			set: func(c *Config, v string) error { return setSecretURL(&c.DatabaseURL, v) },
			get: func(c *Config) string { return c.DatabaseURL }},
		{name: "redis-url", def: "", usage: "Redis URL for the job queues; 'newsline dev' starts a private server when empty", secretURL: true,
			set: func(c *Config, v string) error { return setSecretURL(&c.RedisURL, v) },
			get: func(c *Config) string { return c.RedisURL }},
		{name: "http-addr", def: "127.0.0.1:8080", usage: "address the HTTP server listens on",
			set: func(c *Config, v string) error {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("want host:port: %w", err)
				}
				c.HTTPAddr = v
				return nil
			},
			get: func(c *Config) string { return c.HTTPAddr }},
		{name: "public-url", def: "", usage: "absolute URL readers reach the server at (behind a reverse proxy, its public address); feeds and links use it; http://HTTP-ADDR when empty",
			set: func(c *Config, v string) error {
				if v == "" {
					c.PublicURL = ""
					return nil
				}
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
					return fmt.Errorf("want an absolute http(s) URL without query, e.g. https://news.example.org, got %q", v)
				}
				c.PublicURL = strings.TrimRight(u.String(), "/")
				return nil
			},
			get: func(c *Config) string { return c.PublicURL }},
		{name: "sites", def: "", usage: "site whitelist YAML file; the embedded default whitelist when empty",
			set: func(c *Config, v string) error { c.SitesFile = v; return nil },
			get: func(c *Config) string { return c.SitesFile }},
		{name: "concurrency", def: "8", usage: "number of jobs a worker runs at once",
			set: func(c *Config, v string) error { return setInt(&c.Concurrency, v, 1, 1024) },
			get: func(c *Config) string { return strconv.Itoa(c.Concurrency) }},
		{name: "user-agent", def: crawler.DefaultUserAgent, usage: "User-Agent sent by the crawler; include a contact URL",
			set: func(c *Config, v string) error {
				if strings.TrimSpace(v) == "" {
					return fmt.Errorf("must not be empty")
				}
				c.UserAgent = v
				return nil
			},
			get: func(c *Config) string { return c.UserAgent }},
		{name: "log-format", def: "json", usage: "log format: json or text",
			set: func(c *Config, v string) error {
				if v != "json" && v != "text" {
					return fmt.Errorf("want json or text, got %q", v)
				}
				c.LogFormat = v
				return nil
			},
			get: func(c *Config) string { return c.LogFormat }},
		{name: "log-level", def: "info", usage: "log level: debug, info, warn or error",
			set: func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) },
			get: func(c *Config) string { return strings.ToLower(c.LogLevel.String()) }},
		{name: "data-dir", def: "var", usage: "where 'newsline dev' keeps its private PostgreSQL and Redis data",
			set: func(c *Config, v string) error { c.DataDir = v; return nil },
			get: func(c *Config) string { return c.DataDir }},
		{name: "shutdown-timeout", def: "30s", usage: "how long running jobs and requests get to finish on shutdown",
			set: func(c *Config, v string) error { return setDuration(&c.ShutdownTimeout, v) },
			get: func(c *Config) string { return c.ShutdownTimeout.String() }},
		{name: "request-timeout", def: crawler.DefaultRequestTimeout.String(), usage: "total time limit for one crawler HTTP request",
			set: func(c *Config, v string) error { return setDuration(&c.RequestTimeout, v) },
			get: func(c *Config) string { return c.RequestTimeout.String() }},
		{name: "max-body-bytes", def: strconv.Itoa(crawler.DefaultMaxBodyBytes), usage: "largest response body the crawler reads",
			set: func(c *Config, v string) error { return setInt(&c.MaxBodyBytes, v, 1024, 1<<30) },
			get: func(c *Config) string { return strconv.Itoa(c.MaxBodyBytes) }},
		{name: "scheduler-sync", def: "1m", usage: "how often the scheduler re-reads the sites table",
			set: func(c *Config, v string) error { return setDuration(&c.SchedulerSync, v) },
			get: func(c *Config) string { return c.SchedulerSync.String() }},
	}
}

func setInt(dst *int, v string, lo, hi int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("want a whole number, got %q", v)
	}
	if n < lo || n > hi {
		return fmt.Errorf("want %d..%d, got %d", lo, hi, n)
	}
	*dst = n
	return nil
}

func setDuration(dst *time.Duration, v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("want a duration such as 30s or 2m, got %q", v)
	}
	if d <= 0 {
		return fmt.Errorf("must be positive, got %s", v)
	}
	*dst = d
	return nil
}

// Load returns the defaults overridden by the environment (lookup is
// os.LookupEnv in production, a map in tests).
func Load(lookup func(string) (string, bool)) (*Config, error) {
	c := &Config{}
	for _, o := range options() {
		if err := o.set(c, o.def); err != nil {
			return nil, fmt.Errorf("config: default of %s: %w", o.name, err)
		}
		if v, ok := lookup(EnvName(o.name)); ok {
			if err := o.set(c, v); err != nil {
				return nil, fmt.Errorf("config: %s: %w", EnvName(o.name), err)
			}
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// Validate checks the rules that span settings; call it again after
// flags have changed them.
func (c *Config) Validate() error {
	return c.validateSpeech()
}

// Bind registers every setting as a flag on fs whose default is c's current
// value, so a flag given on the command line overrides the environment.
func (c *Config) Bind(fs *pflag.FlagSet) {
	for _, o := range options() {
		fs.Var(&flagValue{c: c, o: o}, o.name, fmt.Sprintf("%s (env %s)", o.usage, EnvName(o.name)))
	}
}

// Table returns every setting as name, environment variable, default and
// help, for documentation.
func Table() [][4]string {
	var rows [][4]string
	for _, o := range options() {
		rows = append(rows, [4]string{o.name, EnvName(o.name), o.def, o.usage})
	}
	return rows
}

type flagValue struct {
	c *Config
	o option
}

// String is the value as --help shows it for a default, with the
// password of a secret URL hidden.
func (f *flagValue) String() string {
	if f.c == nil {
		return ""
	}
	if f.o.secretURL {
		return RedactURL(f.o.get(f.c))
	}
	return f.o.get(f.c)
}
func (f *flagValue) Set(v string) error { return f.o.set(f.c, v) }

// Type names the value's kind in --help, inferred from its default.
func (f *flagValue) Type() string {
	if f.o.secretURL {
		return "url"
	}
	if _, err := strconv.Atoi(f.o.def); err == nil {
		return "int"
	}
	if _, err := time.ParseDuration(f.o.def); err == nil {
		return "duration"
	}
	return "string"
}

// BaseURL is the absolute URL, without a trailing slash, that feeds and
// pages link to: the configured public URL, else the listen address (an
// unspecified host read as localhost).
func (c *Config) BaseURL() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return "http://" + c.HTTPAddr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Logger builds the process logger from the settings, writing to w. It
// hides the password of any URL a message or attribute holds, whoever
// logs it, and adds the attributes a context carries (internal/logctx:
// task id, site, request id) to each line logged with it.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel, ReplaceAttr: redactAttr}
	if c.LogFormat == "text" {
		return slog.New(logctx.Handler(slog.NewTextHandler(w, opts)))
	}
	return slog.New(logctx.Handler(slog.NewJSONHandler(w, opts)))
}
