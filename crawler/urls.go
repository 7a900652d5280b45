package crawler

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/newsline/newsline"
)

// trackingParams are query parameters that name a campaign, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "yclid": true, "_ga": true, "ocid": true, "cmpid": true, "ito": true,
}

// Normalize returns the form of a URL that Newsline stores and compares:
// lower-case scheme and host, no default port, no fragment, no tracking
// parameters, sorted query, and "/" for an empty path.
func Normalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("crawler: bad url %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("crawler: not an http(s) url: %q", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("crawler: url without host: %q", raw)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("crawler: url without host: %q", raw)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	switch {
	case port != "":
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"):
		u.Host = "[" + host + "]" // an IPv6 address keeps its brackets
	default:
		u.Host = host
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			vals := q[k]
			sort.Strings(vals)
			for _, v := range vals {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
			}
		}
		u.RawQuery = b.String()
	}
	u.ForceQuery = false
	return u.String(), nil
}

var (
	datePath   = regexp.MustCompile(`/(19|20)\d\d/(0?[1-9]|1[0-2])(/|$)`)
	longNumber = regexp.MustCompile(`\d{5,}`)
	// indexSegments start paths that list articles rather than hold one.
	indexSegments = map[string]bool{
		"section": true, "sections": true, "tag": true, "tags": true, "topic": true, "topics": true,
		"author": true, "authors": true, "category": true, "categories": true, "page": true,
		"search": true, "about": true, "contact": true, "privacy": true, "terms": true, "login": true,
		"subscribe": true, "newsletters": true, "feed": true, "rss": true,
	}
)

// LooksLikeArticle guesses from its URL alone whether a page holds one
// article (a slug, a date, a long id) rather than a list of them.
func LooksLikeArticle(u *url.URL) bool {
	p := strings.TrimSuffix(u.Path, "/")
	if p == "" {
		return false
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if indexSegments[strings.ToLower(segs[0])] {
		return false
	}
	last := strings.TrimSuffix(strings.TrimSuffix(segs[len(segs)-1], ".html"), ".htm")
	ext := path.Ext(last)
	if ext != "" && ext != ".php" && ext != ".aspx" {
		return false // images, feeds, documents
	}
	if datePath.MatchString(p) || longNumber.MatchString(last) {
		return true
	}
	words := strings.FieldsFunc(last, func(r rune) bool { return r == '-' || r == '_' })
	return len(words) >= 3
}

// nonPageExts name files a feed or sitemap may list that are no web page.
var nonPageExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".avif": true,
	".mp3": true, ".m4a": true, ".ogg": true, ".mp4": true, ".webm": true, ".mov": true,
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".zip": true,
	".xml": true, ".rss": true, ".atom": true, ".json": true, ".gz": true, ".css": true, ".js": true,
}

// Classifier tells article URLs from index pages for one site.
type Classifier struct {
	include, exclude []*regexp.Regexp
}

// NewClassifier compiles a site's include and exclude patterns.
func NewClassifier(site newsline.Site) (*Classifier, error) {
	var c Classifier
	for _, p := range site.Include {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("crawler: include pattern %q: %w", p, err)
		}
		c.include = append(c.include, re)
	}
	for _, p := range site.Exclude {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("crawler: exclude pattern %q: %w", p, err)
		}
		c.exclude = append(c.exclude, re)
	}
	return &c, nil
}

// IsArticle reports whether u, a link found on a page, should be fetched as
// an article rather than read for links: by the include patterns, or by
// LooksLikeArticle when there are none.
func (c *Classifier) IsArticle(u *url.URL) bool {
	if c.excluded(u) {
		return false
	}
	if len(c.include) == 0 {
		return LooksLikeArticle(u)
	}
	return c.included(u)
}

// IsListed reports whether u, an entry of a feed or sitemap, should be
// fetched as an article. Whatever the URL looks like it is a candidate,
// and extraction tells what the page is; only the site's patterns and file
// names that are no web page (images, feeds, documents) leave it out.
func (c *Classifier) IsListed(u *url.URL) bool {
	if c.excluded(u) {
		return false
	}
	if len(c.include) > 0 {
		return c.included(u)
	}
	return !nonPageExts[strings.ToLower(path.Ext(u.Path))]
}

func (c *Classifier) excluded(u *url.URL) bool {
	target := u.RequestURI()
	for _, re := range c.exclude {
		if re.MatchString(target) {
			return true
		}
	}
	return false
}

func (c *Classifier) included(u *url.URL) bool {
	target := u.RequestURI()
	for _, re := range c.include {
		if re.MatchString(target) {
			return true
		}
	}
	return false
}
