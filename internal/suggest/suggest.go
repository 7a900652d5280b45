// Package suggest finds the name a user probably meant, for "did you mean"
// messages: the CLI's unknown commands and hosts, the API's and the feeds'
// unknown sites, authors and sections. It only compares names; callers
// fetch a few likely candidates (store.ClosestAuthor and friends look them
// up by prefix and by word, never by loading every name).
package suggest

import "strings"

// Closest returns the candidate nearest to name: one containing it (so
// "guardian" finds www.theguardian.com), or one within a small edit
// distance, about a third of name's length. It returns "" when nothing is
// close.
func Closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	if name == "" {
		return ""
	}
	best, bestDist := "", len(name)/3+2
	for _, c := range candidates {
		if strings.Contains(c, name) {
			return c
		}
		if d := Distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Hint is the end of a "not found" message: "; did you mean best?", or
// "" when there is nothing to suggest.
func Hint(best string) string {
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}
