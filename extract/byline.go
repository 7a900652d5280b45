package extract

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

var (
	// bylineEnd is where a byline's names end: at a date, "Updated", or
	// "Published".
	bylineEnd = regexp.MustCompile(`(?i)(?:updated|posted|published|last modified|publiziert|veröffentlicht)\b`)
	// bylineTail is what is left before a cut-off date: a weekday, "on",
	// separators.
	bylineTail = regexp.MustCompile(`(?i)(?:[\s|,•·/:–—-]+|\s+(?:on|at|am|le|el|il|de|vom)|\s+(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?)$`)
)

// bylineCand is an element that looks like a byline or an author name.
type bylineCand struct {
	text      string
	isByline  bool // class or id says "byline", not just "author"
	inArticle bool
	parent    *html.Node
	outer     *bylineCand
	inner     []*bylineCand
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
