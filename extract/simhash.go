package extract

import (
	"hash/fnv"
	"strings"
	"unicode"
)

// SimHash returns a 64-bit SimHash of text over word 3-shingles: texts
// that differ in a few words (a changed byline, a syndication footer) get
// hashes a few bits apart, unrelated texts about 32 bits apart.
func SimHash(text string) uint64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	if len(words) == 0 {
		return 0
	}
	const shingle = 3
	var v [64]int
	h := fnv.New64a()
	for i := 0; i+shingle <= len(words) || (i == 0 && len(words) < shingle); i++ {
		h.Reset()
		for j := i; j < min(i+shingle, len(words)); j++ {
			h.Write([]byte(words[j]))
			h.Write([]byte{' '})
		}
		x := h.Sum64()
		for b := 0; b < 64; b++ {
			if x&(1<<b) != 0 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	var out uint64
	for b := 0; b < 64; b++ {
		if v[b] > 0 {
			out |= 1 << b
		}
	}
	return out
}
