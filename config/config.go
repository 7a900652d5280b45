// Package config is Newsline's one configuration: every setting with its
// environment variable, flag, default and help text in one table, read once
// in cmd and passed down explicitly.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/newsline/newsline/audio"
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
	return append(append(append(coreOptions(), speechOptions()...), podcastOptions()...), podcastChannelOptions()...)
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
		{name: "user-agent", def: "NewslineBot/0.1 (+https://github.com/newsline/newsline)", usage: "User-Agent sent by the crawler; include a contact URL",
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
		{name: "request-timeout", def: "30s", usage: "total time limit for one crawler HTTP request",
			set: func(c *Config, v string) error { return setDuration(&c.RequestTimeout, v) },
			get: func(c *Config) string { return c.RequestTimeout.String() }},
		{name: "max-body-bytes", def: "5242880", usage: "largest response body the crawler reads",
			set: func(c *Config, v string) error { return setInt(&c.MaxBodyBytes, v, 1024, 1<<30) },
			get: func(c *Config) string { return strconv.Itoa(c.MaxBodyBytes) }},
		{name: "scheduler-sync", def: "1m", usage: "how often the scheduler re-reads the sites table",
			set: func(c *Config, v string) error { return setDuration(&c.SchedulerSync, v) },
			get: func(c *Config) string { return c.SchedulerSync.String() }},
		{name: "signup", def: "", usage: "who may create an account: open (anyone, POST /api/v1/users) or closed (the operator, 'newsline users add'); empty is open under 'newsline dev', closed otherwise",
			set: func(c *Config, v string) error {
				if v != "" && v != "open" && v != "closed" {
					return fmt.Errorf("want open or closed, got %q", v)
				}
				c.Signup = v
				return nil
			},
			get: func(c *Config) string { return c.Signup }},
		{name: "trusted-proxies", def: "", usage: "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, e.g. 127.0.0.1,10.0.0.0/8",
			set: func(c *Config, v string) error { return setPrefixes(&c.TrustedProxies, v) },
			get: func(c *Config) string {
				var out []string
				for _, p := range c.TrustedProxies {
					out = append(out, p.String())
				}
				return strings.Join(out, ",")
			}},
	}
}

// SignupOpen reports whether anyone may create an account; dev says the
// process is `newsline dev`, where sign-up is open unless configured.
func (c *Config) SignupOpen(dev bool) bool {
	if c.Signup == "" {
		return dev
	}
	return c.Signup == "open"
}

// setPrefixes reads a comma-separated list of addresses (a /32 or /128)
// and CIDR prefixes.
func setPrefixes(dst *[]netip.Prefix, v string) error {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if ip, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return fmt.Errorf("want addresses or CIDR prefixes such as 127.0.0.1,10.0.0.0/8, got %q", f)
		}
		out = append(out, p.Masked())
	}
	*dst = out
	return nil
}

// setSecretURL checks a URL that may hold a password. net/url's errors
// quote the whole URL, so the error says what is wrong without it; a
// PostgreSQL keyword/value string ("host=… password=…") is left to pgx,
// which hides its password itself.
func setSecretURL(dst *string, v string) error {
	if strings.Contains(v, "://") {
		if _, err := url.Parse(v); err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return fmt.Errorf("not a valid URL (%s); the value is not shown, as it may hold a password", hideEscapes(err.Error()))
		}
	}
	*dst = v
	return nil
}

// hideEscapes drops what url.Parse quotes of a bad %-escape, which may be
// a piece of a password ("invalid URL escape "%zz"").
func hideEscapes(msg string) string {
	if i := strings.Index(msg, "invalid URL escape"); i >= 0 {
		return msg[:i] + "invalid URL escape (a % not followed by two hex digits)"
	}
	return msg
}

// RedactURL returns s, a URL or a PostgreSQL keyword/value string, with
// any password replaced by xxxxx: in the user information, and in a
// password or sslpassword parameter.
func RedactURL(s string) string {
	if u, err := url.Parse(s); err == nil && strings.Contains(s, "://") {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), redacted)
		}
		q, hidden := u.Query(), false
		for k := range q {
			if strings.Contains(strings.ToLower(k), "password") {
				q.Set(k, redacted)
				hidden = true
			}
		}
		if hidden {
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	if i := strings.Index(s, "://"); i >= 0 {
		// Not a URL net/url reads: hide all user information.
		if at := strings.LastIndex(s, "@"); at > i {
			return s[:i+3] + redacted + s[at:]
		}
		return s
	}
	return keywordPassword.ReplaceAllString(s, "${1}"+redacted)
}

// RedactText returns msg with the user information of every URL in it
// replaced by xxxxx, and every keyword/value password hidden: for messages
// that may quote a URL Newsline did not take apart itself (a flag's
// rejected value, an error of a library).
func RedactText(msg string) string {
	msg = userinfo.ReplaceAllString(msg, "${1}"+redacted+"@")
	return keywordPassword.ReplaceAllString(msg, "${1}"+redacted)
}

// userinfo finds a URL's scheme and user information in text: up to the
// last @ before the URL ends at a space or a quote (one escaped by %q
// does not end it).
var userinfo = regexp.MustCompile(`(\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^\s"'<>]|\\")*@`)

// redacted stands for a password that is not shown.
const redacted = "xxxxx"

// keywordPassword finds the value of a password in a PostgreSQL
// keyword/value connection string, quoted or not.
var keywordPassword = regexp.MustCompile(`(?i)(\b\w*password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)`)

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
// logs it.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel, ReplaceAttr: redactAttr}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// redactAttr passes a log record's text through RedactText.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	var text string
	switch a.Value.Kind() {
	case slog.KindString:
		text = a.Value.String()
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case error:
			text = v.Error()
		case fmt.Stringer:
			text = v.String()
		default:
			return a
		}
	default:
		return a
	}
	if r := RedactText(text); r != text {
		return slog.String(a.Key, r)
	}
	return a
}
