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
	"fmt"
	"slices"
	"strconv"
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

// jsonLDZones are the offsets used for JSON-LD timestamps.
var jsonLDZones = []*time.Location{
	time.FixedZone("UTC", 0),
	time.FixedZone("EST", -5*3600),
	time.FixedZone("CET", 1*3600),
	time.FixedZone("PST", -8*3600),
	time.FixedZone("IST", 5*3600+1800),
}

var estZone = time.FixedZone("EST", -5*3600)

// Generate builds the site described by cfg.
func Generate(cfg Config) *Site {
	cfg = cfg.withDefaults()
	n := cfg.Articles
	s := &Site{
		cfg:       cfg,
		articles:  make([]Article, n),
		render:    make([]render, n),
		byPath:    make(map[string]int, n),
		bySection: make(map[string][]int, len(cfg.Sections)),
		images:    map[string]bool{logoImage: true},
		revisions: make([]int, n),
		limits:    map[string]int{},
	}

	// Publication times: sorted offsets, so index 0 is the newest article.
	now := cfg.Now.Truncate(time.Minute)
	dr := newRNG(cfg.Seed, streamDates)
	offsets := make([]int, n)
	for i := range offsets {
		offsets[i] = 1 + dr.intn(int(cfg.Span/time.Minute)-1)
	}
	slices.Sort(offsets)

	text := newTextGen()
	titles := make(map[string]bool, n)
	tr := newRNG(cfg.Seed, streamTitles)
	uniq := newUniqueWords()
	ur := newRNG(cfg.Seed, streamUniqueWords)

	for i := range n {
		r := newRNG(cfg.Seed, articleStream(streamArticle, i))
		a := &s.articles[i]
		rd := &s.render[i]

		a.Title = newTitle(tr, titles)
		a.UniqueWord = uniq.next(ur)
		a.Section = pick(r, cfg.Sections)
		a.Disallowed = (i+1)%cfg.DisallowedEvery == 0
		a.Published = now.Add(-time.Duration(offsets[i]) * time.Minute)
		a.Modified = a.Published.Add(time.Duration(r.between(0, 240)) * time.Minute)
		if a.Modified.After(now) {
			a.Modified = now
		}

		first := r.intn(len(firstNames))
		a.Authors = []string{firstNames[first] + " " + pick(r, lastNames)}
		if r.chance(0.3) {
			second := (first + 1 + r.intn(len(firstNames)-1)) % len(firstNames)
			a.Authors = append(a.Authors, firstNames[second]+" "+pick(r, lastNames))
		}

		a.JSONLD = r.chance(jsonLDShare)
		np := r.between(5, 12)
		uniquePara := r.between(1, np-1)
		a.Paragraphs = make([]string, np)
		for p := range a.Paragraphs {
			inject := ""
			if p == uniquePara {
				inject = a.UniqueWord
			}
			a.Paragraphs[p] = text.paragraph(r, r.between(40, 90), inject)
		}
		a.Teaser = firstSentence(a.Paragraphs[0])

		rd.dateStyle = r.intn(numDateStyle)
		rd.timeTag = r.chance(0.5)
		rd.zone = pick(r, jsonLDZones)
		rd.adID = r.between(1000, 9999)
		a.DateText = dateText(rd.dateStyle, a.Published)
		style := bylinePlain
		if len(a.Authors) == 1 && r.chance(0.4) {
			style = bylineUpperRole
		}
		a.Byline = bylineText(style, a.Authors)

		a.OGImage = r.chance(0.5)
		if a.JSONLD || a.OGImage {
			// Hex names cannot contain a unique word (those need x, z, v or k).
			name := strconv.FormatUint(1<<48|r.next()>>16, 16)[1:] + ".jpg"
			a.Image = "/images/" + name
			s.images[name] = true
		}

		suffix := r.intn(0x10000)
		for {
			hex := strconv.FormatInt(int64(0x10000+suffix), 16)[1:]
			path := "/" + a.Section + a.Published.Format("/2006/01/02/") + slugify(a.Title) + "-" + hex
			if a.Disallowed {
				path = "/private" + path
			}
			if cfg.OpaqueURLs {
				path = s.opaquePath(i, a.Disallowed)
			}
			if _, dup := s.byPath[path]; !dup {
				a.Path = path
				break
			}
			suffix = (suffix + 1) % 0x10000
		}
		s.byPath[a.Path] = i
		s.bySection[a.Section] = append(s.bySection[a.Section], i)
	}

	for i := range n {
		s.render[i].related = s.pickRelated(i)
		s.render[i].comments = makeComments(newRNG(cfg.Seed, articleStream(streamComments, i)))
		if cfg.LinkInBodies {
			s.render[i].deadLink = s.deadPath(i)
		}
	}
	return s
}

// opaquePath returns a /news/<16 hex>.html path for article i, drawn from a
// stream of its own so the rest of the site is the same with or without
// Config.OpaqueURLs. A (most unlikely) collision draws again.
func (s *Site) opaquePath(i int, disallowed bool) string {
	r := newRNG(s.cfg.Seed, articleStream(streamOpaque, i))
	for {
		path := fmt.Sprintf("/news/%016x.html", r.next())
		if disallowed {
			path = "/private" + path
		}
		if _, dup := s.byPath[path]; !dup {
			return path
		}
	}
}

