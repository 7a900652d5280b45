package textscore

import (
	"strings"
	"unicode"
)

// This file is the metric of the extraction-snippets data set, which is
// trafilatura's own: each page has "with" snippets that must appear in the
// extracted text and "without" snippets that must not; counts are pooled
// over all snippets of all pages.

// SnippetPage is one page's annotation.
type SnippetPage struct {
	With, Without []string
}

// SnippetCounts are confusion counts: a found "with" snippet is a TP, a
// missing one an FN; a found "without" snippet is an FP, an absent one a TN.
type SnippetCounts struct {
	TP, FP, FN, TN int
}

// Add returns the sum of c and o.
func (c SnippetCounts) Add(o SnippetCounts) SnippetCounts {
	return SnippetCounts{c.TP + o.TP, c.FP + o.FP, c.FN + o.FN, c.TN + o.TN}
}

// Errors is the page's number of misses and stray snippets.
func (c SnippetCounts) Errors() int { return c.FN + c.FP }

// Precision is TP/(TP+FP).
func (c SnippetCounts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN).
func (c SnippetCounts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is 2TP/(2TP+FP+FN).
func (c SnippetCounts) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

// Accuracy is (TP+TN) over all snippets.
func (c SnippetCounts) Accuracy() float64 { return ratio(c.TP+c.TN, c.TP+c.FP+c.FN+c.TN) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ScoreSnippets counts one page's snippets in the extracted text. Empty
// text finds nothing.
func ScoreSnippets(page SnippetPage, text string) SnippetCounts {
	var c SnippetCounts
	t := NormalizeSnippet(text)
	for _, s := range page.With {
		if t != "" && strings.Contains(t, NormalizeSnippet(s)) {
			c.TP++
		} else {
			c.FN++
		}
	}
	for _, s := range page.Without {
		if t != "" && strings.Contains(t, NormalizeSnippet(s)) {
			c.FP++
		} else {
			c.TN++
		}
	}
	return c
}

// NormalizeSnippet deletes soft hyphens and turns every run of whitespace
// into one space, trimming the ends: what score.py does with Python's \s+
// on str, which also counts the ASCII separators U+001C–U+001F as space.
func NormalizeSnippet(s string) string {
	s = strings.ReplaceAll(s, "\u00ad", "")
	return strings.Join(strings.FieldsFunc(s, isPySpace), " ")
}

func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}
