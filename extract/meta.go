package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Metadata is what a page says about its article outside the body text.
//
// Each field is taken from the most trustworthy source that has it, in this
// order (Sources names the winner under the keys listed with each field):
//
//  1. "link": <link rel=canonical> (canonical only)
//  2. "json-ld": the page's schema.org Article object
//  3. "microdata": itemprop attributes
//  4. "opengraph": og:* and article:* meta tags
//  5. "dublin-core": DC.* and dcterms.* meta tags
//  6. "twitter": twitter:* card tags
//  7. "meta": plain meta tags (author, description, keywords, pubdate, ...)
//  8. "html": <title>, <html lang>
//  9. "time": <time datetime> elements
//  10. "text": visible text (the byline element, dated elements)
//  11. "url": a /2026/11/19/ date in the page's URL (published only)
//
// Exceptions: site_name prefers og:site_name to JSON-LD (see priority);
// keywords merge all sources; a visible byline that names the chosen
// authors and more replaces them (JSON-LD often lists only the first). A
// value that fails its checks (a date in the future, a site name that is a
// URL, an author that is an organization) gives way to the next source.
//
// Structured data comes first because the publisher writes it for search
// engines, which check it; social tags are next because they are shown to
// readers; markup and text last because templates reuse them for teasers
// and comments.
type Metadata struct {
	Title   string   // "title", site-name suffixes removed
	Authors []string // "authors", person names only (see NormalizeAuthors)
	// Byline is the byline as the page prints it ("byline").
	Byline      string
	Published   *time.Time // "published", not in the future or before 1990
	Modified    *time.Time // "modified", never before Published
	Image       string     // "image", absolute
	SiteName    string     // "site_name"
	Section     string     // "section"
	Canonical   string     // "canonical", absolute
	Description string     // "description"
	Keywords    []string   // "keywords": union of all sources, best first, de-duplicated
	Language    string     // "language": primary subtag, lower case ("en", "de")
	// Type is the page's declared kind ("type"): the JSON-LD @type of its
	// article ("NewsArticle", "BlogPosting") or else og:type ("article").
	Type string
	// ArticleBody is the JSON-LD articleBody ("article_body") as plain text,
	// paragraphs separated by blank lines; publishers fill it from the same
	// source as the page, so it can check or replace the extracted text.
	ArticleBody string
	// Sources names where each field came from, e.g. "title": "json-ld".
	Sources map[string]string
}

// source is where a metadata value came from; lower is more trustworthy.
type source int

const (
	srcLink source = iota
	srcJSONLD
	srcMicrodata
	srcOpenGraph
	srcDublinCore
	srcTwitter
	srcMeta
	srcHTML
	srcTime
	srcText
	srcURL
	numSources
)

var sourceNames = [numSources]string{"link", "json-ld", "microdata", "opengraph", "dublin-core", "twitter", "meta", "html", "time", "text", "url"}

func (s source) String() string { return sourceNames[s] }

// field names a Metadata field; its String is the Sources key.
type field int

const (
	fTitle field = iota
	fAuthors
	fPublished
	fModified
	fImage
	fSiteName
	fSection
	fCanonical
	fDescription
	fKeywords
	fLanguage
	fType
	numFields
)

var fieldNames = [numFields]string{"title", "authors", "published", "modified", "image", "site_name", "section", "canonical", "description", "keywords", "language", "type"}

func (f field) String() string { return fieldNames[f] }

// metaTags maps lower-cased <meta> names and properties to the field they
// fill and the source they count as.
var metaTags = map[string]struct {
	f   field
	src source
}{
	"og:title": {fTitle, srcOpenGraph}, "og:image": {fImage, srcOpenGraph}, "og:image:url": {fImage, srcOpenGraph},
	"og:image:secure_url": {fImage, srcOpenGraph}, "og:site_name": {fSiteName, srcOpenGraph},
	"og:url": {fCanonical, srcOpenGraph}, "og:description": {fDescription, srcOpenGraph},
	"og:locale": {fLanguage, srcOpenGraph}, "og:language": {fLanguage, srcOpenGraph}, "og:type": {fType, srcOpenGraph},
	"article:published_time": {fPublished, srcOpenGraph}, "article:published": {fPublished, srcOpenGraph},
	"og:pubdate": {fPublished, srcOpenGraph}, "og:datepublished": {fPublished, srcOpenGraph},
	"article:modified_time": {fModified, srcOpenGraph}, "og:updated_time": {fModified, srcOpenGraph},
	"article:author": {fAuthors, srcOpenGraph}, "article:section": {fSection, srcOpenGraph},
	"og:section": {fSection, srcOpenGraph}, "article:tag": {fKeywords, srcOpenGraph}, "og:tags": {fKeywords, srcOpenGraph},

	"dc.title": {fTitle, srcDublinCore}, "dcterms.title": {fTitle, srcDublinCore},
	"dc.creator": {fAuthors, srcDublinCore}, "dcterms.creator": {fAuthors, srcDublinCore},
	"dc.date": {fPublished, srcDublinCore}, "dc.date.issued": {fPublished, srcDublinCore}, "dc.date.created": {fPublished, srcDublinCore},
	"dcterms.date": {fPublished, srcDublinCore}, "dcterms.issued": {fPublished, srcDublinCore}, "dcterms.created": {fPublished, srcDublinCore},
	"dcterms.modified": {fModified, srcDublinCore}, "dc.date.modified": {fModified, srcDublinCore},
	"dc.language": {fLanguage, srcDublinCore}, "dcterms.language": {fLanguage, srcDublinCore},
	"dc.description": {fDescription, srcDublinCore}, "dcterms.description": {fDescription, srcDublinCore},
	"dcterms.abstract": {fDescription, srcDublinCore}, "dc.subject": {fKeywords, srcDublinCore},
	"dcterms.subject": {fKeywords, srcDublinCore}, "dc.publisher": {fSiteName, srcDublinCore}, "dcterms.publisher": {fSiteName, srcDublinCore},

	"twitter:title": {fTitle, srcTwitter}, "twitter:text:title": {fTitle, srcTwitter},
	"twitter:image": {fImage, srcTwitter}, "twitter:image:src": {fImage, srcTwitter},
	"twitter:description": {fDescription, srcTwitter}, "twitter:creator": {fAuthors, srcTwitter},

	"author": {fAuthors, srcMeta}, "byl": {fAuthors, srcMeta}, "article_author": {fAuthors, srcMeta},
	"sailthru.author": {fAuthors, srcMeta}, "parsely-author": {fAuthors, srcMeta}, "author.name": {fAuthors, srcMeta},
	"dcsext.author": {fAuthors, srcMeta}, "analytics:author": {fAuthors, srcMeta}, "content-creator": {fAuthors, srcMeta},
	"date": {fPublished, srcMeta}, "pubdate": {fPublished, srcMeta}, "publishdate": {fPublished, srcMeta},
	"publish-date": {fPublished, srcMeta}, "publish_date": {fPublished, srcMeta}, "pub_date": {fPublished, srcMeta},
	"pdate": {fPublished, srcMeta}, "article.published": {fPublished, srcMeta}, "article_date_original": {fPublished, srcMeta},
	"sailthru.date": {fPublished, srcMeta}, "parsely-pub-date": {fPublished, srcMeta}, "published_at": {fPublished, srcMeta},
	"published_time": {fPublished, srcMeta}, "publication_date": {fPublished, srcMeta}, "datepublished": {fPublished, srcMeta},
	"original-publish-date": {fPublished, srcMeta}, "dcsext.articlefirstpublished": {fPublished, srcMeta},
	"citation_publication_date": {fPublished, srcMeta}, "displaydate": {fPublished, srcMeta},
	"last-modified": {fModified, srcMeta}, "lastmod": {fModified, srcMeta}, "article.updated": {fModified, srcMeta},
	"article_date_updated": {fModified, srcMeta}, "updated-date": {fModified, srcMeta}, "datemodified": {fModified, srcMeta},
	"description": {fDescription, srcMeta}, "keywords": {fKeywords, srcMeta}, "news_keywords": {fKeywords, srcMeta},
	"parsely-tags": {fKeywords, srcMeta}, "sailthru.tags": {fKeywords, srcMeta},
	"section": {fSection, srcMeta}, "parsely-section": {fSection, srcMeta}, "article.section": {fSection, srcMeta},
	"content-language": {fLanguage, srcMeta}, "language": {fLanguage, srcMeta},
	"application-name": {fSiteName, srcMeta}, "title": {fTitle, srcMeta},
}

