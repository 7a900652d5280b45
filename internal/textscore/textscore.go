// Package textscore scores extracted article text against a reference the
// way the article-extraction benchmark does (and the score.py beside the
// data): multisets of 4-token shingles, per-page precision and recall with
// equal page weights, F1 of the means.
package textscore

import (
	"strings"
	"unicode"
)

// Shingle is the number of consecutive tokens compared.
const Shingle = 4

// Tokens splits text into maximal runs of word characters, matching
// Python's \w: letters, numbers and the underscore.
func Tokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}

func shingles(tokens []string) map[string]int {
	m := map[string]int{}
	if len(tokens) == 0 {
		return m
	}
	if len(tokens) < Shingle {
		m[strings.Join(tokens, "\x00")]++
		return m
	}
	for i := 0; i+Shingle <= len(tokens); i++ {
		m[strings.Join(tokens[i:i+Shingle], "\x00")]++
	}
	return m
}

// Page is one page's normalized counts: tp+fp+fn = 1 (or all zero).
type Page struct {
	TP, FP, FN float64
	// HasPrediction and HasTruth say whether the page counts toward the
	// precision and recall means.
	HasPrediction, HasTruth bool
}

// Precision of one page; 1 when nothing was wrong.
func (p Page) Precision() float64 {
	if p.FP == 0 && p.FN == 0 {
		return 1
	}
	return p.TP / (p.TP + p.FP)
}

// Recall of one page; 1 when nothing was wrong.
func (p Page) Recall() float64 {
	if p.FP == 0 && p.FN == 0 {
		return 1
	}
	return p.TP / (p.TP + p.FN)
}

// Score compares one page's prediction with its truth. Soft hyphens are
// stripped from the prediction first.
func Score(truth, prediction string) Page {
	prediction = strings.ReplaceAll(prediction, "\u00ad", "")
	t, p := shingles(Tokens(truth)), shingles(Tokens(prediction))
	var tp, fp, fn int
	for k, n := range p {
		m := t[k]
		tp += min(n, m)
		fp += max(n-m, 0)
	}
	for k, m := range t {
		fn += max(m-p[k], 0)
	}
	out := Page{HasPrediction: len(p) > 0, HasTruth: len(t) > 0}
	if n := float64(tp + fp + fn); n > 0 {
		out.TP, out.FP, out.FN = float64(tp)/n, float64(fp)/n, float64(fn)/n
	}
	return out
}

// Summary is the score over many pages.
type Summary struct {
	Pages                 int
	Precision, Recall, F1 float64
}

// Summarize averages precision over pages with a prediction and recall over
// pages with a truth, and takes F1 of the two means.
func Summarize(pages []Page) Summary {
	var s Summary
	var pSum, rSum float64
	var pN, rN int
	for _, p := range pages {
		if p.HasPrediction {
			pSum += p.Precision()
			pN++
		}
		if p.HasTruth {
			rSum += p.Recall()
			rN++
		}
	}
	s.Pages = len(pages)
	if pN > 0 {
		s.Precision = pSum / float64(pN)
	}
	if rN > 0 {
		s.Recall = rSum / float64(rN)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}
