package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