// articleTypes are the schema.org types whose JSON-LD object describes the
// article itself (lower-cased).
var articleTypes = setOf("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
	"opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
	"satiricalarticle", "blogposting", "liveblogposting", "socialmediaposting", "techarticle",
	"scholarlyarticle", "report", "advertisercontentarticle")

// pageTypes describe the page rather than the article; one stands in for
// the article when a page has no article object.
var pageTypes = setOf("webpage", "itempage", "medicalwebpage", "creativework")

var (
	urlDate    = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)`)
	urlISODate = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
	blockTag   = regexp.MustCompile(`(?i)<\s*(?:br|/p|p|/div|/h[1-6]|/li|/blockquote|/tr)\b[^>]*>`)
	anyTag     = regexp.MustCompile(`(?s)<[^>]*>`)
	// updatedWord splits "Published 5 May 2026 | Updated 6 May 2026".
	updatedWord = regexp.MustCompile(`(?i)\b(?:updated|last modified|modified|aktualisiert|mis à jour|actualizado|aggiornato)\b`)
	dateLabel   = regexp.MustCompile(`(?i)^(?:first published|published|posted|updated|last updated|publiziert|veröffentlicht|publié|publicado|pubblicato)\b`)
	// bylineEnd is where a byline's names end: at a date, "Updated", or
	// "Published".
	bylineEnd = regexp.MustCompile(`(?i)(?:updated|posted|published|last modified|publiziert|veröffentlicht)\b`)
	// bylineTail is what is left before a cut-off date: a weekday, "on",
	// separators.
	bylineTail = regexp.MustCompile(`(?i)(?:[\s|,•·/:–—-]+|\s+(?:on|at|am|le|el|il|de|vom)|\s+(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?)$`)
)

// readMetadata collects the metadata readability does not return.
func readMetadata(doc *html.Node, base *url.URL) Metadata {
	return readMetadataAt(doc, base, time.Now())
}

// readMetadataAt is readMetadata with the clock as a parameter, so dates in
// the future (more than a day after now) can be rejected deterministically.
func readMetadataAt(doc *html.Node, base *url.URL, now time.Time) Metadata {
	c := &collector{base: base}
	c.walk(doc, walkCtx{})
	return c.finish(now)
}

// candidate is one value a source offers for a field.
type candidate struct {
	src source
	// rank orders candidates of one source: <time> elements in the article
	// header beat the rest, for example. Lower wins, then document order.
	rank int
	val  string
}

// collector gathers candidates in one walk over the document and picks the
// winners afterwards, when the site name and language are known.
type collector struct {
	base     *url.URL
	cands    [numFields][]candidate
	titleTag string
	h1       string
	h1Rank   int
	body     string
	bylines  []*bylineCand
	jsonld   []string
	toks     []string
}

func (c *collector) offer(f field, src source, rank int, v string) {
	v = strings.Join(strings.Fields(v), " ")
	if v == "" {
		return
	}
	c.cands[f] = append(c.cands[f], candidate{src, rank, v})
}

// sorted returns f's candidates, best first.
func (c *collector) sorted(f field) []candidate {
	cs := c.cands[f]
	sort.SliceStable(cs, func(i, j int) bool {
		if pi, pj := priority(f, cs[i].src), priority(f, cs[j].src); pi != pj {
			return pi < pj
		}
		return cs[i].rank < cs[j].rank
	})
	return cs
}

// priority is src's place for field f: the source order, except that
// og:site_name names the site better than JSON-LD, whose publisher is the
// original publisher of a syndicated story ("Associated Press" on a
// newspaper's site).
func priority(f field, src source) int {
	if f == fSiteName && src == srcOpenGraph {
		return -1
	}
	return int(src)
}

// walkCtx is what the walk knows about a node's ancestors.
type walkCtx struct {
	inHead    bool
	inArticle bool // inside <article>, <main> or <header>
	noise     bool // inside navigation, footers, asides, comments, related links
	comments  bool // inside comments
	scope     string
	byline    *bylineCand
}

// bylineCand is an element that looks like a byline or an author name.
type bylineCand struct {
	text      string
	isByline  bool // class or id says "byline", not just "author"
	inArticle bool
	parent    *html.Node
	outer     *bylineCand
	inner     []*bylineCand
}

func (c *collector) walk(n *html.Node, ctx walkCtx) {
	if n.Type == html.TextNode && !ctx.comments && !ctx.inHead {
		// "Published: Monday, November 18th, 2019" in an unmarked <p>,
		// even in a sidebar, but not in comments.
		if t := strings.TrimSpace(n.Data); len(t) >= 10 && len(t) <= 120 && strings.ContainsAny(t[:1], "PpUuFfVv") && dateLabel.MatchString(t) {
			rank := c.textRank(ctx) + 1
			c.offer(fPublished, srcText, rank, t)
			if updatedWord.MatchString(t) {
				c.offer(fModified, srcText, rank, t)
			}
		}
		return
	}
	if n.Type == html.ElementNode {
		ctx = c.element(n, ctx)
		if n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Noscript || n.DataAtom == atom.Svg {
			return
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch, ctx)
	}
}

// element reads one element and returns the context for its children.
func (c *collector) element(n *html.Node, ctx walkCtx) walkCtx {
	switch n.DataAtom {
	case atom.Html:
		c.offer(fLanguage, srcHTML, 0, firstNonEmpty(attr(n, "lang"), attr(n, "xml:lang")))
	case atom.Head:
		ctx.inHead = true
	case atom.Title:
		if ctx.inHead && c.titleTag == "" && n.Namespace == "" {
			c.titleTag = textOf(n)
		}
	case atom.Link:
		switch rel := attr(n, "rel"); {
		case hasWord(rel, "canonical"):
			c.offer(fCanonical, srcLink, 0, absolute(c.base, attr(n, "href")))
		case hasWord(rel, "image_src"):
			c.offer(fImage, srcMeta, 0, absolute(c.base, attr(n, "href")))
		}
	case atom.Meta:
		c.meta(n, ctx)
		return ctx
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
			var b strings.Builder
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				b.WriteString(ch.Data)
			}
			c.jsonld = append(c.jsonld, b.String())
		}
		return ctx
	case atom.Article, atom.Main, atom.Header:
		ctx.inArticle = true
	case atom.Nav, atom.Footer, atom.Aside:
		ctx.noise = true
	case atom.H1:
		if rank := c.textRank(ctx); c.h1 == "" || rank < c.h1Rank {
			if t := spacedText(n); t != "" {
				c.h1, c.h1Rank = t, rank
			}
		}
	}
	var class, id, prop, rel string
	scoped := false
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		case "itemprop":
			prop = a.Val
		case "itemscope":
			scoped = true
		case "rel":
			rel = a.Val
		}
	}
	names := c.tokens(class, id)
	if n.DataAtom == atom.Time {
		c.timeElement(n, ctx, names)
	}
	if len(names) > 0 && n.DataAtom != atom.Body && n.DataAtom != atom.Html {
		noise, comments := isNoise(names)
		ctx.noise = ctx.noise || noise
		ctx.comments = ctx.comments || comments
	}
	if prop != "" {
		c.microdata(n, ctx, prop)
	}
	if scoped {
		ctx.scope = schemaType(attr(n, "itemtype"))
	}
	if !ctx.noise && (len(names) > 0 || rel != "") {
		ctx = c.bylineElement(n, ctx, names, rel)
		if n.DataAtom != atom.Time && hasToken(names, "date", "published", "timestamp", "pubdate") {
			rank := c.textRank(ctx)
			if t := spacedTextMax(n, 200); hasToken(names, "update", "modified") {
				c.offer(fModified, srcText, rank, t)
			} else {
				c.offer(fPublished, srcText, rank, t)
			}
		}
	}
	return ctx
}

// textRank prefers text inside the article to text elsewhere.
func (c *collector) textRank(ctx walkCtx) int {
	switch {
	case ctx.noise:
		return 2
	case ctx.inArticle:
		return 0
	}
	return 1
}

// meta reads a <meta> tag.
func (c *collector) meta(n *html.Node, ctx walkCtx) {
	content := attr(n, "content")
	if prop := attr(n, "itemprop"); prop != "" {
		c.microdata(n, ctx, prop)
	}
	for _, key := range []string{attr(n, "property"), attr(n, "name"), attr(n, "http-equiv")} {
		key = strings.ToLower(strings.TrimSpace(key))
		if key == "" {
			continue
		}
		t, ok := metaTags[key]
		if !ok {
			continue
		}
		switch t.f {
		case fImage, fCanonical:
			content = absolute(c.base, content)
		}
		c.offer(t.f, t.src, 0, content)
	}
}

// microdata reads an element's itemprop values that belong to the article:
// props of a Comment, Person or other unrelated item are skipped.
func (c *collector) microdata(n *html.Node, ctx walkCtx, props string) {
	if ctx.noise || !(ctx.scope == "" || articleTypes[ctx.scope] || pageTypes[ctx.scope]) {
		return
	}
	// A property of the article item beats one of the page, which beats
	// one outside any item (themes put itemprop=headline on page titles).
	rank := 2
	switch {
	case articleTypes[ctx.scope]:
		rank = 0
	case pageTypes[ctx.scope]:
		rank = 1
	}
	for _, p := range strings.Fields(strings.ToLower(props)) {
		switch p {
		case "headline":
			c.offer(fTitle, srcMicrodata, rank, itemText(n))
		case "author", "creator":
			if _, ok := attrOK(n, "itemscope"); ok {
				if name := findItemName(n); name != "" {
					c.offer(fAuthors, srcMicrodata, rank, name)
					continue
				}
			}
			c.offer(fAuthors, srcMicrodata, rank, itemText(n))
		case "datepublished":
			c.offer(fPublished, srcMicrodata, rank, itemText(n))
		case "datemodified":
			c.offer(fModified, srcMicrodata, rank, itemText(n))
		case "image", "thumbnailurl":
			v := itemValue(n)
			if _, ok := attrOK(n, "itemscope"); ok {
				v = findItemProp(n, "url", itemValue)
			}
			c.offer(fImage, srcMicrodata, rank, absolute(c.base, v))
		case "articlesection":
			c.offer(fSection, srcMicrodata, rank, itemText(n))
		case "keywords":
			c.offer(fKeywords, srcMicrodata, rank, itemText(n))
		case "inlanguage":
			c.offer(fLanguage, srcMicrodata, rank, itemText(n))
		case "publisher":
			if _, ok := attrOK(n, "itemscope"); ok {
				c.offer(fSiteName, srcMicrodata, rank, findItemName(n))
			}
		}
	}
}

// timeElement reads a <time>: one marked as the publication time, or in the
// article, beats one elsewhere (teasers and comments carry times too).
func (c *collector) timeElement(n *html.Node, ctx walkCtx, names []string) {
	if ctx.comments {
		return
	}
	v := firstNonEmpty(attr(n, "datetime"), spacedText(n))
	if hasToken(names, "update", "modified") {
		c.offer(fModified, srcTime, c.textRank(ctx), v)
		return
	}
	rank := c.textRank(ctx) + 1
	if _, ok := attrOK(n, "pubdate"); ok || hasToken(names, "publish") {
		rank = 0
	}
	c.offer(fPublished, srcTime, rank, v)
}

// bylineElement records an element whose class, id or rel says byline or
// author, and returns ctx with it as the enclosing byline candidate.
func (c *collector) bylineElement(n *html.Node, ctx walkCtx, names []string, rel string) walkCtx {
	isByline := hasToken(names, "byline")
	isAuthor := !isByline && (hasToken(names, "author", "contributor", "writer") ||
		hasWord(rel, "author"))
	if !isByline && !isAuthor || hasToken(names, "avatar", "image", "img", "photo", "pic", "bio", "thumb",
		"social", "follow", "twitter", "email", "icon", "description", "about") {
		return ctx
	}
	text := spacedTextMax(n, 200)
	if len(text) < 3 {
		return ctx
	}
	b := &bylineCand{text: text, isByline: isByline, inArticle: ctx.inArticle, parent: n.Parent, outer: ctx.byline}
	if ctx.byline != nil {
		ctx.byline.inner = append(ctx.byline.inner, b)
	}
	c.bylines = append(c.bylines, b)
	ctx.byline = b
	return ctx
}

// finish picks each field's winner.
func (c *collector) finish(now time.Time) Metadata {
	m := Metadata{Sources: map[string]string{}}
	// All scripts form one graph: a Person in one may be referenced from
	// the article in another.
	var ld []any
	for _, raw := range c.jsonld {
		ld = append(ld, parseJSONLD(raw)...)
	}
	c.readJSONLD(ld)
	byline := c.visibleByline()
	if c.titleTag != "" {
		c.offer(fTitle, srcHTML, 0, c.titleTag)
	}
	c.urlDate()

	// pick returns the best candidate that clean leaves non-empty.
	pick := func(f field, clean func(string) string) string {
		for _, cand := range c.sorted(f) {
			if v := clean(cand.val); v != "" {
				m.Sources[f.String()] = cand.src.String()
				return v
			}
		}
		return ""
	}
	m.SiteName = pick(fSiteName, func(s string) string {
		if strings.HasPrefix(s, "@") {
			return "" // a Twitter handle
		}
		return notURL(s)
	})
	m.Section = pick(fSection, cleanSection)
	m.Canonical = pick(fCanonical, keep)
	m.Description = pick(fDescription, keep)
	m.Type = pick(fType, keep)
	m.Image = pick(fImage, keep)
	m.Title = pick(fTitle, func(t string) string {
		return cleanTitle(notURL(t), m.SiteName, c.base, c.h1)
	})
	dateLang := ""
	for _, l := range c.sorted(fLanguage) {
		if code := normLanguage(l.val); code != "" {
			if m.Language == "" {
				m.Language, dateLang = code, l.val
				m.Sources[fLanguage.String()] = l.src.String()
			}
			if strings.ContainsAny(l.val, "-_") && strings.HasPrefix(strings.ToLower(l.val), m.Language) {
				dateLang = l.val // a region says how numeric dates are written
				break
			}
		}
	}
	if m.Published = c.pickDate(fPublished, dateLang, now, &m); m.Published != nil {
		if m.Modified = c.pickDate(fModified, dateLang, now, &m); m.Modified != nil && m.Modified.Before(*m.Published) {
			m.Modified = nil
			delete(m.Sources, fModified.String())
		}
	} else {
		m.Modified = c.pickDate(fModified, dateLang, now, &m)
	}
	c.pickAuthors(&m, byline)
	c.pickKeywords(&m)
	if c.body != "" {
		m.ArticleBody = c.body
		m.Sources["article_body"] = srcJSONLD.String()
	}
	return m
}

func keep(s string) string { return s }

// notURL rejects a value that is a URL where a name belongs (og:site_name
// "https://www.example.com", a headline that is the home page link).
func notURL(s string) string {
	if l := strings.ToLower(s); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.") {
		return ""
	}
	return s
}

// cleanSection reduces "/columnists/" to "columnists" and a list
// ("game,news,slider") to its first entry.
func cleanSection(s string) string {
	if i := strings.IndexAny(s, ",;|"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(strings.Trim(s, "/ "))
}

// pickDate returns the best candidate for f that parses and is neither
// in the future (a day of slack covers time zones) nor before 1990.
// Visible text may hold words around the date, so it is searched.
//
// A bare date ("2026-11-19") gives way to a later candidate with a clock
// time on the same day: the URL or a JSON-LD object may say only the day
// where OpenGraph or a WebPage object says the minute.
func (c *collector) pickDate(f field, lang string, now time.Time, m *Metadata) *time.Time {
	var best *time.Time
	for _, cand := range c.sorted(f) {
		var t *time.Time
		if cand.src == srcText {
			t = textDate(cand.val, lang, f == fModified)
		} else {
			t = ParseDateLang(cand.val, lang)
		}
		if t == nil || t.After(now.Add(24*time.Hour)) {
			continue
		}
		hasClock := t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0
		switch {
		case best == nil:
			best = t
			m.Sources[f.String()] = cand.src.String()
			if hasClock {
				return best
			}
		case hasClock && t.Format(time.DateOnly) == best.Format(time.DateOnly):
			m.Sources[f.String()] = cand.src.String()
			return t
		}
	}
	return best
}

// textDate reads a date from visible text: the whole text if it is a
// date ("Published 10:02 AM EST Nov 19, 2019"), else the first date in it.
// "Updated" separates the modification date from the publication date.
func textDate(text, lang string, modified bool) *time.Time {
	if loc := updatedWord.FindStringIndex(text); loc != nil {
		if modified {
			text = text[loc[1]:]
		} else {
			text = text[:loc[0]]
		}
	}
	if t := ParseDateLang(text, lang); t != nil {
		return t
	}
	t, _ := findDate(text, lang)
	return t
}

// pickAuthors takes the authors of the best source that names a person.
// The byline is the visible one, else the authors joined.
func (c *collector) pickAuthors(m *Metadata, byline string) {
	exclude := []string{m.SiteName, siteDomain(c.base)}
	for _, cand := range c.cands[fSiteName] {
		exclude = append(exclude, cand.val)
	}
	// Each source's authors are its best-ranked candidates together
	// (several itemprop=author elements are co-authors).
	var bySource [numSources][]string
	var bestRank [numSources]int
	for _, cand := range c.sorted(fAuthors) {
		if len(bySource[cand.src]) == 0 {
			bestRank[cand.src] = cand.rank
		} else if cand.rank > bestRank[cand.src] {
			continue
		}
		bySource[cand.src] = append(bySource[cand.src], cand.val)
	}
	for src, raw := range bySource {
		names := NormalizeAuthors(raw, exclude...)
		if source(src) == srcText {
			names = textAuthors(raw, exclude)
		}
		if len(names) > 0 {
			m.Authors = names
			m.Sources[fAuthors.String()] = source(src).String()
			break
		}
	}
	// A visible byline that names the chosen authors and more is the more
	// complete list (JSON-LD often names only the first author).
	if text := textAuthors(bySource[srcText], exclude); len(text) > len(m.Authors) && len(m.Authors) > 0 {
		have := map[string]bool{}
		for _, n := range text {
			have[nameKey(n)] = true
		}
		all := true
		for _, n := range m.Authors {
			all = all && have[nameKey(n)]
		}
		if all {
			m.Authors = text
			m.Sources[fAuthors.String()] = srcText.String()
		}
	}
	if byline != "" {
		m.Byline = byline
		m.Sources["byline"] = srcText.String()
	} else if len(m.Authors) > 0 {
		m.Byline = strings.Join(m.Authors, ", ")
		m.Sources["byline"] = m.Sources[fAuthors.String()]
	}
}

// textAuthors normalizes author names from the page text, the least
// reliable source: a one-word "name" there is usually a place or a login
// ("Washington", "admin"), so it is dropped.
func textAuthors(raw, exclude []string) []string {
	return slices.DeleteFunc(NormalizeAuthors(raw, exclude...), func(n string) bool { return !strings.Contains(n, " ") })
}

// visibleByline offers the names in the page's byline: the first byline
// element, preferring one in the article, or else the first group of author
// elements that share a parent (several <a rel=author> in one line). It
// offers a date printed in or beside the byline, and returns the byline's
// text up to that date (or "Updated"), if it has a byline element.
func (c *collector) visibleByline() string {
	var best *bylineCand
	for _, b := range c.bylines {
		if b.outer != nil {
			continue
		}
		if best == nil || (b.isByline && !best.isByline) || (b.isByline == best.isByline && b.inArticle && !best.inArticle) {
			best = b
		}
	}
	if best == nil {
		return ""
	}
	leaves := bylineLeaves(best)
	if !best.isByline {
		// Sibling author elements are co-authors.
		for _, b := range c.bylines {
			if b != best && b.outer == nil && !b.isByline && (b.parent == best.parent || b.parent != nil && b.parent.Parent == best.parent) {
				leaves = append(leaves, bylineLeaves(b)...)
			}
		}
	}
	for _, l := range leaves {
		c.offer(fAuthors, srcText, 0, bylineNames(l.text))
	}
	// The date is often printed in the byline or next to it.
	texts := []string{best.text}
	for p, i := best.parent, 0; p != nil && i < 2; p, i = p.Parent, i+1 {
		if t := spacedTextMax(p, 300); t != "" {
			texts = append(texts, t)
		}
	}
	for _, t := range texts {
		c.offer(fPublished, srcText, 2, t)
		if updatedWord.MatchString(t) {
			c.offer(fModified, srcText, 2, t)
		}
	}
	if !best.isByline || len(best.text) > 150 {
		return ""
	}
	return bylineNames(best.text)
}

// bylineNames is the part of a byline before its date or "Updated":
// "By Jane Doe Monday, Nov. 18, 2026 | Updated 5 p.m." gives "By Jane Doe".
func bylineNames(text string) string {
	if i := bylineEnd.FindStringIndex(text); i != nil {
		text = text[:i[0]]
	}
	if _, at := findDate(text, ""); at >= 0 {
		text = text[:at]
	}
	for {
		t := bylineTail.ReplaceAllString(text, "")
		if t == text {
			return strings.TrimSpace(text)
		}
		text = t
	}
}

// bylineLeaves returns the innermost author elements of a byline, or the
// byline itself when it has none: "By <a class=author>Jane Doe</a>,
// Staff Writer | Updated 5 p.m." reads best from its author links.
func bylineLeaves(b *bylineCand) []*bylineCand {
	if len(b.inner) == 0 {
		return []*bylineCand{b}
	}
	var out []*bylineCand
	for _, in := range b.inner {
		out = append(out, bylineLeaves(in)...)
	}
	return out
}

// pickKeywords merges the keyword lists of all sources, best source first.
// CMS-internal tags ("@river", "Section:news", "type_news") are dropped.
func (c *collector) pickKeywords(m *Metadata) {
	seen := map[string]bool{}
	for _, cand := range c.sorted(fKeywords) {
		list := html.UnescapeString(cand.val)
		for _, k := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
			k = strings.Trim(k, " \"'")
			key := strings.ToLower(k)
			if k == "" || len(k) > 80 || seen[key] || len(m.Keywords) >= 50 ||
				strings.HasPrefix(k, "@") || strings.ContainsAny(k, ":_=") {
				continue
			}
			if m.Keywords == nil {
				m.Sources[fKeywords.String()] = cand.src.String()
			}
			seen[key] = true
			m.Keywords = append(m.Keywords, k)
		}
	}
}

// urlDate offers the date in a /2026/11/19/ or 2026-11-19 URL path, the
// last resort for the publication date.
func (c *collector) urlDate() {
	for _, re := range []*regexp.Regexp{urlDate, urlISODate} {
		if p := re.FindStringSubmatch(c.base.Path); p != nil {
			c.offer(fPublished, srcURL, 0, fmt.Sprintf("%s-%02s-%02s", p[1], p[2], p[3]))
			return
		}
	}
}

// cleanTitle removes the site name from either end of a title ("Headline |
// Site", "Site - Headline"), and cuts a title down to the page's <h1> when
// the title starts with it followed by a separator.
func cleanTitle(title, siteName string, base *url.URL, h1 string) string {
	title = strings.Join(strings.Fields(title), " ")
	seps := []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " » ", " « ", ": "}
	for changed := true; changed; {
		changed = false
		for _, sep := range seps {
			if i := strings.LastIndex(title, sep); i > 0 && isSiteName(title[i+len(sep):], siteName, base) {
				title, changed = strings.TrimSpace(title[:i]), true
			}
			if i := strings.Index(title, sep); i > 0 && isSiteName(title[:i], siteName, base) && len(title[i+len(sep):]) > 0 {
				title, changed = strings.TrimSpace(title[i+len(sep):]), true
			}
		}
	}
	if len(h1) >= 15 && len(title) > len(h1) && strings.EqualFold(title[:len(h1)], h1) {
		rest := title[len(h1):]
		for _, sep := range seps {
			if strings.HasPrefix(rest, sep) {
				return title[:len(h1)]
			}
		}
	}
	return title
}

// isSiteName reports whether a title segment names the site: it matches the
// site name or the domain ("nytimes", "NYTimes.com"), ignoring case,
// spaces and punctuation.
func isSiteName(seg, siteName string, base *url.URL) bool {
	k := alnumKey(seg)
	if k == "" {
		return false
	}
	if s := alnumKey(siteName); s != "" && (k == s || k == strings.TrimPrefix(s, "the") || strings.TrimPrefix(k, "the") == s) {
		return true
	}
	d := siteDomain(base)
	if d == "" {
		return false
	}
	if k == alnumKey(d) || k == alnumKey(base.Hostname()) || k == alnumKey(strings.TrimPrefix(base.Hostname(), "www.")) {
		return true
	}
	// "Vortex Cannon Entertainment" on vortexcannon.org: the domain spelled
	// out, plus at most one word.
	words := strings.Fields(seg)
	for i := 1; i <= len(words) && i <= 4; i++ {
		if alnumKey(strings.Join(words[:i], "")) == alnumKey(d) {
			return len(words)-i <= 1
		}
	}
	return false
}

// siteDomain is the name part of a page's domain: "nytimes" for
// www.nytimes.com, "bbc" for www.bbc.co.uk.
func siteDomain(base *url.URL) string {
	if base == nil {
		return ""
	}
	labels := strings.Split(strings.ToLower(base.Hostname()), ".")
	if len(labels) < 2 {
		return ""
	}
	i := len(labels) - 2
	if len(labels) >= 3 && len(labels[i]) <= 3 && len(labels[len(labels)-1]) == 2 {
		i-- // bbc.co.uk, abc.net.au
	}
	return labels[i]
}

func alnumKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// languageNames maps the language names some pages put where a code
// belongs.
var languageNames = map[string]string{"english": "en", "german": "de", "deutsch": "de", "french": "fr",
	"français": "fr", "spanish": "es", "español": "es", "italian": "it", "italiano": "it",
	"portuguese": "pt", "português": "pt", "dutch": "nl", "nederlands": "nl"}

// normLanguage reduces a language tag ("en-US", "en_GB", "DE") to its
// lower-case primary subtag, or "" when v is not a language tag.
func normLanguage(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if code, ok := languageNames[v]; ok {
		return code
	}
	primary, _, _ := strings.Cut(strings.ReplaceAll(v, "_", "-"), "-")
	if len(primary) < 2 || len(primary) > 3 {
		return ""
	}
	for _, r := range primary {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return primary
}

// isNoise reports whether class/id names mark page furniture whose dates
// and names are not the article's (related links, sidebars), and whether
// they mark comments, whose dates are never the article's.
func isNoise(names []string) (noise, comments bool) {
	for _, tok := range names {
		if strings.Contains(tok, "comment") && !strings.Contains(tok, "commentary") || strings.Contains(tok, "disqus") {
			return true, true
		}
		for _, p := range noisePrefixes {
			if strings.HasPrefix(tok, p) {
				noise = true
			}
		}
	}
	return noise, false
}

var noisePrefixes = []string{"related", "recommend", "sidebar", "popular", "trending", "promo", "newsletter",
	"outbrain", "taboola", "recirc", "more-stories", "most-read", "mostread", "teaser", "footer", "nav"}

// tokens returns the lower-cased tokens of an element's class and id. The
// slice is reused from element to element (the walk visits every element,
// and allocating here dominated its cost), so it is valid only until the
// next call.
func (c *collector) tokens(class, id string) []string {
	c.toks = c.toks[:0]
	for _, s := range [2]string{class, id} {
		for f := range strings.FieldsSeq(s) {
			c.toks = append(c.toks, strings.ToLower(f))
		}
	}
	return c.toks
}

// hasWord reports whether the space-separated list s holds word, ignoring
// case.
func hasWord(s, word string) bool {
	for f := range strings.FieldsSeq(s) {
		if strings.EqualFold(f, word) {
			return true
		}
	}
	return false
}

// hasToken reports whether any class/id token contains one of the words.
func hasToken(names []string, words ...string) bool {
	for _, tok := range names {
		for _, w := range words {
			if strings.Contains(tok, w) {
				return true
			}
		}
	}
	return false
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// schemaType reduces "https://schema.org/NewsArticle" or "schema:Person" to
// "newsarticle"; of several types the first counts.
func schemaType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if f := strings.Fields(t); len(f) > 0 {
		t = f[0]
	}
	if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// typeName is a schema.org type without its URL prefix, in its own case:
// "https://schema.org/NewsArticle" gives "NewsArticle".
func typeName(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// itemValue is a microdata property's value as the microdata spec defines
// it, with a content attribute winning everywhere (as search engines read it).
func itemValue(n *html.Node) string {
	if v, ok := attrOK(n, "content"); ok {
		return v
	}
	switch n.DataAtom {
	case atom.Time:
		return firstNonEmpty(attr(n, "datetime"), spacedText(n))
	case atom.Img, atom.Audio, atom.Video, atom.Source, atom.Embed, atom.Iframe:
		return attr(n, "src")
	case atom.A, atom.Link, atom.Area:
		return attr(n, "href")
	case atom.Data, atom.Meter:
		return attr(n, "value")
	}
	return spacedText(n)
}

// itemText is the value of a text property (headline, author, a date):
// the content or datetime attribute, else the element's text, never a link
// target ("<a itemprop=author href=/jane>Jane Doe</a>" is "Jane Doe").
func itemText(n *html.Node) string {
	if v, ok := attrOK(n, "content"); ok {
		return v
	}
	if n.DataAtom == atom.Time {
		return firstNonEmpty(attr(n, "datetime"), spacedText(n))
	}
	if n.DataAtom == atom.Meta || n.DataAtom == atom.Link {
		return ""
	}
	return spacedText(n)
}

// findItemName returns the name of the item n starts (a Person, an
// Organization): its "name" property, or its text.
func findItemName(n *html.Node) string {
	if v := findItemProp(n, "name", itemText); v != "" {
		return v
	}
	if gn, fn := findItemProp(n, "givenname", itemText), findItemProp(n, "familyname", itemText); gn != "" || fn != "" {
		return strings.TrimSpace(gn + " " + fn)
	}
	return spacedText(n)
}

// findItemProp returns the value of the first descendant of n with itemprop
// prop (lower case).
func findItemProp(n *html.Node, prop string, value func(*html.Node) string) string {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode {
			continue
		}
		for _, p := range strings.Fields(strings.ToLower(attr(ch, "itemprop"))) {
			if p == prop {
				return value(ch)
			}
		}
		if v := findItemProp(ch, prop, value); v != "" {
			return v
		}
	}
	return ""
}

// JSON-LD

// parseJSONLD decodes the values in one ld+json script, repairing what
// publishers commonly break (see sanitizeJSON). What cannot be parsed is
// skipped; it never panics.
func parseJSONLD(raw string) []any {
	clean := sanitizeJSON(raw)
	var out []any
	// Values one after another, or separated by commas or semicolons.
	for rest := clean; ; {
		rest = strings.TrimLeft(rest, " \t\r\n,;")
		if rest == "" {
			break
		}
		dec := json.NewDecoder(strings.NewReader(rest))
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		out = append(out, v)
		rest = rest[dec.InputOffset():]
	}
	return out
}

// sanitizeJSON repairs the JSON-LD mistakes seen in the wild: HTML comments
// and CDATA markers around the script, JavaScript comments, trailing commas,
// raw newlines and tabs inside strings, and invalid escapes such as \'.
// It works on bytes outside and inside strings separately, so it never
// changes string contents other than those characters.
func sanitizeJSON(s string) string {
	var b bytes.Buffer
	b.Grow(len(s))
	inStr := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if inStr {
			switch {
			case ch == '\\' && i+1 < len(s):
				i++
				if strings.IndexByte(`"\/bfnrtu`, s[i]) >= 0 {
					b.WriteByte('\\')
				}
				b.WriteByte(s[i])
			case ch == '\\':
			case ch == '"':
				inStr = false
				b.WriteByte(ch)
			case ch < 0x20:
				fmt.Fprintf(&b, `\u%04x`, ch)
			default:
				b.WriteByte(ch)
			}
			continue
		}
		rest := s[i:]
		switch {
		case ch == '"':
			inStr = true
			b.WriteByte(ch)
		case strings.HasPrefix(rest, "<!--"):
			i += 3
		case strings.HasPrefix(rest, "-->"):
			i += 2
		case strings.HasPrefix(rest, "<![CDATA["):
			i += 8
		case strings.HasPrefix(rest, "]]>"):
			i += 2
		case strings.HasPrefix(rest, "//"):
			if j := strings.IndexByte(rest, '\n'); j >= 0 {
				i += j
			} else {
				i = len(s)
			}
		case strings.HasPrefix(rest, "/*"):
			if j := strings.Index(rest[2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(s)
			}
		case ch == ',':
			next := strings.TrimLeft(rest[1:], " \t\r\n")
			if next == "" || next[0] == '}' || next[0] == ']' {
				continue
			}
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// ldGraph indexes the objects of a page's JSON-LD.
type ldGraph struct {
	byID     map[string]map[string]any
	articles []map[string]any
	pages    []map[string]any
	sites    []map[string]any
}

// add indexes v: objects, arrays of objects, @graph lists, and the
// mainEntity of a page. Other nested objects are reached by reference.
func (g *ldGraph) add(v any, depth int) {
	if depth > 8 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			g.add(x, depth+1)
		}
	case map[string]any:
		if id, ok := v["@id"].(string); ok && id != "" && len(v) > 1 {
			if _, dup := g.byID[id]; !dup {
				g.byID[id] = v
			}
		}
		for _, t := range ldTypes(v) {
			switch {
			case articleTypes[t]:
				g.articles = append(g.articles, v)
			case pageTypes[t]:
				g.pages = append(g.pages, v)
			case t == "website":
				g.sites = append(g.sites, v)
			}
		}
		g.add(v["@graph"], depth+1)
		if me, ok := v["mainEntity"].(map[string]any); ok {
			g.add(me, depth+1)
		}
	}
}

