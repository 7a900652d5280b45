package testsite

import (
	"strconv"
	"strings"
)

// newTitle composes a headline not yet in used and records it.
func newTitle(r *rng, used map[string]bool) string {
	compose := func() string {
		subj := r.intn(len(titleSubjects))
		forms := pick(r, titleVerbs)
		verb := forms[0]
		if subj >= titlePluralFrom {
			verb = forms[1]
		}
		t := titleSubjects[subj] + " " + verb + " " + pick(r, titleObjects)
		if r.chance(0.5) {
			t += " " + pick(r, titleSuffixes)
		}
		if r.chance(0.1) {
			t = pick(r, titlePrefixes) + t
		}
		return t
	}
	for range 64 {
		if t := compose(); !used[t] {
			used[t] = true
			return t
		}
	}
	base := compose()
	for k := 2; ; k++ {
		if t := base + ", part " + strconv.Itoa(k); !used[t] {
			used[t] = true
			return t
		}
	}
}

// slugify lowercases s and joins its alphanumeric runs with hyphens.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		} else {
			dash = true
		}
	}
	return b.String()
}
