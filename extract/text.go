package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