// ldTypes returns an object's @type values, lower-cased, without a schema
// URL prefix.
func ldTypes(o map[string]any) []string {
	var out []string
	switch t := o["@type"].(type) {
	case string:
		out = append(out, schemaType(t))
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, schemaType(s))
			}
		}
	}
	return out
}

// resolve follows an {"@id": ...} reference to the object it names.
func (g *ldGraph) resolve(v any) any {
	if o, ok := v.(map[string]any); ok && len(o) == 1 {
		if id, ok := o["@id"].(string); ok {
			if full, ok := g.byID[id]; ok {
				return full
			}
		}
	}
	return v
}

// readJSONLD offers the fields of the page's article object: the one whose
// URL is this page, else the first with a headline, else the first (or,
// without an article, the WebPage object).
func (c *collector) readJSONLD(vals []any) {
	g := &ldGraph{byID: map[string]map[string]any{}}
	for _, v := range vals {
		g.add(v, 0)
	}
	art := c.chooseArticle(g.articles)
	if art == nil {
		art = c.chooseArticle(g.pages)
	}
	if art == nil {
		for _, s := range g.sites {
			c.offer(fSiteName, srcJSONLD, 1, ldText(s["name"]))
		}
		return
	}
	c.offer(fType, srcJSONLD, 0, typeName(ldString(art["@type"])))
	c.offer(fTitle, srcJSONLD, 0, firstNonEmpty(ldText(art["headline"]), ldText(art["name"])))
	c.offer(fDescription, srcJSONLD, 0, ldText(art["description"]))
	c.offer(fPublished, srcJSONLD, 0, ldString(art["datePublished"]))
	c.offer(fPublished, srcJSONLD, 1, ldString(art["dateCreated"]))
	c.offer(fModified, srcJSONLD, 0, ldString(art["dateModified"]))
	c.offer(fSection, srcJSONLD, 0, ldText(art["articleSection"]))
	c.offer(fImage, srcJSONLD, 0, absolute(c.base, g.imageURL(art["image"])))
	c.offer(fImage, srcJSONLD, 1, absolute(c.base, g.imageURL(art["thumbnailUrl"])))
	c.offer(fLanguage, srcJSONLD, 0, g.language(art["inLanguage"]))
	c.offer(fCanonical, srcJSONLD, 0, absolute(c.base, g.pageURL(art)))
	for _, k := range ldStrings(art["keywords"]) {
		c.offer(fKeywords, srcJSONLD, 0, k)
	}
	for _, a := range g.persons(art["author"]) {
		c.offer(fAuthors, srcJSONLD, 0, a)
	}
	if pub, ok := g.resolve(art["publisher"]).(map[string]any); ok {
		c.offer(fSiteName, srcJSONLD, 0, ldText(pub["name"]))
	}
	for _, s := range g.sites {
		c.offer(fSiteName, srcJSONLD, 1, ldText(s["name"]))
	}
	for _, p := range g.pages {
		c.offer(fPublished, srcJSONLD, 2, ldString(p["datePublished"]))
		c.offer(fModified, srcJSONLD, 2, ldString(p["dateModified"]))
	}
	c.body = plainText(ldString(art["articleBody"]))
}

