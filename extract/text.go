package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// textBreak is what an element's boundaries put between the words around
// it when the element is read as text.
type textBreak uint8

const (
	// breakNone: phrasing elements (<a>, <em>, <span>, ...) sit inside a
	// word run; "<b>New</b>s" reads "News".
	breakNone textBreak = iota
	// breakSpace: any other element separates words, so "Jeff
	// Foust<td>Monday" does not read "Jeff FoustMonday".
	breakSpace
	// breakLine: <br> ends a line; two in a row end a paragraph, as many
	// templates write them.
	breakLine
	// breakParagraph: block elements are paragraphs of their own.
	breakParagraph
)

// breakOf is the one element table every text reading of the package uses:
// the body text (blockText), the paragraphs cleanBody judges, and
// metadata values (spacedText). It names the phrasing elements, <br> and
// the block elements; every other element separates words: an
// extra space costs less than two words glued together. That includes
// elements without an atom: custom elements, and those go-readability
// creates (the <p> that replaces a run of <br>s) by setting Data alone;
// taking those for paragraphs would be truer but changes what cleanBody
// keeps, so it waits for a change measured on its own.
func breakOf(a atom.Atom) textBreak {
	switch a {
	case atom.A, atom.Abbr, atom.Acronym, atom.B, atom.Bdi, atom.Bdo, atom.Big, atom.Cite, atom.Code,
		atom.Data, atom.Del, atom.Dfn, atom.Em, atom.Font, atom.I, atom.Ins, atom.Kbd, atom.Mark,
		atom.Nobr, atom.Q, atom.S, atom.Samp, atom.Small, atom.Span, atom.Strike, atom.Strong,
		atom.Sub, atom.Sup, atom.Time, atom.Tt, atom.U, atom.Var, atom.Wbr:
		return breakNone
	case atom.Br:
		return breakLine
	case atom.P, atom.Div, atom.Section, atom.Article, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Li, atom.Ul, atom.Ol, atom.Blockquote, atom.Pre, atom.Table, atom.Tr, atom.Figure, atom.Figcaption,
		atom.Header, atom.Footer, atom.Aside, atom.Dl, atom.Dt, atom.Dd, atom.Hr:
		return breakParagraph
	}
	return breakSpace
}

// isBlock reports whether n is an element that is a paragraph of its own.
func isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && breakOf(n.DataAtom) == breakParagraph
}

// breakText is how each break is written; blockText keeps the line and
// paragraph marks, spacedText folds them all into single spaces.
var breakText = [...]string{breakNone: "", breakSpace: " ", breakLine: "\n", breakParagraph: "\n\n"}

// textWalk is the package's single node-to-text walk. It writes the text
// a reader sees, with breakOf's marks at element boundaries, and counts
// how much of it sits inside links.
type textWalk struct {
	b strings.Builder
	// all and linked count non-space bytes: all text, and text inside <a>.
	all, linked int
	// max, when positive, stops the walk once all exceeds it.
	max int
}

// node walks n; inLink says whether n is inside an <a>. It returns false
// when the walk stopped at max.
func (w *textWalk) node(n *html.Node, inLink bool) bool {
	switch n.Type {
	case html.TextNode:
		w.b.WriteString(n.Data)
		k := len(strings.TrimSpace(n.Data))
		w.all += k
		if inLink {
			w.linked += k
		}
		return w.max <= 0 || w.all <= w.max
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Rt, atom.Rp:
			// Ruby annotations (<rt>, furigana over kanji) are a reading
			// aid, not text: read inline they repeat every word.
			return true
		case atom.A:
			inLink = true
		}
		brk := breakOf(n.DataAtom)
		w.b.WriteString(breakText[brk])
		if !w.children(n, inLink) {
			return false
		}
		if brk != breakLine {
			// <br> ends one line, not two.
			w.b.WriteString(breakText[brk])
		}
		return true
	}
	return w.children(n, inLink)
}

func (w *textWalk) children(n *html.Node, inLink bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !w.node(c, inLink) {
			return false
		}
	}
	return true
}

// linkShare is the share of the walked text that sits inside links.
func (w *textWalk) linkShare() float64 {
	if w.all == 0 {
		return 0
	}
	return float64(w.linked) / float64(w.all)
}

// spaced is the walked text on one line, whitespace collapsed.
func (w *textWalk) spaced() string {
	return strings.Join(strings.Fields(w.b.String()), " ")
}

// blockText renders a node as plain text with a blank line between blocks,
// so paragraphs survive into the stored text.
func blockText(n *html.Node) string {
	var w textWalk
	w.node(n, false)
	var paras []string
	for p := range strings.SplitSeq(w.b.String(), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// spacedText is n's text on one line: whitespace collapsed, and a space
// wherever an element separates words.
func spacedText(n *html.Node) string {
	var w textWalk
	w.node(n, false)
	return w.spaced()
}

// spacedTextMax is spacedText, or "" when n holds more than max bytes of
// text: a byline or date element that large is a container.
func spacedTextMax(n *html.Node, max int) string {
	w := textWalk{max: max}
	if !w.node(n, false) {
		return ""
	}
	if t := w.spaced(); len(t) <= max {
		return t
	}
	return ""
}

// linkDensity is the share of n's text that sits inside <a> elements.
func linkDensity(n *html.Node) float64 {
	var w textWalk
	w.node(n, false)
	return w.linkShare()
}

// wordCount is the number of words in n's text, in any script
// (CountWords).
func wordCount(n *html.Node) int {
	var w textWalk
	w.node(n, false)
	return CountWords(w.b.String())
}
