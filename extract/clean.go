package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cleanBody removes boilerplate that readability keeps inside the article
// node: captions and credits, share and newsletter blocks, related-link
// lists, teasers. It edits n in place.
//
// It works in two linear passes over the subtree:
//
//  1. Element pass: drop whole elements that are boilerplate by markup
//     (navigation, figure captions, forms, elements whose id or class names
//     a known boilerplate widget, link-dense lists).
//  2. Block pass: split what is left into the paragraphs blockText will
//     print and drop those that are boilerplate by their text (captions and
//     credits, calls to action, contact lines, a repeated title or byline
//     above the body, "related" headings and lists below it, repeats).
//
// Readability strips class attributes, so most markup signals come from
// tag names, ids, roles and itemprops; class tokens are honoured when
// present.
func cleanBody(n *html.Node, m *Metadata) {
	if n == nil {
		return
	}
	sizes := map[*html.Node]int{}
	total := cleanTextLens(n, sizes)
	if total == 0 {
		return
	}
	cleanElements(n, sizes, total)
	var title string
	if m != nil {
		title = m.Title
	}
	cleanBlocks(n, title)
}

// maxBoilerShare is the largest share of the article's text an element may
// hold and still be removed for its markup alone. A widget that big is more
// likely a wrapper of the story (id="article-comments-and-body" and the like)
// than boilerplate, and losing the body costs far more than keeping a widget.
const maxBoilerShare = 0.2

// cleanElements is pass 1: it removes elements that are boilerplate by
// markup. sizes holds each element's text length, total the article's.
func cleanElements(n *html.Node, sizes map[*html.Node]int, total int) {
	var next *html.Node
	for c := n.FirstChild; c != nil; c = next {
		next = c.NextSibling
		if c.Type != html.ElementNode {
			continue
		}
		if cleanIsBoilerElement(c, sizes[c], total) {
			n.RemoveChild(c)
			continue
		}
		cleanElements(c, sizes, total)
	}
}

// cleanIsBoilerElement reports whether an element is boilerplate by its
// markup alone.
func cleanIsBoilerElement(n *html.Node, size, total int) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Footer, atom.Form, atom.Button, atom.Select, atom.Textarea,
		atom.Input, atom.Label, atom.Figcaption, atom.Script, atom.Style, atom.Noscript, atom.Template:
		// Never article prose: site navigation, sidebars, page footers,
		// widgets, and image captions (the story does not depend on them).
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "menu", "menubar", "banner", "contentinfo", "complementary", "search", "toolbar", "dialog", "alert", "tablist":
		return true
	}
	if float64(size) > maxBoilerShare*float64(total) {
		return false
	}
	if cleanHasBoilerName(n) {
		return true
	}
	if n.DataAtom == atom.Header {
		// A <header> inside the article holds the kicker, title, dek,
		// byline and date, none of which belong to the body text.
		return true
	}
	if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		return cleanIsLinkList(n)
	}
	return false
}

// boilerTokens are words that, as a whole token of an id, class or itemprop,
// name a widget rather than prose. The list is the usual set from
// readability-style extractors (Boilerpipe, jusText, trafilatura).
var boilerTokens = map[string]bool{
	"caption": true, "credit": true, "credits": true, "share": true, "sharing": true, "social": true,
	"newsletter": true, "subscribe": true, "subscription": true, "signup": true, "promo": true,
	"related": true, "recommended": true, "recommendations": true, "popular": true, "trending": true,
	"tags": true, "breadcrumb": true, "breadcrumbs": true, "byline": true, "dateline": true,
	"comment": true, "comments": true, "advert": true, "advertisement": true, "ad": true, "ads": true,
	"sponsor": true, "sponsored": true, "nav": true, "navigation": true, "menu": true, "toolbar": true,
	"print": true, "readmore": true, "outbrain": true, "taboola": true, "footer": true, "sidebar": true,
	"gallery": true, "author": true, "bio": true, "disclaimer": true, "timestamp": true,
	"label": true, "kicker": true, "eyebrow": true, "meta": true,
}

