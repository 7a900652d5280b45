package extract

import (
	"math"
	"regexp"
	"sort"
	"strings"
)

// sentenceEnd finds sentence boundaries: terminal punctuation, optional
// closing quotes or brackets, then space and an upper-case letter or digit.
var sentenceEnd = regexp.MustCompile(`[.!?]["'”’)\]]*\s+["'“‘(]?[\p{Lu}\d]`)

// abbreviations end in a period without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true, "prof": true, "gen": true,
	"gov": true, "sen": true, "rep": true, "lt": true, "col": true, "sgt": true, "capt": true, "no": true, "vs": true,
	"inc": true, "co": true, "corp": true, "ltd": true, "jan": true, "feb": true, "mar": true, "apr": true, "aug": true,
	"sept": true, "sep": true, "oct": true, "nov": true, "dec": true, "u.s": true, "u.k": true, "e.g": true, "i.e": true,
}

// sentences splits text into sentences, paragraph by paragraph.
func sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.TrimSpace(para)
		start := 0
		for start < len(para) {
			loc := sentenceEnd.FindStringIndex(para[start:])
			if loc == nil {
				break
			}
			end := start + loc[0]
			// Cut after the punctuation and quotes, before the space.
			cut := end + 1
			for cut < start+loc[1] && strings.ContainsRune(`"'”’)]`, rune(para[cut])) {
				cut++
			}
			if para[end] == '.' && isAbbreviation(para[:end]) {
				start = cut
				continue
			}
			out = append(out, strings.TrimSpace(para[:cut]))
			para = strings.TrimSpace(para[cut:])
			start = 0
		}
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// isAbbreviation reports whether the word before a period (the end of
// before) is an abbreviation or an initial.
func isAbbreviation(before string) bool {
	i := strings.LastIndexAny(before, " \t\n(")
	w := before[i+1:]
	if len([]rune(w)) == 1 {
		return true // an initial: "John F. Kennedy"
	}
	return abbreviations[strings.ToLower(w)]
}

// Summary limits: two or three sentences, and no more than this many words.
const (
	summarySentences = 3
	summaryMaxWords  = 80
)

// summarize picks the sentences that carry the most keyword weight, with a
// bonus for the lead (news is written top-down), and returns them in their
// original order.
func summarize(text string, weights map[string]float64) string {
	ss := sentences(text)
	type scored struct {
		i     int
		score float64
		words int
	}
	var cands []scored
	for i, s := range ss {
		ts := terms(s)
		words := len(strings.Fields(s))
		if words < 6 || words > 60 { // fragments and run-ons make poor summaries
			continue
		}
		var sum float64
		for _, t := range ts {
			sum += weights[t]
		}
		score := sum / math.Sqrt(float64(len(ts)+1))
		score *= 1 + 1/float64(i+1) // the lead sentence counts double
		cands = append(cands, scored{i, score, words})
	}
	sort.Slice(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	var pick []scored
	words := 0
	for _, c := range cands {
		if len(pick) == summarySentences {
			break
		}
		if words+c.words > summaryMaxWords && len(pick) >= 2 {
			continue
		}
		pick = append(pick, c)
		words += c.words
	}
	sort.Slice(pick, func(a, b int) bool { return pick[a].i < pick[b].i })
	parts := make([]string, len(pick))
	for i, p := range pick {
		parts[i] = ss[p.i]
	}
	return strings.Join(parts, " ")
}
