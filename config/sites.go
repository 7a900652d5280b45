package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/newsline/newsline"
)

//go:embed sites.default.yaml
var defaultSites []byte

// Site defaults, applied where a whitelist entry leaves a field out.
const (
	DefaultSchedule = "*/30 * * * *"
	DefaultDelay    = 2 * time.Second
	DefaultMaxPages = 200
	DefaultMaxDepth = 3
	DefaultMaxConc  = 2
)

// DefaultRefetchAfter are the ages at which an article is fetched again.
func DefaultRefetchAfter() []time.Duration { return []time.Duration{time.Hour, 24 * time.Hour} }

type sitesFile struct {
	Sites []siteEntry `yaml:"sites"`
}

type siteEntry struct {
	Host         string   `yaml:"host"`
	Name         string   `yaml:"name"`
	StartURLs    []string `yaml:"start_urls"`
	Feeds        []string `yaml:"feeds"`
	ExtraHosts   []string `yaml:"extra_hosts"`
	Schedule     string   `yaml:"schedule"`
	Delay        string   `yaml:"delay"`
	MaxPages     *int     `yaml:"max_pages"`
	Enabled      *bool    `yaml:"enabled"`
	AllowPrivate bool     `yaml:"allow_private"`
	Include      []string `yaml:"include"`
	Exclude      []string `yaml:"exclude"`
	MaxDepth     *int     `yaml:"max_depth"`
	FollowLinks  bool     `yaml:"follow_article_links"`
	MaxConc      *int     `yaml:"max_concurrency"`
	RefetchAfter []string `yaml:"refetch_after"`
	Languages    []string `yaml:"languages"`
}

// FieldError is a problem with one field of a whitelist file, located by
// file and line so an operator can go straight to it.
type FieldError struct {
	File  string
	Line  int
	Site  string // host of the entry, when known
	Field string
	Err   error
}

func (e *FieldError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	if e.Site != "" {
		fmt.Fprintf(&b, "site %q: ", e.Site)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", e.Field)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

// LoadSites reads the whitelist from path, or the embedded default whitelist
// when path is empty.
func LoadSites(path string) ([]newsline.Site, error) {
	if path == "" {
		return ParseSites("sites.default.yaml", defaultSites)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: read whitelist: %w", err)
	}
	return ParseSites(path, data)
}

// ParseSites parses and validates a whitelist. name is used in errors.
func ParseSites(name string, data []byte) ([]newsline.Site, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	// A strict decode first: unknown fields and wrong types are reported
	// with their line by yaml itself.
	var f sitesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &FieldError{File: name, Line: 1, Err: errors.New("file is empty; want a top-level sites: list")}
		}
		return nil, yamlError(name, err)
	}
	// A second document would be ignored by the decode above; an empty
	// one (a trailing ---) holds nothing to lose.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(name, err)
	case len(next.Content) > 0 && next.Content[0].Tag != "!!null":
		return nil, &FieldError{File: name, Line: next.Line,
			Err: errors.New("a second YAML document starts here; a whitelist is one document with one sites: list")}
	}
	entries := siteNodes(&root)
	if len(f.Sites) == 0 {
		return nil, &FieldError{File: name, Line: 1, Field: "sites", Err: errors.New("no sites listed")}
	}
	seen := map[string]int{}
	sites := make([]newsline.Site, 0, len(f.Sites))
	for i, e := range f.Sites {
		var node *yaml.Node
		if i < len(entries) {
			node = entries[i]
		}
		s, err := e.site()
		if err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				fe.File = name
				fe.Line = fieldLine(node, fe.Field)
				fe.Site = e.Host
				return nil, fe
			}
			return nil, err
		}
		if line, dup := seen[s.Host]; dup {
			return nil, &FieldError{File: name, Line: fieldLine(node, "host"), Site: s.Host, Field: "host",
				Err: fmt.Errorf("listed twice (first at line %d)", line)}
		}
		seen[s.Host] = fieldLine(node, "host")
		sites = append(sites, s)
	}
	return sites, nil
}

func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	msg = strings.ReplaceAll(msg, " in type config.siteEntry", "")
	msg = strings.ReplaceAll(msg, " in type config.sitesFile", "")
	if strings.HasPrefix(msg, "line ") {
		return fmt.Errorf("%s:%s", name, strings.TrimPrefix(msg, "line "))
	}
	return fmt.Errorf("%s: %s", name, msg)
}

// siteNodes returns the mapping node of every entry under sites:.
func siteNodes(root *yaml.Node) []*yaml.Node {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "sites" && doc.Content[i+1].Kind == yaml.SequenceNode {
			return doc.Content[i+1].Content
		}
	}
	return nil
}

