package extract

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Kinds of page.
const (
	KindArticle = "article"
	KindIndex   = "index"
	KindGallery = "gallery"
	KindVideo   = "video"
	KindPaywall = "paywalled"
	KindError   = "error"
	KindStub    = "stub"
)

// MinProseWords is the body text, in paragraphs outside figures, that makes
// a page with many pictures an article rather than a gallery: a few real
// paragraphs.
const MinProseWords = 150

// MinCompleteness is the score below which an article is kept out of feeds
// and the podcast by default.
const MinCompleteness = 0.5

var (
	errorPage   = regexp.MustCompile(`(?i)\b(404|page not found|not be found|no longer available|access denied|server error|something went wrong)\b`)
	paywallText = regexp.MustCompile(`(?i)(subscribe to (continue|read)|subscribers only|to continue reading|already a subscriber|sign in to (continue|read)|create a free account to (continue|read)|this (article|content) is (for|available to) (subscribers|members))`)
	galleryURL  = regexp.MustCompile(`(?i)/(gallery|galleries|photos|pictures|in-pictures|slideshow)(/|-|$)`)
	videoURL    = regexp.MustCompile(`(?i)/(video|videos|watch)(/|-|$)`)
)

// pageShape is what the article node looks like.
type pageShape struct {
	images, paragraphs int
	// proseWords are the words of the paragraphs (of at least 8 words)
	// outside figures: the body text, as against captions.
	proseWords  int
	linkDensity float64
	hasVideo    bool
}

func shapeOf(n *html.Node) pageShape {
	var s pageShape
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inFigure bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Img, atom.Picture:
				s.images++
			case atom.P:
				if w := wordCount(n); w >= 8 {
					s.paragraphs++
					if !inFigure {
						s.proseWords += w
					}
				}
			case atom.Figure, atom.Figcaption:
				inFigure = true
			case atom.Video, atom.Iframe:
				s.hasVideo = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inFigure)
		}
	}
	if n != nil {
		walk(n, false)
		s.linkDensity = linkDensity(n)
	}
	return s
}

// subscriptionPrompt reports whether the page asks the reader to subscribe
// or sign in to read on; readability usually drops the prompt itself.
func subscriptionPrompt(doc *html.Node) bool {
	found := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found {
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		// Prompts are short; testing only short text nodes, and only those
		// with a telltale word, keeps this linear and cheap on huge pages.
		if n.Type == html.TextNode && len(n.Data) < 300 && promptHint(n.Data) && paywallText.MatchString(n.Data) {
			found = true
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// classify names the kind of page with the reason, and scores how complete
// the article is, from 0 (nothing usable) to 1.
func classify(a *Article, shape pageShape, path, ogType string, prompt bool) (kind, reason string, completeness float64) {
	words := a.WordCount
	ot := strings.ToLower(ogType)
	switch {
	case errorPage.MatchString(a.Title) && words < 300:
		kind, reason = KindError, fmt.Sprintf("title %q looks like an error page", a.Title)
	case shape.linkDensity > MaxLinkDensity:
		kind, reason = KindIndex, fmt.Sprintf("%.0f%% of the text is links", shape.linkDensity*100)
	case (strings.HasPrefix(ot, "video") || videoURL.MatchString(path) || shape.hasVideo) && words < 150:
		kind, reason = KindVideo, "a video with little text"
	case (galleryURL.MatchString(path) || shape.images >= 5) && words < 40*shape.images && shape.proseWords < MinProseWords:
		// Photo-led articles are articles: only pictures without body
		// text around them make a gallery.
		kind, reason = KindGallery, fmt.Sprintf("%d images and %d words, %d of them in paragraphs", shape.images, words, shape.proseWords)
	case prompt && words < 250:
		kind, reason = KindPaywall, "a teaser ending in a subscription prompt"
	case words < MinWords:
		kind, reason = KindStub, fmt.Sprintf("%d words, want at least %d", words, MinWords)
	default:
		kind = KindArticle
	}
	// Body length matters most; the rest is the metadata a reader expects.
	completeness = 0.5 * min(float64(words)/300, 1)
	if a.Title != "" {
		completeness += 0.15
	}
	if a.PublishedAt != nil {
		completeness += 0.1
	}
	if len(a.Authors) > 0 {
		completeness += 0.1
	}
	if a.ImageURL != "" {
		completeness += 0.05
	}
	if shape.paragraphs >= 3 {
		completeness += 0.1
	}
	if kind != KindArticle {
		completeness = min(completeness, MinCompleteness-0.01)
		if reason != "" && kind == KindStub {
			completeness = min(completeness, float64(words)/float64(MinWords)*0.3)
		}
	}
	return kind, reason, completeness
}

func promptHint(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "subscri") || strings.Contains(s, "sign in") || strings.Contains(s, "continue reading") ||
		strings.Contains(s, "free account") || strings.Contains(s, "available to")
}
