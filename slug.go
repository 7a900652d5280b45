package newsline

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// letterFolds spells letters that lose nothing to NFD but have a
// common ASCII spelling.
var letterFolds = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "ae", "ø", "o", "Ø", "o", "đ", "d", "Đ", "d", "ł", "l", "Ł", "l", "œ", "oe", "Œ", "oe")

// Slug returns the readable, URL-safe name of an author or a section:
// "Jürgen Müller-Lüdenscheidt" is "jurgen-muller-ludenscheidt". Letters
// lose their accents (a reader types the address), letters and digits of
// every script are kept lower-cased, and every run of anything else becomes
// one hyphen. Slugs are computed here only, never in SQL, so that a slug in
// a link and one stored by the crawler always agree.
func Slug(s string) string {
	if isSlug(s) {
		return s // the common case in a request's path: no allocation
	}
	return slug(s)
}

func slug(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		folded = strings.ToLower(s)
	}
	folded = letterFolds.Replace(folded)
	var b strings.Builder
	b.Grow(len(folded))
	pending := false
	for _, r := range folded {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte('-')
			pending = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// isSlug reports whether s is already what Slug makes of it, for ASCII.
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}