// fieldLine returns the line of key in mapping node n, or of n itself.
func fieldLine(n *yaml.Node, key string) int {
	if n == nil {
		return 1
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

func invalid(field string, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// site validates the entry and returns the site it describes, its
// defaults filled in; the first field found wrong is the error.
func (e siteEntry) site() (newsline.Site, error) {
	s, err := e.identity()
	if err != nil {
		return s, err
	}
	if err := e.pace(&s); err != nil {
		return s, err
	}
	if err := e.selection(&s); err != nil {
		return s, err
	}
	if s.Languages, err = checkLanguages(e.Languages); err != nil {
		return s, err
	}
	return s, nil
}

// checkLanguages validates a site's languages: lower-case ISO 639-1 codes
// of languages Newsline knows (newsline.KnownLanguage), each once.
func checkLanguages(codes []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		code := strings.TrimSpace(c)
		if !newsline.KnownLanguage(code) {
			return nil, invalid("languages", "want lower-case ISO 639-1 codes such as en or de, got %q (known: %s)",
				c, strings.Join(newsline.KnownLanguages(), " "))
		}
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out, nil
}

// identity reads what names the site and where its crawls start; the
// other fields get their defaults.
func (e siteEntry) identity() (newsline.Site, error) {
	s := newsline.Site{
		Host:         strings.ToLower(strings.TrimSpace(e.Host)),
		Name:         strings.TrimSpace(e.Name),
		Schedule:     e.Schedule,
		Delay:        DefaultDelay,
		MaxPages:     DefaultMaxPages,
		Enabled:      true,
		AllowPrivate: e.AllowPrivate,
	}
	if s.Host == "" {
		return s, invalid("host", "required")
	}
	if strings.ContainsAny(s.Host, "/ ?#@") {
		return s, invalid("host", "want a bare host name such as www.example.com, got %q", e.Host)
	}
	if s.Name == "" {
		s.Name = s.Host
	}
	for _, h := range e.ExtraHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" || strings.ContainsAny(h, "/ ?#@") {
			return s, invalid("extra_hosts", "want bare host names, got %q", h)
		}
		s.ExtraHosts = append(s.ExtraHosts, h)
	}
	var err error
	if s.StartURLs, err = checkURLs(s, "start_urls", e.StartURLs); err != nil {
		return s, err
	}
	if s.Feeds, err = checkURLs(s, "feeds", e.Feeds); err != nil {
		return s, err
	}
	if len(s.StartURLs) == 0 && len(s.Feeds) == 0 {
		s.StartURLs = []string{"https://" + s.Host + "/"}
	}
	return s, nil
}

// pace reads how often and how hard the site is crawled: its schedule,
// delay, page, depth and concurrency limits, and whether it is enabled.
func (e siteEntry) pace(s *newsline.Site) error {
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	}
	minInterval := MinInterval
	if s.AllowPrivate {
		minInterval = MinPrivateInterval
	}
	if err := validateSchedule(s.Schedule, minInterval); err != nil {
		return invalid("schedule", "%v", err)
	}
	if e.Delay != "" {
		d, err := time.ParseDuration(e.Delay)
		if err != nil || d < 0 {
			return invalid("delay", "want a duration such as 2s or 500ms, got %q", e.Delay)
		}
		s.Delay = d
	}
	if e.MaxPages != nil {
		if *e.MaxPages < 1 || *e.MaxPages > 100000 {
			return invalid("max_pages", "want 1..100000, got %d", *e.MaxPages)
		}
		s.MaxPages = *e.MaxPages
	}
	if e.Enabled != nil {
		s.Enabled = *e.Enabled
	}
	s.MaxDepth, s.MaxConcurrency = DefaultMaxDepth, DefaultMaxConc
	if e.MaxDepth != nil {
		if *e.MaxDepth < 1 || *e.MaxDepth > 10 {
			return invalid("max_depth", "want 1..10, got %d", *e.MaxDepth)
		}
		s.MaxDepth = *e.MaxDepth
	}
	if e.MaxConc != nil {
		if *e.MaxConc < 1 || *e.MaxConc > 64 {
			return invalid("max_concurrency", "want 1..64, got %d", *e.MaxConc)
		}
		s.MaxConcurrency = *e.MaxConc
	}
	return nil
}

// selection reads which pages the site's crawls keep, and when its
// articles are fetched again.
func (e siteEntry) selection(s *newsline.Site) error {
	if e.FollowLinks && len(e.StartURLs) == 0 && len(e.Feeds) > 0 {
		return invalid("follow_article_links", "discovery reads pages only from start_urls, and this site has none")
	}
	s.FollowArticleLinks = e.FollowLinks
	for _, p := range e.Include {
		if _, err := regexp.Compile(p); err != nil {
			return invalid("include", "bad regular expression %q: %v", p, err)
		}
	}
	for _, p := range e.Exclude {
		if _, err := regexp.Compile(p); err != nil {
			return invalid("exclude", "bad regular expression %q: %v", p, err)
		}
	}
	s.Include, s.Exclude = e.Include, e.Exclude
	s.RefetchAfter = DefaultRefetchAfter()
	if e.RefetchAfter != nil {
		s.RefetchAfter = []time.Duration{} // an explicit empty list: never re-fetch
		var prev time.Duration
		for _, r := range e.RefetchAfter {
			d, err := time.ParseDuration(r)
			if err != nil || d < time.Minute || d <= prev {
				return invalid("refetch_after", "want increasing durations of at least 1m such as [1h, 24h], got %q", r)
			}
			s.RefetchAfter = append(s.RefetchAfter, d)
			prev = d
		}
	}
	return nil
}

// checkURLs validates absolute http(s) URLs on one of the site's hosts.
func checkURLs(s newsline.Site, field string, raw []string) ([]string, error) {
	var out []string
	for _, r := range raw {
		u, err := url.Parse(strings.TrimSpace(r))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, invalid(field, "want an absolute http(s) URL, got %q", r)
		}
		if !s.AllowsHost(strings.ToLower(u.Host)) {
			return nil, invalid(field, "%q is not on host %s or extra_hosts", r, s.Host)
		}
		out = append(out, u.String())
	}
	return out, nil
}
