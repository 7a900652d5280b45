package newsline

import "time"

// Site is one whitelisted news site. It is addressed by Host everywhere a
// person sees it; ID exists only for foreign keys.
type Site struct {
	ID        int64
	Host      string   // primary host, e.g. "www.theguardian.com" (or "127.0.0.1:8080")
	Name      string   // display name
	StartURLs []string // pages whose links are followed to discover articles
	Feeds     []string // RSS/Atom feeds listing recent articles
	// ExtraHosts are other hosts the site may be fetched from, e.g. a
	// separate feeds host. Anything else is off the whitelist.
	ExtraHosts []string
	Schedule   string        // cron expression for crawl:site
	Delay      time.Duration // minimum time between two requests to the host
	MaxPages   int           // upper bound on pages fetched by one crawl
	Enabled    bool
	// Include and Exclude are regular expressions over a URL's path and
	// query telling article pages from index pages. With no Include, a
	// heuristic decides; Exclude always wins.
	Include []string
	Exclude []string
	// MaxDepth is how many links deep discovery follows index pages from
	// a start page (the start page is depth 1).
	MaxDepth int
	// FollowArticleLinks makes discovery follow the links of a page it read
	// that turned out to be an article, as it does an index page's; by
	// default an article's links (related stories, links in its text) are
	// not followed.
	FollowArticleLinks bool
	// MaxConcurrency bounds requests in flight to the host across every
	// worker.
	MaxConcurrency int
	// RefetchAfter lists ages after the first fetch at which an article is
	// fetched again to pick up corrections; nil means 1 h and 24 h, an
	// empty list never.
	RefetchAfter []time.Duration
	// Languages are the ISO 639-1 codes of the languages the site
	// publishes in; the extractor assigns only these. Empty allows every
	// language.
	Languages []string
	// AllowPrivate lets the crawler fetch loopback and private addresses for
	// this site. Only tests and the dev test site set it.
	AllowPrivate bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Hosts returns every host the site may be fetched from.
func (s Site) Hosts() []string {
	return append([]string{s.Host}, s.ExtraHosts...)
}

// AllowsHost reports whether host (with port, as in url.URL.Host) is on
// this site's whitelist.
func (s Site) AllowsHost(host string) bool {
	for _, h := range s.Hosts() {
		if h == host {
			return true
		}
	}
	return false
}

// Article is an extracted news article.
type Article struct {
	ID           int64
	SiteID       int64
	Site         string // host of the site
	URL          string // URL it was fetched from
	CanonicalURL string // URL it is stored under; the dedup key
	Title        string
	Authors      []string
	Byline       string
	PublishedAt  *time.Time
	ModifiedAt   *time.Time
	Text         string // plain text, paragraphs separated by blank lines
	HTML         string // sanitized HTML of the body
	Excerpt      string
	ImageURL     string
	SiteName     string
	Language     string // ISO 639-1 code, detected from the text
	TSConfig     string // PostgreSQL text search configuration for Language
	Section      string
	Keywords     []string
	Summary      string // two or three sentences from the text
	// Kind is article, index, gallery, video, paywalled, error or stub;
	// KindReason says why when it is not article.
	Kind       string
	KindReason string
	// DeclaredType is the kind the page declares itself: its JSON-LD
	// @type ("NewsArticle", "BlogPosting") or else og:type ("article",
	// "website"); empty when it declares none. Not stored.
	DeclaredType string
	// Completeness scores from 0 to 1 how whole the article is; below
	// 0.5 it stays out of feeds and the podcast.
	Completeness float64
	// Sources names where each metadata field came from, e.g.
	// "published": "json-ld".
	Sources map[string]string
	// Terms are the article's distinct words, for corpus statistics; not
	// stored with the article.
	Terms     []string
	WordCount int
	FetchedAt time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NonNil returns s, or an empty slice when s is nil: JSON encodes a nil
// slice as null and pgx stores it as NULL, where readers and columns want
// an empty list.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
