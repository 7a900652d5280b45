// Package extract turns a fetched HTML page into an article: go-readability
// finds the body; page metadata fills in what readability leaves out.
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	readability "github.com/go-shiori/go-readability"
	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsline/newsline"
)

// Article is what Extract returns; the store keeps it as is.
type Article = newsline.Article

// Limits that keep junk and hostile pages out.
const (
	// MaxPageBytes is the largest page Extract parses.
	MaxPageBytes = 5 << 20
	// MinWords is the fewest body words (CountWords: in any script) a page
	// needs to count as an article.
	MinWords = 50
)

// MaxLinkDensity is the largest share of body text inside links that an
// article may have; index and section pages are mostly links.
const MaxLinkDensity = 0.5

// ErrNotArticle means the page parsed but holds nothing to store: no title
// and no text. Pages that hold something, but not a whole article (an index,
// an error page, a stub), are returned with their Kind and reason instead.
var ErrNotArticle = errors.New("not an article")

// ErrTooLarge means the page is over MaxPageBytes.
var ErrTooLarge = errors.New("page too large")

// ErrTooComplex means the page has more elements than MaxElements or more
// text than MaxTextBytes; no real article needs that many, and
// readability's cost grows with both.
var ErrTooComplex = errors.New("page too complex")

// analysisBytes is how much of the text keywords and the summary read.
const analysisBytes = 64 << 10

// MaxElements and MaxTextBytes bound what readability analyses, so that
// any page within MaxPageBytes is done in well under a second (see
// BenchmarkLargePage). The longest news articles have about 100 KB of text.
const (
	MaxElements  = 60000
	MaxTextBytes = 1 << 20
)

// Extractor extracts articles. Its zero value is not usable; use New.
type Extractor struct {
	sanitizer *bluemonday.Policy
	languages siteLanguages
	docFreq   DocFreq
}

// New returns an Extractor. It is safe for concurrent use.
func New() *Extractor {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return &Extractor{sanitizer: p}
}

// WithDocFreq returns a copy of x that weighs keywords against df's corpus
// statistics.
func (x *Extractor) WithDocFreq(df DocFreq) *Extractor {
	c := *x
	c.docFreq = df
	return &c
}

// Extract returns the article in page, fetched from pageURL. The page must
// already be UTF-8 (the crawler converts it).
func (x *Extractor) Extract(ctx context.Context, pageURL string, page []byte) (Article, error) {
	if err := ctx.Err(); err != nil {
		return Article{}, err
	}
	u, doc, err := parsePage(pageURL, page)
	if err != nil {
		return Article{}, err
	}
	meta := readMetadata(doc, u)
	if err := checkComplexity(doc); err != nil {
		return Article{}, err
	}
	parser := readability.NewParser()
	// Classes tell boilerplate widgets from text (cleanBody); the
	// sanitizer drops them from the stored HTML anyway.
	parser.KeepClasses = true
	r, err := parser.ParseDocument(doc, u)
	if err != nil {
		return Article{}, fmt.Errorf("extract: %w: readability found no content: %v", ErrNotArticle, err)
	}
	if err := ctx.Err(); err != nil {
		return Article{}, err
	}
	a := fromMetadata(pageURL, u, &meta, &r)
	a.Text, a.HTML = x.body(&a, &meta, &r, secondOpinion(doc, u))
	a.WordCount = CountWords(a.Text)
	// The metadata holds the declared language, if it is a language tag
	// at all; decideLanguage weighs it against the text.
	a.Language = x.decideLanguage(meta.Language, a.Text)
	a.TSConfig = newsline.TSConfig(a.Language)
	if a.Title == "" && a.WordCount == 0 {
		return a, fmt.Errorf("extract: %w: no title and no text", ErrNotArticle)
	}
	if err := ctx.Err(); err != nil {
		return a, err
	}
	x.analyse(ctx, &a)
	a.Kind, a.KindReason, a.Completeness = classify(&a, shapeOf(r.Node), u.Path, meta.Type, subscriptionPrompt(doc))
	return a, nil
}

// parsePage checks the page's size and URL and parses it.
func parsePage(pageURL string, page []byte) (*url.URL, *html.Node, error) {
	if len(page) > MaxPageBytes {
		return nil, nil, fmt.Errorf("extract: %d bytes: %w", len(page), ErrTooLarge)
	}
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		return nil, nil, fmt.Errorf("extract: bad page URL %q", pageURL)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, nil, fmt.Errorf("extract: parse html: %w", err)
	}
	return u, doc, nil
}