// cleanHasBoilerName reports whether the id, class or itemprop of n names a
// boilerplate widget.
func cleanHasBoilerName(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "id", "class", "itemprop", "data-component", "data-module":
		default:
			continue
		}
		for _, tok := range cleanNameTokens(a.Val) {
			if boilerTokens[tok] {
				return true
			}
		}
	}
	return false
}

// cleanNameTokens splits an attribute value such as "articleLabel__list
// read-more" into lower-case words: on punctuation and at camelCase
// boundaries, so "shareBar" yields "share" and "bar".
func cleanNameTokens(s string) []string {
	var toks []string
	start := -1
	var prev rune
	flush := func(i int) {
		if start >= 0 {
			toks = append(toks, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case !unicode.IsLetter(r):
			flush(i)
		case unicode.IsUpper(r) && start >= 0 && unicode.IsLower(prev):
			flush(i)
			start = i
		case start < 0:
			start = i
		}
		prev = r
	}
	flush(len(s))
	return toks
}

// cleanIsLinkList reports whether a list is a list of links (navigation,
// "related stories"): most of its text is linked and its items are short.
// Lists of prose items keep their text outside links or run long.
func cleanIsLinkList(n *html.Node) bool {
	var items, words int
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Li {
			items++
			words += wordCount(c)
		}
	}
	if items < 2 {
		return false
	}
	// Both thresholds follow readability's own link-density cut-off for
	// conditional cleaning, made stricter because this removes outright.
	return linkDensity(n) > 0.7 && words/items <= 12
}

// cleanTextLens returns the number of non-space runes in n's text and
// records it in sizes for n and every element below it, in one pass.
func cleanTextLens(n *html.Node, sizes map[*html.Node]int) int {
	if n.Type == html.TextNode {
		k := 0
		for _, r := range n.Data {
			if !unicode.IsSpace(r) {
				k++
			}
		}
		return k
	}
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		k += cleanTextLens(c, sizes)
	}
	if n.Type == html.ElementNode {
		sizes[n] = k
	}
	return k
}

// block is one paragraph as blockText will print it: either a block
// element with no block descendants, or a run of inline siblings.
type block struct {
	nodes   []*html.Node
	text    string
	words   int
	heading bool
	item    bool    // an <li>, <dt> or <dd>: list items are short by nature
	linked  float64 // share of the text inside links
}

func (b *block) remove() {
	for _, n := range b.nodes {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// cleanCollectBlocks returns the paragraphs of n in document order.
func cleanCollectBlocks(n *html.Node) []*block {
	hasBlock := map[*html.Node]bool{}
	var mark func(*html.Node) bool
	mark = func(n *html.Node) bool {
		any := false
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if mark(c) {
				any = true
			}
		}
		if any {
			hasBlock[n] = true
		}
		return any || isBlock(n)
	}
	mark(n)

	var out []*block
	var run []*html.Node
	flush := func() {
		if len(run) > 0 {
			if b := cleanNewBlock(run); b != nil {
				out = append(out, b)
			}
			run = nil
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case hasBlock[c]:
				flush()
				walk(c)
				flush()
			case isBlock(c):
				flush()
				if b := cleanNewBlock([]*html.Node{c}); b != nil {
					out = append(out, b)
				}
			default:
				run = append(run, c)
			}
		}
	}
	walk(n)
	flush()
	return out
}

func cleanNewBlock(nodes []*html.Node) *block {
	var w textWalk
	for _, n := range nodes {
		w.node(n, false)
	}
	text := w.spaced()
	if text == "" {
		return nil
	}
	bl := &block{nodes: nodes, text: text, words: len(strings.Fields(text)), linked: w.linkShare()}
	if len(nodes) == 1 {
		switch nodes[0].DataAtom {
		case atom.Li, atom.Dt, atom.Dd:
			bl.item = true
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			bl.heading = true
		}
	}
	return bl
}

