package extract

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// hasWord reports whether the space-separated list s holds word, ignoring
// case.
func hasWord(s, word string) bool {
	for f := range strings.FieldsSeq(s) {
		if strings.EqualFold(f, word) {
			return true
		}
	}
	return false
}

// hasToken reports whether any class/id token contains one of the words.
func hasToken(names []string, words ...string) bool {
	for _, tok := range names {
		for _, w := range words {
			if strings.Contains(tok, w) {
				return true
			}
		}
	}
	return false
}

// attrOK returns n's attribute key and whether n has it at all
// (itemscope, pubdate: present means true, whatever the value).
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// attr returns n's attribute key, or "" when n has none.
func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

// absolute resolves ref against base; it returns "" for anything but an
// http or https URL.
func absolute(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := base.Parse(ref)
	if err != nil || (r.Scheme != "http" && r.Scheme != "https") {
		return ""
	}
	return r.String()
}