// deadPath returns the path article i's body links to that answers 404:
// shaped like the site's article URLs, but no article's.
func (s *Site) deadPath(i int) string {
	r := newRNG(s.cfg.Seed, articleStream(streamDeadLink, i))
	for {
		path := fmt.Sprintf("/news/%016x.html", r.next())
		if !s.cfg.OpaqueURLs {
			path = "/" + s.articles[i].Section + "/2000/01/01/" + slugify(s.articles[i].Title) + fmt.Sprintf("-%x", r.next()>>48)
		}
		if _, real := s.byPath[path]; !real {
			return path
		}
	}
}

// DeadLinks returns the paths linked from article bodies that answer 404
// (with Config.LinkInBodies; nil without), in article order.
func (s *Site) DeadLinks() []string {
	var out []string
	for _, rd := range s.render {
		if rd.deadLink != "" {
			out = append(out, rd.deadLink)
		}
	}
	return out
}

// pickRelated chooses up to relatedCount other articles, preferring the same
// section.
func (s *Site) pickRelated(i int) []int {
	n := len(s.articles)
	if n-1 <= relatedCount {
		var all []int
		for j := range n {
			if j != i {
				all = append(all, j)
			}
		}
		return all
	}
	r := newRNG(s.cfg.Seed, articleStream(streamRelated, i))
	out := make([]int, 0, relatedCount)
	same := s.bySection[s.articles[i].Section]
	want := min(3, len(same)-1)
	for len(out) < want {
		j := pick(r, same)
		if j != i && !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	for len(out) < relatedCount {
		j := r.intn(n)
		if j != i && !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	return out
}

func makeComments(r *rng) []comment {
	cs := make([]comment, r.between(2, 4))
	for k := range cs {
		cs[k] = comment{
			author: pick(r, commenters),
			text:   pick(r, commentTexts),
			ago:    strconv.Itoa(r.between(1, 23)) + " hours ago",
		}
	}
	return cs
}

func dateText(style int, t time.Time) string {
	t = t.UTC()
	switch style {
	case dateLong:
		return t.Format("January 2, 2006")
	case dateUTC:
		return t.Format("2 Jan 2006 15:04") + " UTC"
	case dateISO:
		return t.Format("2006-01-02")
	default:
		et := t.In(estZone)
		month := et.Month().String()
		if len(month) > 3 {
			month = month[:3] + "."
		}
		return month + et.Format(" 2, 2006 3:04 PM MST")
	}
}

func bylineText(style int, authors []string) string {
	if style == bylineUpperRole && len(authors) == 1 {
		return "By " + upper(authors[0]) + ", Staff Reporter"
	}
	switch len(authors) {
	case 1:
		return "By " + authors[0]
	default:
		return "By " + authors[0] + " and " + authors[1]
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Config returns the effective configuration (defaults applied).
func (s *Site) Config() Config {
	c := s.cfg
	c.Sections = slices.Clone(c.Sections)
	c.ExternalLinks = slices.Clone(c.ExternalLinks)
	return c
}

// Sections returns the section names in configuration order.
func (s *Site) Sections() []string { return slices.Clone(s.cfg.Sections) }

// Articles returns all articles, newest first. The result is a copy.
func (s *Site) Articles() []Article {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Article, len(s.articles))
	for i, a := range s.articles {
		out[i] = a.clone()
	}
	return out
}

// Allowed returns the articles that robots.txt does not disallow, newest first.
func (s *Site) Allowed() []Article {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Article, 0, len(s.articles))
	for _, a := range s.articles {
		if !a.Disallowed {
			out = append(out, a.clone())
		}
	}
	return out
}

// SectionArticles returns the articles of one section, newest first (nil for
// an unknown section).
func (s *Site) SectionArticles(section string) []Article {
	if !slices.Contains(s.cfg.Sections, section) {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	idx := s.bySection[section]
	out := make([]Article, len(idx))
	for k, i := range idx {
		out[k] = s.articles[i].clone()
	}
	return out
}

// Lookup returns the article served at the site-relative path.
func (s *Site) Lookup(path string) (Article, bool) {
	i, ok := s.byPath[path]
	if !ok {
		return Article{}, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.articles[i].clone(), true
}

// CorrectionText opens the paragraph Revise appends.
const CorrectionText = "Correction: an earlier version of this article misstated a figure."

// Revise publishes a correction of the article at path, as a news site
// does after publication: it appends the paragraph
// CorrectionText + " Revision N." (N counts this article's revisions, so every
// call changes the page again) and moves Modified one hour later. The page
// and its ETag and Last-Modified change, and so do the documents that show
// the article's Modified: the sitemaps that list it, and the feed's
// lastBuildDate when the article becomes the most recently modified.
// Revise is deterministic and safe to call while the site is being served.
// It returns the revised article.
func (s *Site) Revise(path string) (Article, error) {
	i, ok := s.byPath[path]
	if !ok {
		return Article{}, fmt.Errorf("testsite: no article at %q", path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revisions[i]++
	a := &s.articles[i]
	// A fresh slice, so copies handed out earlier never see the change.
	paras := make([]string, len(a.Paragraphs), len(a.Paragraphs)+1)
	copy(paras, a.Paragraphs)
	a.Paragraphs = append(paras, CorrectionText+" Revision "+strconv.Itoa(s.revisions[i])+".")
	a.Modified = a.Modified.Add(time.Hour)
	return a.clone(), nil
}
