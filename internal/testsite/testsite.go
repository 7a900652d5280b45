// Package testsite generates a deterministic news web site and serves it on
// loopback, so the crawler and extractors can be tested end to end against a
// real HTTP server.
//
// The same Config (including Seed) always yields a byte-identical site: no
// wall-clock time, map iteration order or math/rand stream influences output.
// Absolute URLs (feed links, canonical links, JSON-LD, robots.txt sitemap line)
// are derived from the Host of the incoming request. The only state that
// changes while serving is explicit: Site.Revise (corrections) and the
// per-key counters of the rate-limit routes.
//
// Layout:
//
//	/                         homepage (20 newest articles; with Config.Duplicates
//	                          also a "More" box linking mirror and tracking-parameter
//	                          URLs of the 10 newest allowed articles)
//	/section/{name}[?page=N]  section listing, 25 per page
//	/feed.xml                 RSS 2.0, 50 newest articles
//	/sitemap.xml              every article not under /private/
//	/sitemap_index.xml        sitemap index of the three /sitemaps/ files below
//	/sitemaps/articles-1.xml.gz, /sitemaps/articles-2.xml.gz
//	                          gzip-compressed urlsets, the first and second half of
//	                          the allowed articles (application/x-gzip, no
//	                          Content-Encoding, as real sites serve them)
//	/sitemaps/news.xml        Google News sitemap of the 30 newest allowed articles
//	/robots.txt               disallows /private/; optional Crawl-delay; its Sitemap
//	                          line names /sitemap.xml or, with Config.SitemapIndex,
//	                          /sitemap_index.xml (none with Config.NoSitemap)
//	/{section}/YYYY/MM/DD/{slug}          article
//	/private/{section}/YYYY/MM/DD/{slug}  robots-disallowed article
//	/news/{16 hex digits}.html            article, with Config.OpaqueURLs (and
//	                                      /private/news/... when disallowed)
//	/mirror{article path}     the same article under a second URL, without
//	                          canonical link or og:url and naming itself in its
//	                          share links and JSON-LD (a duplicate only content
//	                          comparison reveals)
//	/about, /contact, ...     boilerplate pages linked from the footer
//	/images/{name}.jpg        placeholder images referenced by og:image and JSON-LD
//	/static/site.css          stylesheet
//
// The feed, the sitemaps and article pages carry a strong ETag and
// Last-Modified and answer conditional requests with 304 Not Modified.
//
// Hostile routes, never linked from any page, for robustness tests:
//
//	/hostile/slow?seconds=N        article page trickled in N chunks, one per second (default 60)
//	/hostile/huge?mb=N             N MiB of article HTML, streamed, with Content-Length (default 50)
//	/hostile/gzip-bomb             Content-Encoding: gzip; ~1 MB on the wire, 1 GiB decoded
//	/hostile/redirect-loop?n=K     302 to ?n=K+1, forever
//	/hostile/redirect?to=URL       302 to URL (e.g. an off-site host)
//	/hostile/redirect-metadata     302 to http://169.254.169.254/latest/meta-data/
//	/hostile/ratelimited?key=K&times=T&after=S
//	                               429 with Retry-After: S for the first T requests
//	                               with key K (defaults "default", 1, 2), then the
//	                               newest allowed article's page
//	/hostile/unavailable?...       the same with 503 Service Unavailable
//	/hostile/wrong-charset/utf8-declared-latin1   header charset=iso-8859-1, UTF-8 body
//	/hostile/wrong-charset/latin1-declared-utf8   header charset=utf-8, windows-1252 body
//	                               (neither has a <meta charset>: only the bytes tell)
//	/hostile/wrong-charset/meta-only              no header charset, windows-1252 body
//	                               with <meta charset="windows-1252">; all three show
//	                               CharsetTitle, CharsetByline and CharsetParagraphs
//	/hostile/malformed             broken markup (unclosed and stray tags, unquoted
//	                               attributes, unterminated comment, NUL and invalid
//	                               UTF-8 bytes) around MalformedParagraphs
//	/hostile/not-html              200 application/pdf
//	/hostile/empty                 200 text/html, empty body
package testsite

import (
	"slices"
	"sync"
	"time"
)

const (
	defaultArticles        = 100
	defaultDisallowedEvery = 20
	defaultSpan            = 60 * 24 * time.Hour // articles are dated within 60 days before Now

	siteName        = "The Daily Meridian"
	homeLatest      = 20
	sectionPageSize = 25
	feedItems       = 50
	relatedCount    = 5
	jsonLDShare     = 0.4
)

var defaultSections = []string{"world", "politics", "business", "technology", "science", "sport"}

