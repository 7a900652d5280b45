package extract

import (
	"context"
	"math"
	"sort"
	"strings"
	"unicode"
)

// DocFreq reports corpus statistics for keyword weighting: in how many
// stored articles of a language each term occurs, and how many articles
// there are.
type DocFreq interface {
	DocFreq(ctx context.Context, lang string, terms []string) (df map[string]int, docs int, err error)
}

// Keyword limits.
const (
	MaxKeywords = 8
	maxTerms    = 400 // distinct terms kept per article for corpus statistics
	minTermLen  = 3
)

// englishStop keeps the commonest function words out of keywords while the
// corpus is still too small for document frequency to do it.
var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for that with this from have has had was were are his her their its
		they them she him you your our who whom which what when where why how not but all any can could would should
		will just than then there these those been being into over under after before about also more most some such
		said says say one two three other only very much many may might must each both few out off new now year years
		per via its it's been while during since until upon among between against within without because however`) {
		m[w] = true
	}
	return m
}()

// terms splits text into lower-cased words of letters, at least minTermLen
// long.
func terms(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		w = strings.Trim(w, "'")
		if len([]rune(w)) >= minTermLen {
			out = append(out, w)
		}
	}
	return out
}

// weightedTerms returns each term's tf-idf weight; title terms count double
// since a headline names what the article is about.
func weightedTerms(ctx context.Context, df DocFreq, lang, title, text string) (map[string]float64, []string) {
	tf := map[string]float64{}
	for _, t := range terms(text) {
		tf[t]++
	}
	for _, t := range terms(title) {
		tf[t] += 2
	}
	distinct := make([]string, 0, len(tf))
	for t := range tf {
		distinct = append(distinct, t)
	}
	// Keep the most frequent terms for corpus statistics: rare typos and
	// numbers-as-words add rows without adding signal.
	sort.Slice(distinct, func(i, j int) bool {
		if tf[distinct[i]] != tf[distinct[j]] {
			return tf[distinct[i]] > tf[distinct[j]]
		}
		return distinct[i] < distinct[j]
	})
	if len(distinct) > maxTerms {
		distinct = distinct[:maxTerms]
	}
	var freq map[string]int
	docs := 0
	if df != nil {
		if f, n, err := df.DocFreq(ctx, lang, distinct); err == nil {
			freq, docs = f, n
		}
	}
	w := make(map[string]float64, len(distinct))
	for _, t := range distinct {
		if lang == "en" || docs < 50 {
			if englishStop[t] {
				continue
			}
		}
		idf := math.Log(float64(docs+2) / float64(freq[t]+1))
		w[t] = (1 + math.Log(tf[t])) * idf
	}
	return w, distinct
}

// topKeywords returns the n heaviest terms.
func topKeywords(w map[string]float64, n int) []string {
	ks := make([]string, 0, len(w))
	for t := range w {
		ks = append(ks, t)
	}
	sort.Slice(ks, func(i, j int) bool {
		if w[ks[i]] != w[ks[j]] {
			return w[ks[i]] > w[ks[j]]
		}
		return ks[i] < ks[j]
	})
	if len(ks) > n {
		ks = ks[:n]
	}
	return ks
}