// checkComplexity refuses a page readability would take too long over:
// more than MaxElements elements or more than MaxTextBytes of text.
func checkComplexity(doc *html.Node) error {
	if n, text := measure(doc, MaxElements+1); n > MaxElements {
		return fmt.Errorf("extract: %w: more than %d elements", ErrTooComplex, MaxElements)
	} else if text > MaxTextBytes {
		return fmt.Errorf("extract: %w: %d bytes of text; no article is that long", ErrTooComplex, text)
	}
	return nil
}

// fromMetadata fills the article's fields that come from the page's
// metadata, with readability's findings as the fallback.
func fromMetadata(pageURL string, u *url.URL, meta *Metadata, r *readability.Article) Article {
	a := Article{URL: pageURL, Sources: meta.Sources}
	if a.Sources == nil {
		a.Sources = map[string]string{}
	}
	a.CanonicalURL = meta.Canonical
	a.Title = strings.TrimSpace(firstNonEmpty(meta.Title, r.Title))
	a.Byline = strings.TrimSpace(firstNonEmpty(meta.Byline, r.Byline))
	a.Authors = meta.Authors
	if len(a.Authors) == 0 {
		a.Authors = NormalizeAuthors([]string{a.Byline}, meta.SiteName)
	}
	// Only the metadata's dates: it checks them (not in the future, not
	// before 1990) and already reads what readability would.
	a.PublishedAt = meta.Published
	a.ModifiedAt = meta.Modified
	a.Excerpt = strings.TrimSpace(firstNonEmpty(meta.Description, r.Excerpt))
	a.ImageURL = absolute(u, firstNonEmpty(meta.Image, r.Image))
	a.SiteName = strings.TrimSpace(firstNonEmpty(meta.SiteName, r.SiteName))
	a.Section = meta.Section
	a.DeclaredType = meta.Type
	return a
}

// body returns the article's text and sanitized HTML: readability's node
// cleaned of boilerplate, merged with second (trafilatura's body text) where
// the two disagree (candidates.go), or the JSON-LD articleBody when both
// found next to nothing.
func (x *Extractor) body(a *Article, meta *Metadata, r *readability.Article, second string) (text, sanitized string) {
	content := r.Content
	if r.Node != nil {
		cleanBody(r.Node, meta)
		pruneBySecond(r.Node, second)
		text = blockText(r.Node)
		var buf bytes.Buffer
		if err := html.Render(&buf, r.Node); err == nil {
			content = buf.String()
		}
	} else {
		text = strings.TrimSpace(r.TextContent)
	}
	// A page whose body readability could not find (a script-rendered
	// page, say) may still state it in its JSON-LD.
	if CountWords(text) < MinWords && CountWords(meta.ArticleBody) >= MinWords {
		text = meta.ArticleBody
		content = textToHTML(meta.ArticleBody)
		a.Sources["text"] = "json-ld"
	}
	if merged, ok := mergeBodies(text, second, a.Title); ok {
		// The merged paragraphs have no markup of their own; the stored
		// HTML follows the text.
		text, content = merged, textToHTML(merged)
		a.Sources["text"] = firstNonEmpty(a.Sources["text"], "readability") + "+trafilatura"
	}
	return text, x.sanitizer.Sanitize(content)
}

// analyse fills the terms, keywords and summary. They come from the first
// part of very long texts: it is where news puts what matters, and it
// bounds the work.
func (x *Extractor) analyse(ctx context.Context, a *Article) {
	analysed := a.Text
	if len(analysed) > analysisBytes {
		analysed = analysed[:analysisBytes]
	}
	weights, distinct := weightedTerms(ctx, x.docFreq, a.Language, a.Title, analysed)
	a.Terms = distinct
	a.Keywords = topKeywords(weights, MaxKeywords)
	a.Summary = summarize(analysed, weights)
}
func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// measure counts element nodes and text bytes, stopping at limit elements.
func measure(n *html.Node, limit int) (elements, text int) {
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.ElementNode:
			count++
			if count >= limit {
				return false
			}
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return true
			}
		case html.TextNode:
			text += len(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
	return count, text
}

// textToHTML renders plain paragraphs as HTML paragraphs.
func textToHTML(text string) string {
	var b strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>")
			b.WriteString(html.EscapeString(p))
			b.WriteString("</p>")
		}
	}
	return b.String()
}
