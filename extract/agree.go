package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// The agreement step prunes readability's body with trafilatura's as
// evidence. Readability keeps whole subtrees, and the stray paragraphs it
// drags along (a caption, a teaser, a "was this useful?" prompt, the
// label of a box below the story) are short and sit at the edges.
// Trafilatura judges each paragraph on its own text and links. A paragraph
// of readability's that trafilatura also kept is main text by two opinions;
// one that only readability kept is dropped when its own shape says
// boilerplate too: it is short, or it is a link teaser, or it trails the
// last paragraph both kept. A long paragraph only readability kept stays:
// a reader misses a paragraph more than a stray line.

// Limits of the agreement step, in words.
const (
	// strayWords: a paragraph only readability kept of at most this many
	// words is a label, caption or prompt.
	strayWords = 10
	// strayTailWords: below the last paragraph both kept, a paragraph
	// only readability kept of fewer words is a teaser or a sign-off.
	strayTailWords = 30
	// teaserWords and teaserLinked: a paragraph of at most teaserWords
	// words with at least teaserLinked of its text in links is a link
	// teaser.
	teaserWords  = 20
	teaserLinked = 0.6
)

// agreeShare is the share of a paragraph's shingles trafilatura's body
// must hold for the paragraph to count as kept by both.
const agreeShare = 0.5

// pruneBySecond removes from n the paragraphs that only readability kept
// and that look like boilerplate, using second (trafilatura's body text)
// as the second opinion. It does nothing when second is too short to be a
// body, or when the two disagree (mergeBodies handles that case).
func pruneBySecond(n *html.Node, second string) {
	if n == nil || CountWords(second) < minSecondWords {
		return
	}
	blocks := cleanCollectBlocks(n)
	if len(blocks) == 0 {
		return
	}
	set := shingleSet{}
	textShingles(second, set)
	flat := " " + strings.Join(agreeTokens(second), " ") + " "
	shared := make([]bool, len(blocks))
	lastShared := -1
	for i, b := range blocks {
		hs := textShingles(b.text, nil)
		toks := agreeTokens(b.text)
		if len(toks) < 4 {
			shared[i] = len(toks) > 0 && strings.Contains(flat, " "+strings.Join(toks, " ")+" ")
		} else {
			shared[i] = foundShare(hs, set) >= agreeShare
		}
		if shared[i] {
			lastShared = i
		}
	}
	if lastShared < 0 {
		return
	}
	for i, b := range blocks {
		if isTeaser(b) {
			// A link teaser, whoever kept it.
			b.remove()
			continue
		}
		if shared[i] || b.heading && i+1 < len(blocks) && shared[i+1] {
			// A heading over a paragraph both kept titles part of the
			// story.
			continue
		}
		switch {
		case b.words <= strayWords,
			i > lastShared && b.words < strayTailWords:
			b.remove()
		}
	}
}

// agreeTokens splits text into the tokens textShingles hashes.
func agreeTokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// isTeaser reports whether a paragraph is a link to another page dressed
// as a line of text ("Read also: <headline>"): short and mostly link
// text. List items (a list of sources or downloads), headings and bare
// URLs (a source cited in full) are not teasers.
func isTeaser(b *block) bool {
	return !b.item && !b.heading && b.words <= teaserWords && b.linked >= teaserLinked && !reURL.MatchString(b.text)
}
