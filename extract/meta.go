package extract

import (
	"net/url"
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

var ()

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
	// crumbSeen: the page's first breadcrumb trail has been read.
	crumbSeen bool
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
		if pi, pj := priority(f, cs[i]), priority(f, cs[j]); pi != pj {
			return pi < pj
		}
		return cs[i].rank < cs[j].rank
	})
	return cs
}

// priority is a candidate's place for field f: the source order, except
// that og:site_name names the site better than JSON-LD, whose publisher is
// the original publisher of a syndicated story ("Associated Press" on a
// newspaper's site), and that a JSON-LD breadcrumb trail names the section
// less surely than any explicit section tag, so it comes just before the
// breadcrumb markup.
func priority(f field, cand candidate) int {
	switch {
	case f == fSiteName && cand.src == srcOpenGraph:
		return -1
	case f == fSection && cand.src == srcJSONLD && cand.rank == rankBreadcrumbList:
		return 2*int(srcHTML) - 1
	}
	return 2 * int(cand.src)
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
	ctx, done := c.tag(n, ctx)
	if done {
		return ctx
	}
	return c.marks(n, ctx)
}

// tag reads what an element says by its tag name: the page's language,
// title, canonical link, meta tags, JSON-LD, the main <h1>, and whether it
// is the article or page furniture. done means the element is read whole.
func (c *collector) tag(n *html.Node, ctx walkCtx) (_ walkCtx, done bool) {
	switch n.DataAtom {
	case atom.Html:
		c.offer(fLanguage, srcHTML, 0, firstNonEmpty(attr(n, "lang"), attr(n, "xml:lang")))
	case atom.Head:
		ctx.inHead = true
	case atom.Title:
		if ctx.inHead && c.titleTag == "" && n.Namespace == "" {
			c.titleTag = spacedText(n)
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
		return ctx, true
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
			var b strings.Builder
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				b.WriteString(ch.Data)
			}
			c.jsonld = append(c.jsonld, b.String())
		}
		return ctx, true
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
	return ctx, false
}

// marks reads what an element says by its attributes: class and id names
// (furniture, comments, bylines, dates), microdata, rel=author.
func (c *collector) marks(n *html.Node, ctx walkCtx) walkCtx {
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
	if !c.crumbSeen && isBreadcrumb(n, names) {
		c.breadcrumbMarkup(n)
	}
	if prop != "" {
		c.microdata(n, ctx, prop)
	}
	if scoped {
		ctx.scope = schemaType(attr(n, "itemtype"))
	}
	if !ctx.noise && (len(names) > 0 || rel != "") {
		ctx = c.bylineElement(n, ctx, names, rel)
		if n.DataAtom != atom.Time {
			c.datedElement(n, ctx, names)
		}
	}
	return ctx
}

// datedElement offers the text of an element whose class or id says it
// holds the publication or modification date.
func (c *collector) datedElement(n *html.Node, ctx walkCtx, names []string) {
	if !hasToken(names, "date", "published", "timestamp", "pubdate") {
		return
	}
	rank := c.textRank(ctx)
	if t := spacedTextMax(n, 200); hasToken(names, "update", "modified") {
		c.offer(fModified, srcText, rank, t)
	} else {
		c.offer(fPublished, srcText, rank, t)
	}
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
	c.ldBreadcrumbs(ld)
	c.urlSection()
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

// cleanSection reduces "/columnists/" to "columnists" and a list
// ("game,news,slider") to its first entry.
func cleanSection(s string) string {
	if i := strings.IndexAny(s, ",;|"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(strings.Trim(s, "/ "))
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
