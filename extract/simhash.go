package extract

import (
	"unicode"
	"unicode/utf8"
)

// SimHash returns a 64-bit SimHash of text over word 3-shingles: texts
// that differ in a few words (a changed byline, a syndication footer) get
// hashes a few bits apart, unrelated texts about 32 bits apart.
//
// Words are the runs of letters and digits of the lower-cased text; each
// shingle is hashed with FNV-1a over "w1 w2 w3 ". Stored hashes depend on
// exactly this definition, so it must not change. It runs on every save,
// so it works in one buffer without allocating per word.
func SimHash(text string) uint64 {
	buf, bounds := simhashWords(text)
	if len(bounds) == 0 {
		return 0
	}
	const (
		shingle  = 3
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	start := func(w int) int {
		if w == 0 {
			return 0
		}
		return bounds[w-1]
	}
	var votes bitVotes
	for i := 0; i+shingle <= len(bounds) || (i == 0 && len(bounds) < shingle); i++ {
		x := uint64(offset64)
		for j := i; j < min(i+shingle, len(bounds)); j++ {
			for _, c := range buf[start(j):bounds[j]] {
				x ^= uint64(c)
				x *= prime64
			}
			x ^= ' '
			x *= prime64
		}
		votes.add(x)
	}
	return votes.majority()
}

// simhashWords returns text's words, lower-cased, one after another in buf,
// and the end of each in bounds.
func simhashWords(text string) (buf []byte, bounds []int) {
	buf = make([]byte, 0, len(text))
	inWord := false
	for _, r := range text {
		l := unicode.ToLower(r)
		var word bool
		if l < utf8.RuneSelf {
			// After ToLower the only ASCII letters are a-z.
			word = 'a' <= l && l <= 'z' || '0' <= l && l <= '9'
		} else {
			word = unicode.IsLetter(l) || unicode.IsNumber(l)
		}
		if word {
			buf = utf8.AppendRune(buf, l)
			inWord = true
		} else if inWord {
			bounds = append(bounds, len(buf))
			inWord = false
		}
	}
	if inWord {
		bounds = append(bounds, len(buf))
	}
	return buf, bounds
}

// bitVotes counts, for each bit, how many of the added hashes have it set.
// Votes are counted bit-sliced: lanes[k] holds, in byte j, how many hashes
// had bit 8j+k set, flushed into ones before a byte can overflow. Eight
// additions per hash instead of 64.
type bitVotes struct {
	ones    [64]int
	lanes   [8]uint64
	pending int
	n       int
}

func (v *bitVotes) add(x uint64) {
	for k := range v.lanes {
		v.lanes[k] += x >> k & 0x0101010101010101
	}
	if v.pending++; v.pending == 255 {
		v.flush()
	}
	v.n++
}

func (v *bitVotes) flush() {
	for k, l := range v.lanes {
		for j := range 8 {
			v.ones[8*j+k] += int(l >> (8 * j) & 0xff)
		}
	}
	v.lanes = [8]uint64{}
	v.pending = 0
}

// majority is the hash whose bits are those set in more than half the
// added hashes.
func (v *bitVotes) majority() uint64 {
	v.flush()
	var out uint64
	for b, o := range v.ones {
		if 2*o > v.n {
			out |= 1 << b
		}
	}
	return out
}
