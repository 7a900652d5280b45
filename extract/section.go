package extract

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The section an article belongs to, when the page does not state it as
// articleSection or a section meta tag, comes from its breadcrumbs (JSON-LD
// BreadcrumbList, then breadcrumb markup) and last from the URL's first
// path segment ("/world/2026/…"). Each is offered at a lower priority than
// an explicit section, so field_sources says which one was used.

// Ranks of the section's candidates within their source.
const (
	rankBreadcrumbList = 1 // after articleSection (rank 0) in JSON-LD
)

// crumb is one step of a breadcrumb trail.
type crumb struct{ name, href string }

// sectionFromCrumbs is the deepest step of a trail that is neither the
// home page nor this page: "Home › World › Europe › Title" is Europe.
func (c *collector) sectionFromCrumbs(trail []crumb) string {
	here := urlKey(c.base.String())
	home := urlKey(c.base.Scheme + "://" + c.base.Host + "/")
	for _, cr := range slices.Backward(trail) {
		name := strings.Join(strings.Fields(cr.name), " ")
		if name == "" || len(name) > 60 {
			continue
		}
		if cr.href != "" {
			k := urlKey(absolute(c.base, cr.href))
			if k == here {
				continue
			}
			if k == home {
				return "" // only the home page is above this one
			}
		} else if cr == trail[len(trail)-1] {
			continue // the unlinked last step is this page's title
		}
		return name
	}
	return ""
}

// ldBreadcrumbs offers the section a JSON-LD BreadcrumbList names.
func (c *collector) ldBreadcrumbs(vals []any) {
	var lists []map[string]any
	var find func(v any, depth int)
	find = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				find(x, depth+1)
			}
		case map[string]any:
			if slices.Contains(ldTypes(v), "breadcrumblist") {
				lists = append(lists, v)
				return
			}
			find(v["@graph"], depth+1)
			find(v["breadcrumb"], depth+1)
		}
	}
	find(vals, 0)
	for _, l := range lists {
		items, _ := l["itemListElement"].([]any)
		var trail []crumb
		for _, it := range items {
			o, ok := it.(map[string]any)
			if !ok {
				continue
			}
			cr := crumb{name: ldText(o["name"])}
			switch item := o["item"].(type) {
			case string:
				cr.href = item
			case map[string]any:
				cr.name = firstNonEmpty(cr.name, ldText(item["name"]))
				cr.href = firstNonEmpty(ldString(item["@id"]), ldString(item["url"]))
			}
			trail = append(trail, cr)
		}
		if s := c.sectionFromCrumbs(trail); s != "" {
			c.offer(fSection, srcJSONLD, rankBreadcrumbList, s)
			return
		}
	}
}

// isBreadcrumb reports whether an element is a breadcrumb trail by its
// class, id, ARIA label or microdata type.
func isBreadcrumb(n *html.Node, names []string) bool {
	return hasToken(names, "breadcrumb") ||
		strings.Contains(strings.ToLower(attr(n, "aria-label")), "breadcrumb") ||
		strings.Contains(attr(n, "itemtype"), "BreadcrumbList")
}

// breadcrumbMarkup offers the section a breadcrumb element's links name.
// Only the first trail on the page counts.
func (c *collector) breadcrumbMarkup(n *html.Node) {
	if c.crumbSeen {
		return
	}
	c.crumbSeen = true
	var trail []crumb
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			trail = append(trail, crumb{name: spacedText(n), href: attr(n, "href")})
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	if s := c.sectionFromCrumbs(trail); s != "" {
		c.offer(fSection, srcHTML, 0, s)
	}
}

// notSections are first path segments that name no section: article
// containers, languages, formats.
var notSections = map[string]bool{
	"news": true, "article": true, "articles": true, "story": true, "stories": true, "content": true,
	"post": true, "posts": true, "blog": true, "blogs": true, "item": true, "items": true, "p": true,
	"a": true, "s": true, "amp": true, "www": true, "index": true, "page": true, "pages": true,
	"nachrichten": true, "artikel": true, "noticias": true, "actualites": true, "en": true, "de": true,
	"fr": true, "es": true, "it": true, "uk": true, "us": true, "html": true, "default": true,
}

// urlSection offers the first path segment as the section when more of
// the path follows it and it is a plain word ("/world/2026/…" is World).
func (c *collector) urlSection() {
	segs := strings.Split(strings.Trim(c.base.Path, "/"), "/")
	if len(segs) < 2 {
		return
	}
	s := strings.ToLower(segs[0])
	if len(s) < 3 || len(s) > 30 || notSections[s] || strings.Contains(s, ".") {
		return
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '-' && r != '_' {
			return
		}
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	if len(words) == 0 || len(words) > 3 {
		return
	}
	for i, w := range words {
		words[i] = capitalizeWord(w)
	}
	c.offer(fSection, srcURL, 0, strings.Join(words, " "))
}

func capitalizeWord(w string) string {
	r := []rune(w)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
