package extract

import (
	"unicode"
	"unicode/utf8"
)

// Word counts that hold for every script. Counting words by the spaces
// between them works for Latin, Cyrillic, Greek, Arabic, Hangul and most
// other scripts, but Chinese and Japanese write no spaces, and Thai, Lao,
// Khmer and Myanmar put them between phrases, not words: an 800-character
// Japanese article reads as 18 "words". So letters of those scripts are
// counted and turned into words at the script's average word length.

// Average letters per word in scripts written without spaces between
// words: Chinese and Japanese words are 1.5–2 characters, Thai and its
// neighbours about 4–5 letters.
const (
	lettersPerWordCJK = 2
	lettersPerWordSEA = 4
)

// scriptClass says how a letter's script separates words.
type scriptClass uint8

const (
	spaced scriptClass = iota // words separated by spaces
	cjk                       // Han, Hiragana, Katakana: no separators
	sea                       // Thai, Lao, Khmer, Myanmar: spaces between phrases
)

func classOf(r rune) scriptClass {
	switch {
	case r < 0x2E80:
		// Below the CJK blocks, only the Southeast Asian scripts are
		// unspaced.
		if unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			return sea
		}
		return spaced
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
		return cjk
	}
	return spaced
}

// CountWords estimates the words in text in any script: space-separated
// words of spaced scripts, plus the letters of unspaced scripts at their
// average word length. Digits and punctuation in an unspaced run do not
// make it a word of its own.
func CountWords(text string) int {
	words, cjkLetters, seaLetters := 0, 0, 0
	inWord := false // inside a run of a spaced script's letters or digits
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		switch classOf(r) {
		case cjk:
			cjkLetters++
			inWord = false
		case sea:
			if unicode.IsLetter(r) {
				seaLetters++
			}
			inWord = false
		default:
			if !inWord && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
				words++
				inWord = true
			}
		}
	}
	return words + ceilDiv(cjkLetters, lettersPerWordCJK) + ceilDiv(seaLetters, lettersPerWordSEA)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