// proseWords is the fewest words a paragraph needs to count as article
// prose when finding where the body starts and ends: a sentence or two.
// Titles, bylines, datelines, captions credits and promos are shorter.
const proseWords = 15

// Word limits for the text rules. A pattern match only marks a paragraph
// as boilerplate when the paragraph is short enough to be nothing else; in a
// longer one the story is more likely talking about photos or newsletters.
const (
	// contactWords bounds the strong signals: a credit in a caption, an
	// email address, "may be reached at", "follow him on". Captions and
	// author blurbs run to two or three sentences.
	contactWords = 45
	// promoWords bounds the weak signals: a call to action at the start,
	// "newsletter", "subscribe", "sign up" anywhere. A promo is one
	// sentence.
	promoWords = 25
	// metaWords bounds datelines and bylines: a name or a date and a few
	// words around it.
	metaWords = 12
)

var (
	reEmail = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.-]+`)
	reURL   = regexp.MustCompile(`^(https?://|www\.)\S+$`)
	// Caption credits: "Photo: X", "(Image: GETTY)", "Credit: EPA",
	// "(AP Photo/David Zalubowski)", "Photograph by X", "[File: Reuters]".
	reCredit = regexp.MustCompile(`(?i)(^|[\s(\[.])(photo|image|picture|photograph|illustration|video|source|file)s?( credit)?\s*(:|by\b)|(^|[\s(\[.a-z])credits?\s*:|\(AP Photo|\bGetty Images\b|\bShutterstock\b|^\(?Image credit`)
	// Author contact lines and agency sign-offs.
	reContact = regexp.MustCompile(`(?i)\b(may be reached at|can be reached at|follow (him|her|them|me|us) on|contributed to this report)\b`)
	// Calls to action and link teasers that open a paragraph.
	reCTA = regexp.MustCompile(`(?i)^(subscribe|sign up|sign-up|click here|read more|read also|see more|more:|related|also on|also read|don't miss|do not miss|you may also like|you might also like|recommended|most popular|most read|trending|follow us|follow (him|her|them|me)|like this story|share this|share on|get the latest|join our|want more|need more|listen:|download|watch:|tags?\b|filed under|posted in|categories|comments?\b|advertisement|more (stories|news|from)|on [\w.]+\.com:)`)
	// Promo words anywhere in a short paragraph.
	rePromo = regexp.MustCompile(`(?i)\b(newsletters?|sign up|subscribe)\b`)
	// Labels over lists of links to other stories.
	reRelated = regexp.MustCompile(`(?i)^(more\b|related\b|recommended|read (more|next|also)|see (also|more)|also (read|on|see)|you (may|might) (also )?like|don'?t miss|most (popular|read|viewed|shared)|trending|popular|top stories|latest (news|stories))`)
	// Lines that are only a date or "Published ... / Updated ...".
	reDateline = regexp.MustCompile(`(?i)^(published|updated|posted|first published|last updated|modified)\b|^\d{1,2}(:\d\d)?\s*(am|pm)\b`)
	reByline   = regexp.MustCompile(`(?i)^by\s+\p{Lu}`)
)

// cleanBlocks is pass 2: it drops paragraphs that are boilerplate by their
// text and position.
func cleanBlocks(n *html.Node, title string) {
	blocks := cleanCollectBlocks(n)
	first, last := proseBounds(blocks)
	if first < 0 {
		// No prose at all: nothing to anchor on; keep the page as is.
		return
	}
	drop := make([]bool, len(blocks))
	dropHeader(blocks[:first], drop, title)
	dropTrailer(blocks, last, drop)
	dropAnywhere(blocks, drop)
	for i, b := range blocks {
		if drop[i] {
			b.remove()
		}
	}
}

