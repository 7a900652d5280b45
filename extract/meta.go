package extract

import (
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Metadata is what a page says about its article outside the body text.
type Metadata struct {
	Title       string
	Authors     []string
	Byline      string
	Published   *time.Time
	Modified    *time.Time
	Image       string
	SiteName    string
	Section     string
	Canonical   string
	Description string
	Keywords    []string
	Language    string
	// Sources names where each field came from, e.g. "title": "json-ld".
	Sources map[string]string
}

// readMetadata collects the metadata readability does not return.
func readMetadata(doc *html.Node, base *url.URL) Metadata {
	m := Metadata{Sources: map[string]string{}}
	var ogURL, author, bylineText string
	var timeTag, dateText *time.Time
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.Language = attr(n, "lang")
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.Canonical == "" {
					m.Canonical = absolute(base, attr(n, "href"))
				}
			case atom.Meta:
				switch strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"))) {
				case "og:url":
					ogURL = absolute(base, attr(n, "content"))
				case "og:title":
					m.Title = attr(n, "content")
				case "og:image":
					m.Image = attr(n, "content")
				case "author":
					author = attr(n, "content")
				}
			case atom.Time:
				if timeTag == nil {
					timeTag = ParseDate(firstNonEmpty(attr(n, "datetime"), textOf(n)))
				}
			}
			class := strings.ToLower(attr(n, "class") + " " + attr(n, "itemprop") + " " + attr(n, "rel"))
			if bylineText == "" && (strings.Contains(class, "byline") || strings.Contains(class, "author")) {
				if t := textOf(n); len(t) > 3 && len(t) < 100 {
					bylineText = t
				}
			}
			if dateText == nil && n.DataAtom != atom.Time && n.DataAtom != atom.Meta && (strings.Contains(class, "date") ||
				strings.Contains(class, "published") || strings.Contains(class, "timestamp")) {
				dateText = ParseDate(textOf(n))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if m.Canonical == "" {
		m.Canonical = ogURL
	}
	m.Published = timeTag
	if m.Published == nil {
		m.Published = dateText
	}
	m.Byline = firstNonEmpty(bylineText, author)
	return m
}