func (c *collector) chooseArticle(objs []map[string]any) map[string]any {
	if len(objs) == 0 {
		return nil
	}
	here := urlKey(c.base.String())
	for _, o := range objs {
		for _, k := range []string{"url", "@id", "mainEntityOfPage"} {
			var u string
			switch v := o[k].(type) {
			case string:
				u = v
			case map[string]any:
				u, _ = v["@id"].(string)
			}
			if u != "" && urlKey(absolute(c.base, u)) == here {
				return o
			}
		}
	}
	for _, o := range objs {
		if ldText(o["headline"]) != "" {
			return o
		}
	}
	return objs[0]
}

// urlKey is a URL without scheme, "www.", query, fragment and trailing
// slash, for telling whether two URLs name one page.
func urlKey(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.Path, "/")
}

// persons returns the names of the people in a JSON-LD author value: a
// string, a Person, a reference, or an array of them. Organizations are
// left out: an agency or the publisher is not a person author.
func (g *ldGraph) persons(v any) []string {
	var out []string
	switch v := g.resolve(v).(type) {
	case string:
		out = append(out, html.UnescapeString(v))
	case []any:
		for _, x := range v {
			out = append(out, g.persons(x)...)
		}
	case map[string]any:
		for _, t := range ldTypes(v) {
			if strings.Contains(t, "organization") || t == "corporation" || t == "newsmediaorganization" {
				return nil
			}
		}
		name := ldText(v["name"])
		if name == "" {
			name = strings.TrimSpace(ldText(v["givenName"]) + " " + ldText(v["familyName"]))
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// imageURL returns the first image URL in a JSON-LD image value: a string,
// an ImageObject (url or contentUrl), a reference, or an array of them.
func (g *ldGraph) imageURL(v any) string {
	switch v := g.resolve(v).(type) {
	case string:
		return v
	case []any:
		for _, x := range v {
			if u := g.imageURL(x); u != "" {
				return u
			}
		}
	case map[string]any:
		return firstNonEmpty(ldString(v["url"]), ldString(v["contentUrl"]))
	}
	return ""
}

// language reads inLanguage: a code, or a Language object.
func (g *ldGraph) language(v any) string {
	switch v := g.resolve(v).(type) {
	case string:
		return v
	case map[string]any:
		return firstNonEmpty(ldString(v["alternateName"]), ldString(v["name"]))
	}
	return ""
}

// pageURL is the URL an article object says it lives at.
func (g *ldGraph) pageURL(o map[string]any) string {
	switch v := o["mainEntityOfPage"].(type) {
	case string:
		return v
	case map[string]any:
		if u := firstNonEmpty(ldString(v["@id"]), ldString(v["url"])); u != "" {
			return u
		}
	}
	return ldString(o["url"])
}

// ldString returns v if it is a string, or the first string of an array.
func ldString(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		for _, x := range v {
			if s := ldString(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldStrings returns every string in v (a string or an array).
func ldStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldText is ldString with HTML entities decoded and tags removed: JSON-LD
// headlines often arrive escaped ("Q&amp;A") or with <em> markup.
func ldText(v any) string {
	s := ldString(v)
	if strings.ContainsAny(s, "<&") {
		s = html.UnescapeString(anyTag.ReplaceAllString(s, ""))
	}
	return strings.Join(strings.Fields(s), " ")
}

// plainText turns an HTML or plain-text articleBody into paragraphs
// separated by blank lines, the form Extract gives the body text.
func plainText(s string) string {
	if s == "" {
		return ""
	}
	s = blockTag.ReplaceAllString(s, "\n")
	s = anyTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	var paras []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			paras = append(paras, line)
		}
	}
	return strings.Join(paras, "\n\n")
}

// inlineElements do not break words; every other element boundary counts
// as a space, so "Jeff Foust<br>Monday" does not read "Jeff FoustMonday".
var inlineElements = map[atom.Atom]bool{atom.A: true, atom.B: true, atom.I: true, atom.Em: true,
	atom.Strong: true, atom.Span: true, atom.Small: true, atom.Sup: true, atom.Sub: true, atom.U: true,
	atom.Abbr: true, atom.Font: true, atom.Mark: true, atom.Time: true}

// spacedTextMax is spacedText, or "" when n holds more than max bytes of
// text: a byline or date element that large is a container.
func spacedTextMax(n *html.Node, max int) string {
	size := 0
	var count func(*html.Node) bool
	count = func(n *html.Node) bool {
		if n.Type == html.TextNode {
			size += len(strings.TrimSpace(n.Data))
			return size <= max
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if !count(ch) {
				return false
			}
		}
		return true
	}
	if !count(n) {
		return ""
	}
	if t := spacedText(n); len(t) <= max {
		return t
	}
	return ""
}

// spacedText is n's text with whitespace collapsed and a space wherever a
// block element or <br> separates words.
func spacedText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			}
		}
		gap := n.Type == html.ElementNode && !inlineElements[n.DataAtom]
		if gap {
			b.WriteByte(' ')
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
		if gap {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