// proseBounds returns the indexes of the first and last paragraphs of
// prose, or -1, -1 when there is none.
func proseBounds(blocks []*block) (first, last int) {
	first, last = -1, -1
	for i, b := range blocks {
		if !b.heading && b.words >= proseWords && b.linked < 0.5 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// dropHeader marks the boilerplate among the paragraphs above the first
// prose paragraph.
func dropHeader(head []*block, drop []bool, title string) {
	// Above the first prose paragraph sits the article's header: kicker,
	// title, byline, date, the page URL. Drop the title (by metadata or
	// as the <h1>), labels of at most three words that are not sentences
	// or list items, and meta lines. Lower headings stay: bodies often
	// open with a section heading.
	normTitle := cleanNorm(title)
	for i, b := range head {
		switch {
		case normTitle != "" && cleanNorm(b.text) == normTitle:
			drop[i] = true
		case b.heading && b.nodes[0].DataAtom == atom.H1:
			drop[i] = true
		case b.words <= 3 && !b.item && !b.heading && !cleanIsSentence(b.text):
			drop[i] = true
		case cleanIsMetaLine(b), reURL.MatchString(b.text):
			drop[i] = true
		}
	}
}

// dropTrailer marks the boilerplate among the paragraphs after the last
// prose paragraph.
func dropTrailer(blocks []*block, last int, drop []bool) {
	// Below the last prose paragraph come "more stories" lists, their
	// headings and sign-offs: a heading with no prose after it titles
	// nothing of the story, a link-dense or four-word line is a teaser or
	// a label.
	for i := last + 1; i < len(blocks); i++ {
		b := blocks[i]
		if b.heading || b.linked >= 0.5 || b.words <= 4 || cleanIsMetaLine(b) {
			drop[i] = true
		}
	}
}

// dropAnywhere marks captions, credits, promos, contact lines, link teasers
// and repeats wherever they stand.
func dropAnywhere(blocks []*block, drop []bool) {
	seen := map[string]int{}
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		if drop[i] {
			continue
		}
		if !b.item && b.words <= 6 && reRelated.MatchString(b.text) {
			// A "Related" / "More stories" label: drop it and the list
			// of links it introduces, up to the next real paragraph.
			drop[i] = true
			for i+1 < len(blocks) && (blocks[i+1].item || blocks[i+1].linked >= 0.5) {
				i++
				drop[i] = true
			}
			continue
		}
		if cleanIsMetaLine(b) {
			drop[i] = true
			continue
		}
		// Repeats: galleries and responsive markup print a caption twice
		// in a row. Only near repeats count: recipes and schedules repeat
		// lines on purpose, sections apart.
		key := cleanNorm(b.text)
		if j, ok := seen[key]; ok && i-j <= repeatWindow {
			drop[i] = true
			continue
		}
		seen[key] = i
	}
}

// cleanIsMetaLine reports whether a paragraph is a caption credit, call to
// action, contact line, link teaser, dateline or byline by its text.
func cleanIsMetaLine(b *block) bool {
	t, w := b.text, b.words
	switch {
	case w <= contactWords && (reCredit.MatchString(t) || reEmail.MatchString(t) || reContact.MatchString(t)):
		return true
	case w <= promoWords && (reCTA.MatchString(t) || rePromo.MatchString(t)):
		return true
	case w <= metaWords && (reDateline.MatchString(t) || reByline.MatchString(t) || ParseDate(t) != nil):
		return true
	}
	return false
}

// cleanNorm lower-cases s and keeps only letters and digits, so a title
// matches its copy in the body despite punctuation and spacing.
func cleanNorm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// repeatWindow is how many paragraphs back a repeat may be found and
// still be dropped as a markup artefact.
const repeatWindow = 4

// cleanIsSentence reports whether s ends like a sentence.
func cleanIsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…:;\"”»)", r)
}
