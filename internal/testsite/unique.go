package testsite

import "strings"

const (
	uniqueMinLen = 9
	uniqueMaxLen = 12
)

// uniqueWords hands out made-up words (consonant-vowel syllables, 9–12
// letters) such that no word equals or is a substring of another handed-out
// word, of any word in the package's word lists, or of boilerplate text.
type uniqueWords struct {
	accepted  map[string]bool // handed-out words
	forbidden map[string]bool // substrings (>= uniqueMinLen) of accepted words and static text
}

func newUniqueWords() *uniqueWords {
	u := &uniqueWords{accepted: map[string]bool{}, forbidden: map[string]bool{}}
	lists := [][]string{
		detSingular, detPlural, nounsSingular, nounsPlural, measurables, adjectives, verbsPast,
		verbsBase, modals, reportingVerbs, reportingTail, movementVerbs, prepositions,
		conjunctions, timePhrases, places, fixedSentences, firstNames, lastNames, titleSubjects,
		titleObjects, titleSuffixes, titlePrefixes, commentTexts, commenters, boilerplateText,
	}
	for _, v := range titleVerbs {
		lists = append(lists, v[:])
	}
	for _, l := range lists {
		for _, s := range l {
			for _, tok := range strings.FieldsFunc(strings.ToLower(s), func(c rune) bool { return c < 'a' || c > 'z' }) {
				u.forbid(tok)
			}
		}
	}
	return u
}

// forbid records every substring of w of length >= uniqueMinLen.
func (u *uniqueWords) forbid(w string) {
	for i := 0; i+uniqueMinLen <= len(w); i++ {
		for j := i + uniqueMinLen; j <= len(w); j++ {
			u.forbidden[w[i:j]] = true
		}
	}
}

func (u *uniqueWords) next(r *rng) string {
	for {
		w := makeWord(r)
		if w == "" || u.forbidden[w] {
			continue
		}
		clash := false
		for i := 0; i+uniqueMinLen <= len(w) && !clash; i++ {
			for j := i + uniqueMinLen; j <= len(w); j++ {
				if u.accepted[w[i:j]] {
					clash = true
					break
				}
			}
		}
		if clash {
			continue
		}
		u.accepted[w] = true
		u.forbid(w)
		return w
	}
}

// makeWord builds a candidate word, or returns "" if the attempt failed.
func makeWord(r *rng) string {
	target := r.between(uniqueMinLen, uniqueMaxLen)
	var b [uniqueMaxLen + 4]byte
	n := 0
	for n < target {
		b[n] = uniqueConsonants[r.intn(len(uniqueConsonants))]
		b[n+1] = uniqueVowels[r.intn(len(uniqueVowels))]
		n += 2
		if r.chance(0.3) {
			b[n] = uniqueCodas[r.intn(len(uniqueCodas))]
			n++
		}
	}
	if n > uniqueMaxLen {
		return ""
	}
	w := string(b[:n])
	rare := 0
	for i := 0; i < n; i++ {
		if strings.IndexByte(uniqueRare, w[i]) >= 0 {
			rare++
		}
	}
	if rare < 2 {
		return ""
	}
	return w
}
