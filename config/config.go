// Package config is Newsline's one configuration: every setting with its
// environment variable, flag, default and help text in one table, read once
// in cmd and passed down explicitly.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
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
}

// option is one row of the settings table.
type option struct {
	name  string // flag name; the environment variable is NEWSLINE_ + upper snake case
	def   string
	usage string
	set   func(c *Config, v string) error
	get   func(c *Config) string
}

// EnvName returns the environment variable for a flag name.
func EnvName(flag string) string {
	return "NEWSLINE_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

func options() []option {
	return []option{
		{"database-url", "", "PostgreSQL URL; 'newsline dev' starts a private server when empty",
			func(c *Config, v string) error { c.DatabaseURL = v; return nil },
			func(c *Config) string { return c.DatabaseURL }},
		{"redis-url", "", "Redis URL for the job queues; 'newsline dev' starts a private server when empty",
			func(c *Config, v string) error { c.RedisURL = v; return nil },
			func(c *Config) string { return c.RedisURL }},
		{"http-addr", "127.0.0.1:8080", "address the HTTP server listens on",
			func(c *Config, v string) error {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("want host:port: %w", err)
				}
				c.HTTPAddr = v
				return nil
			},
			func(c *Config) string { return c.HTTPAddr }},
		{"public-url", "", "absolute URL readers reach the server at (behind a reverse proxy, its public address); feeds and links use it; http://HTTP-ADDR when empty",
			func(c *Config, v string) error {
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
			func(c *Config) string { return c.PublicURL }},
		{"sites", "", "site whitelist YAML file; the embedded default whitelist when empty",
			func(c *Config, v string) error { c.SitesFile = v; return nil },
			func(c *Config) string { return c.SitesFile }},
		{"concurrency", "8", "number of jobs a worker runs at once",
			func(c *Config, v string) error { return setInt(&c.Concurrency, v, 1, 1024) },
			func(c *Config) string { return strconv.Itoa(c.Concurrency) }},
		{"user-agent", "NewslineBot/0.1 (+https://github.com/newsline/newsline)", "User-Agent sent by the crawler; include a contact URL",
			func(c *Config, v string) error {
				if strings.TrimSpace(v) == "" {
					return fmt.Errorf("must not be empty")
				}
				c.UserAgent = v
				return nil
			},
			func(c *Config) string { return c.UserAgent }},
		{"log-format", "json", "log format: json or text",
			func(c *Config, v string) error {
				if v != "json" && v != "text" {
					return fmt.Errorf("want json or text, got %q", v)
				}
				c.LogFormat = v
				return nil
			},
			func(c *Config) string { return c.LogFormat }},
		{"log-level", "info", "log level: debug, info, warn or error",
			func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) },
			func(c *Config) string { return strings.ToLower(c.LogLevel.String()) }},
		{"data-dir", "var", "where 'newsline dev' keeps its private PostgreSQL and Redis data",
			func(c *Config, v string) error { c.DataDir = v; return nil },
			func(c *Config) string { return c.DataDir }},
		{"shutdown-timeout", "30s", "how long running jobs and requests get to finish on shutdown",
			func(c *Config, v string) error { return setDuration(&c.ShutdownTimeout, v) },
			func(c *Config) string { return c.ShutdownTimeout.String() }},
		{"request-timeout", "30s", "total time limit for one crawler HTTP request",
			func(c *Config, v string) error { return setDuration(&c.RequestTimeout, v) },
			func(c *Config) string { return c.RequestTimeout.String() }},
		{"max-body-bytes", "5242880", "largest response body the crawler reads",
			func(c *Config, v string) error { return setInt(&c.MaxBodyBytes, v, 1024, 1<<30) },
			func(c *Config) string { return strconv.Itoa(c.MaxBodyBytes) }},
		{"scheduler-sync", "1m", "how often the scheduler re-reads the sites table",
			func(c *Config, v string) error { return setDuration(&c.SchedulerSync, v) },
			func(c *Config) string { return c.SchedulerSync.String() }},
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
	return c, nil
}

// FromEnv is Load(os.LookupEnv).
func FromEnv() (*Config, error) { return Load(os.LookupEnv) }

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

func (f *flagValue) String() string {
	if f.c == nil {
		return ""
	}
	return f.o.get(f.c)
}
func (f *flagValue) Set(v string) error { return f.o.set(f.c, v) }

// Type names the value's kind in --help, inferred from its default.
func (f *flagValue) Type() string {
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

// Logger builds the process logger from the settings.
func (c *Config) Logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}
