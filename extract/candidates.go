package extract

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/markusmobius/go-htmldate"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// Two extractors read every page: go-readability (cleaned by cleanBody) and
// go-trafilatura. They fail differently: readability scores one block and
// can pick the wrong one or cut paragraphs at its edges; trafilatura walks
// the whole page and keeps what its text and link rules let through. Where
// they agree, readability's cleaned body stands, with its markup. Where
// trafilatura's body is mostly text readability did not find, both have
// evidence of main text, and losing a paragraph costs a reader more than a
// stray one: the paragraphs only trafilatura found are merged in, at their
// place in its order.

// Thresholds of the agreement step, as shares of 4-word shingles.
const (
	// disagreeShare: below this share of trafilatura's shingles found in
	// readability's body, the two disagree and their bodies are merged.
	disagreeShare = 0.5
	// newParagraphShare: a paragraph of trafilatura's with less than this
	// share of its shingles in readability's body is one readability missed.
	newParagraphShare = 0.5
)

// minSecondWords is the fewest words trafilatura's body needs to count: a
// couple of sentences. Short bodies are real (a notice, a product blurb),
// but below this trafilatura has often fallen back to the page's raw text.
const minSecondWords = 15

// secondOpinion returns go-trafilatura's body text of doc, paragraphs
// separated by blank lines, or "" when it finds none. Its own fallbacks
// (readability again, DOM Distiller) and its date search are off: the
// first is already run, and Newsline reads dates itself.
func secondOpinion(doc *html.Node, u *url.URL) string {
	r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:      u,
		ExcludeComments:  true,
		HtmlDateOverride: &htmldate.Result{},
	})
	if err != nil || r == nil || r.ContentNode == nil {
		return ""
	}
	return blockText(r.ContentNode)
}

// FNV-1a's 64-bit offset basis and prime.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// shingleSet is a set of hashed 4-token shingles.
type shingleSet map[uint64]struct{}

// textShingles hashes text's 4-token shingles into set (a text of fewer
// tokens is one shingle) and returns the hashes it added or found.
func textShingles(text string, set shingleSet) []uint64 {
	toks := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(toks) == 0 {
		return nil
	}
	n := max(len(toks)-3, 1)
	out := make([]uint64, 0, n)
	for i := range n {
		// FNV-1a, inline: the hash.Hash of hash/fnv costs an allocation
		// per shingle.
		k := uint64(fnvOffset)
		for _, t := range toks[i:min(i+4, len(toks))] {
			for j := 0; j < len(t); j++ {
				k = (k ^ uint64(t[j])) * fnvPrime
			}
			k *= fnvPrime // the 0 byte between tokens
		}
		out = append(out, k)
		if set != nil {
			set[k] = struct{}{}
		}
	}
	return out
}

// foundShare is the share of hs that set holds.
func foundShare(hs []uint64, set shingleSet) float64 {
	if len(hs) == 0 {
		return 1
	}
	k := 0
	for _, h := range hs {
		if _, ok := set[h]; ok {
			k++
		}
	}
	return float64(k) / float64(len(hs))
}

// mergeBodies returns primary with the paragraphs of second that primary
// lacks, when the two disagree; merged says whether any were added. Each
// added paragraph goes after the primary paragraph that the paragraph
// before it in second matched, so the story keeps its order.
// A paragraph that is the title is left out: cleanBody removes the
// repeated headline on purpose.
func mergeBodies(primary, second, title string) (text string, merged bool) {
	if CountWords(second) < minSecondWords {
		// Too little to be a body: on such pages trafilatura falls back to
		// the page's raw text.
		return primary, false
	}
	var pParas []string
	if primary != "" {
		pParas = strings.Split(primary, "\n\n")
	}
	all := shingleSet{}
	where := map[uint64]int{} // shingle -> index of the primary paragraph
	for i, p := range pParas {
		for _, h := range textShingles(p, all) {
			if _, ok := where[h]; !ok {
				where[h] = i
			}
		}
	}
	sParas := strings.Split(second, "\n\n")
	var sAll []uint64
	for _, p := range sParas {
		sAll = append(sAll, textShingles(p, nil)...)
	}
	if foundShare(sAll, all) >= disagreeShare {
		return primary, false
	}
	// after[i] holds the paragraphs to insert after primary paragraph i;
	// after[-1], before the first.
	after := map[int][]string{}
	anchor := -1
	for _, p := range sParas {
		hs := textShingles(p, nil)
		if foundShare(hs, all) >= newParagraphShare {
			for _, h := range hs {
				if i, ok := where[h]; ok {
					anchor = max(anchor, i)
					break
				}
			}
			continue
		}
		if isTitle(p, title) {
			continue
		}
		after[anchor] = append(after[anchor], p)
		merged = true
	}
	if !merged {
		return primary, false
	}
	out := append([]string(nil), after[-1]...)
	for i, p := range pParas {
		out = append(out, p)
		out = append(out, after[i]...)
	}
	return strings.Join(out, "\n\n"), true
}

// isTitle reports whether paragraph p is the headline or a part of it.
func isTitle(p, title string) bool {
	p = strings.TrimSpace(p)
	return p != "" && title != "" && (strings.EqualFold(p, title) || strings.Contains(title, p) || strings.Contains(p, title) && len(p) < len(title)+20)
}
