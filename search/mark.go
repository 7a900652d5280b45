package search

import (
	"html"
	"strings"
)

// markOnly escapes s as HTML but keeps the <mark> and </mark> tags that
// ts_headline inserted.
func markOnly(s string) string {
	const open, close = "\x00mark\x00", "\x00/mark\x00"
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, "<mark>", open)
	s = strings.ReplaceAll(s, "</mark>", close)
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, open, "<mark>")
	return strings.ReplaceAll(s, close, "</mark>")
}
