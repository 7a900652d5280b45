package audio

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsline/newsline"
)

// ScriptFor returns the script of an article: its title, a byline of its
// authors, site and date, and its body by paragraph with its section
// headings, taken from the sanitized HTML (where headings are marked)
// or, without HTML, from the plain text.
func ScriptFor(a *newsline.Article) Script {
	sc := Script{Title: a.Title, Authors: a.Authors, Site: a.SiteName, Lang: a.Language}
	if sc.Site == "" {
		sc.Site = strings.TrimPrefix(a.Site, "www.")
	}
	if a.PublishedAt != nil {
		sc.Date = *a.PublishedAt
	}
	if a.HTML != "" {
		sc.Body = htmlBlocks(a.HTML)
	}
	if len(sc.Body) == 0 {
		sc.Body = textBlocks(a.Text)
	}
	// The body often repeats the headline.
	if len(sc.Body) > 0 && strings.EqualFold(collapseSpace(sc.Body[0].Text), collapseSpace(sc.Title)) {
		sc.Body = sc.Body[1:]
	}
	return sc
}

// Tags returns the ID3 tags of the script's episode.
func (s Script) Tags(album, sourceURL string) Tags {
	return Tags{Title: s.Title, Artist: s.Site, Album: album, Date: s.Date, Comment: sourceURL}
}

// textBlocks splits plain text into paragraphs at blank lines.
func textBlocks(text string) []Block {
	var out []Block
	for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = collapseSpace(p); p != "" {
			out = append(out, Block{Text: p})
		}
	}
	return out
}

// skipped are elements whose text is not read: captions, asides, code,
// tables (which make no sense read out), forms and embedded media.
var skipped = map[atom.Atom]bool{
	atom.Figure: true, atom.Figcaption: true, atom.Aside: true, atom.Nav: true, atom.Pre: true,
	atom.Code: true, atom.Table: true, atom.Form: true, atom.Script: true, atom.Style: true,
	atom.Iframe: true, atom.Video: true, atom.Audio: true, atom.Picture: true, atom.Noscript: true,
	atom.Button: true, atom.Svg: true, atom.Footer: true,
}

var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// Elements that end a block of text.
var blockElems = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Blockquote: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Dd: true, atom.Dt: true,
}

// htmlBlocks walks the body's HTML: headings become heading blocks, other
// block elements paragraphs; inline markup is flattened.
func htmlBlocks(body string) []Block {
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var (
		out []Block
		cur strings.Builder
	)
	flush := func(heading bool) {
		if t := collapseSpace(cur.String()); t != "" {
			out = append(out, Block{Text: t, Heading: heading})
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[n.DataAtom] {
				return
			}
			if headings[n.DataAtom] {
				flush(false)
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				flush(true)
				return
			}
			if n.DataAtom == atom.Br {
				cur.WriteByte(' ')
			}
		}
		block := n.Type == html.ElementNode && blockElems[n.DataAtom]
		if block {
			flush(false)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			if n.DataAtom == atom.Li {
				// A list item is read as a sentence of its own.
				if t := strings.TrimSpace(cur.String()); t != "" && !strings.ContainsAny(t[len(t)-1:], ".!?:;") {
					cur.WriteByte('.')
				}
			}
			flush(false)
		}
	}
	walk(root)
	flush(false)
	return out
}
