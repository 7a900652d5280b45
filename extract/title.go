package extract

import (
	"net/url"
	"strings"
)

// notURL rejects a value that is a URL where a name belongs (og:site_name
// "https://www.example.com", a headline that is the home page link).
func notURL(s string) string {
	if l := strings.ToLower(s); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.") {
		return ""
	}
	return s
}

// cleanTitle removes the site name from either end of a title ("Headline |
// Site", "Site - Headline"), and cuts a title down to the page's <h1> when
// the title starts with it followed by a separator.
func cleanTitle(title, siteName string, base *url.URL, h1 string) string {
	title = strings.Join(strings.Fields(title), " ")
	seps := []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " » ", " « ", ": "}
	for changed := true; changed; {
		changed = false
		for _, sep := range seps {
			if i := strings.LastIndex(title, sep); i > 0 && isSiteName(title[i+len(sep):], siteName, base) {
				title, changed = strings.TrimSpace(title[:i]), true
			}
			if i := strings.Index(title, sep); i > 0 && isSiteName(title[:i], siteName, base) && len(title[i+len(sep):]) > 0 {
				title, changed = strings.TrimSpace(title[i+len(sep):]), true
			}
		}
	}
	if len(h1) >= 15 && len(title) > len(h1) && strings.EqualFold(title[:len(h1)], h1) {
		rest := title[len(h1):]
		for _, sep := range seps {
			if strings.HasPrefix(rest, sep) {
				return title[:len(h1)]
			}
		}
	}
	return title
}

// isSiteName reports whether a title segment names the site: it matches the
// site name or the domain ("nytimes", "NYTimes.com"), ignoring case,
// spaces and punctuation.
func isSiteName(seg, siteName string, base *url.URL) bool {
	k := alnumKey(seg)
	if k == "" {
		return false
	}
	if s := alnumKey(siteName); s != "" && (k == s || k == strings.TrimPrefix(s, "the") || strings.TrimPrefix(k, "the") == s) {
		return true
	}
	d := siteDomain(base)
	if d == "" {
		return false
	}
	if k == alnumKey(d) || k == alnumKey(base.Hostname()) || k == alnumKey(strings.TrimPrefix(base.Hostname(), "www.")) {
		return true
	}
	// "Vortex Cannon Entertainment" on vortexcannon.org: the domain spelled
	// out, plus at most one word.
	words := strings.Fields(seg)
	for i := 1; i <= len(words) && i <= 4; i++ {
		if alnumKey(strings.Join(words[:i], "")) == alnumKey(d) {
			return len(words)-i <= 1
		}
	}
	return false
}

// siteDomain is the name part of a page's domain: "nytimes" for
// www.nytimes.com, "bbc" for www.bbc.co.uk.
func siteDomain(base *url.URL) string {
	if base == nil {
		return ""
	}
	labels := strings.Split(strings.ToLower(base.Hostname()), ".")
	if len(labels) < 2 {
		return ""
	}
	i := len(labels) - 2
	if len(labels) >= 3 && len(labels[i]) <= 3 && len(labels[len(labels)-1]) == 2 {
		i-- // bbc.co.uk, abc.net.au
	}
	return labels[i]
}

func alnumKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