// defaultNow is the reference time used when Config.Now is zero.
var defaultNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// Config describes a generated site. The zero value is usable.
type Config struct {
	// Articles is the number of articles; 0 (or negative) means 100.
	Articles int
	// Seed selects the site; same seed and config => byte-identical site.
	Seed int64
	// Sections lists section names (used verbatim in URLs, so they should be
	// lowercase path-safe tokens). Empty means
	// world, politics, business, technology, science, sport.
	Sections []string
	// ExternalLinks are absolute, off-site URLs linked from every article page
	// (in a "Partners" box). Tests assert a crawler never fetches them.
	ExternalLinks []string
	// Now is the reference time; zero means 2026-11-20T12:00:00Z. Articles
	// are dated in the Span before Now.
	Now time.Time
	// Span is how far back articles are dated; 0 means 60 days. A short
	// span puts many articles in the last day, as a news site has.
	Span time.Duration
	// DisallowedEvery puts every Nth article (in newest-first order, i.e. the
	// articles at 1-based positions N, 2N, ...) under the robots-disallowed
	// /private/ prefix; 0 (or negative) means 20.
	DisallowedEvery int

	// CrawlDelay, when > 0, adds "Crawl-delay: N" to robots.txt's
	// "User-agent: *" group.
	CrawlDelay int
	// SitemapIndex points robots.txt's Sitemap line at /sitemap_index.xml
	// instead of /sitemap.xml. Both are served either way.
	SitemapIndex bool
	// Duplicates adds a "More" box to the homepage linking, for the 10 newest
	// allowed articles, their /mirror copy and their normal URL with tracking
	// parameters. /mirror pages are served either way.
	Duplicates bool
	// OpaqueURLs serves every article at /news/<16 hex digits>.html (under
	// /private/ when disallowed): a URL with no slug, date or telling id,
	// which only a feed, a sitemap or the page itself shows to be an
	// article.
	OpaqueURLs bool
	// LinkInBodies adds a "See also" paragraph to every article's body,
	// linking two other articles and one path of the article's own that
	// answers 404 (Site.DeadLinks), as hand-written links in real articles
	// do.
	LinkInBodies bool
	// NoSitemap leaves the Sitemap line out of robots.txt and the sitemap
	// link out of the footer, as on a small site without one; the sitemaps
	// are still served to whoever asks.
	NoSitemap bool
}

func (c Config) withDefaults() Config {
	if c.Articles <= 0 {
		c.Articles = defaultArticles
	}
	if c.DisallowedEvery <= 0 {
		c.DisallowedEvery = defaultDisallowedEvery
	}
	if c.Now.IsZero() {
		c.Now = defaultNow
	}
	if c.Span < 2*time.Minute {
		c.Span = defaultSpan
	}
	c.CrawlDelay = max(c.CrawlDelay, 0)
	c.Now = c.Now.UTC()
	secs := c.Sections
	if len(secs) == 0 {
		secs = defaultSections
	}
	c.Sections = nil
	for _, s := range secs {
		if s != "" && !slices.Contains(c.Sections, s) {
			c.Sections = append(c.Sections, s)
		}
	}
	if len(c.Sections) == 0 {
		c.Sections = slices.Clone(defaultSections)
	}
	c.ExternalLinks = slices.Clone(c.ExternalLinks)
	return c
}

// Article is the ground truth for one generated article.
type Article struct {
	Path       string    // site-relative path, e.g. "/world/2026/11/19/minister-signs-river-accord-4f2a"
	Section    string    // section name
	Title      string    // unique across the site
	Authors    []string  // one or two "First Last" names
	Published  time.Time // UTC, minute precision
	Paragraphs []string  // the article body, in order
	UniqueWord string    // made-up word occurring in this article's body and nowhere else on the site
	JSONLD     bool      // page carries JSON-LD NewsArticle metadata
	Disallowed bool      // path is under /private/, which robots.txt disallows

	// Additional ground truth.
	Modified time.Time // dateModified / Last-Modified (>= Published)
	Teaser   string    // the first sentence of the first paragraph; used in listings and the feed
	Byline   string    // visible byline text, e.g. "By JANE DOE, Staff Reporter"
	DateText string    // visible date text, e.g. "Nov. 19, 2026 9:05 AM EST"
	Image    string    // site-relative og:image/JSON-LD image path, "" if none
	OGImage  bool      // page carries <meta property="og:image">
}

func (a Article) clone() Article {
	a.Authors = slices.Clone(a.Authors)
	a.Paragraphs = slices.Clone(a.Paragraphs)
	return a
}

// Byline styles.
const (
	bylinePlain     = iota // By Jane Doe / By Jane Doe and John Roe
	bylineUpperRole        // By JANE DOE, Staff Reporter
)

// Date styles (visible date).
const (
	dateLong     = iota // November 19, 2026
	dateUTC             // 19 Nov 2026 14:05 UTC
	dateISO             // 2026-11-19
	dateAPStyle         // Nov. 19, 2026 9:05 AM EST
	numDateStyle        // count
)

type comment struct {
	author, text, ago string
}

// render holds per-article presentation choices that are not part of the
// public ground truth.
type render struct {
	related   []int // indexes of related articles
	comments  []comment
	dateStyle int
	timeTag   bool // visible date wrapped in <time datetime>
	zone      *time.Location
	adID      int
	deadLink  string // with Config.LinkInBodies: the body's link that answers 404
}

// Site is a generated news site. It is safe for concurrent use.
//
// Everything is fixed at Generate time except what tests change on purpose:
// Revise rewrites an article (guarded by mu), and the rate-limit routes count
// requests per key (guarded by limitMu).
type Site struct {
	cfg       Config
	render    []render
	byPath    map[string]int
	bySection map[string][]int // article indexes, newest first
	images    map[string]bool  // file names under /images/

	// mu guards the fields of articles that Revise changes (Paragraphs and
	// Modified) and revisions. Renderers hold the read lock for a whole page
	// so that a body and its ETag/Last-Modified always describe one state.
	mu        sync.RWMutex
	articles  []Article // newest first
	revisions []int     // per article: how often Revise was called

	limitMu sync.Mutex
	limits  map[string]int // "route\x00key" -> requests seen by the rate-limit routes

	// The gzip bomb is built on first use, not in Generate: most tests never
	// request it.
	bombOnce sync.Once
	bomb     string
}
