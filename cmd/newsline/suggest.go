package main

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// closest returns the candidate nearest to name: one containing it (so
// "guardian" finds www.theguardian.com), or one within a small edit
// distance. It returns "" when nothing is close.
func closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	best, bestDist := "", len(name)/3+2
	for _, c := range candidates {
		if strings.Contains(c, name) {
			return c
		}
		if d := levenshtein(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
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

func yamlOf(v any) []byte {
	b, _ := yaml.Marshal(v)
	return b
}
