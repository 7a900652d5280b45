package bench

import (
	"bytes"
	"cmp"
	"maps"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsline/newsline/extract"
)

// LangAgreement compares the language Newsline gives each page with the
// page's own <html lang>: the final decision (which may use the
// declaration) and the text detector alone (which may not).
type LangAgreement struct {
	Declared  int            // pages whose <html lang> is a language tag
	Agree     int            // ... whose article language is the same
	TextAgree int            // ... whose text, detected alone, is the same
	Misses    map[string]int // "declared→decided" for the pages that disagree
}

// Fraction is the share of declaring pages whose article language agrees.
func (l LangAgreement) Fraction() float64 { return share(l.Agree, l.Declared) }

// TextFraction is the share of declaring pages whose text alone agrees.
func (l LangAgreement) TextFraction() float64 { return share(l.TextAgree, l.Declared) }

// TopMisses lists up to n disagreements, most frequent first.
func (l LangAgreement) TopMisses(n int) []string {
	keys := slices.SortedFunc(maps.Keys(l.Misses), func(a, b string) int {
		return cmp.Or(l.Misses[b]-l.Misses[a], strings.Compare(a, b))
	})
	return keys[:min(n, len(keys))]
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// langAgreement scores langs (page id -> the article's language) and the
// text detector on texts against the pages' <html lang>. It runs after
// the timed pass, so the detector's second run costs the figures nothing.
func langAgreement(x *extract.Extractor, pages []ExtractPage, langs, texts map[string]string) LangAgreement {
	l := LangAgreement{Misses: map[string]int{}}
	for _, p := range pages {
		declared := htmlLang(p.HTML)
		if declared == "" {
			continue
		}
		l.Declared++
		if got := langs[p.ID]; got == declared {
			l.Agree++
		} else {
			l.Misses[declared+"→"+cmp.Or(got, "none")]++
		}
		if x.DetectLanguage(texts[p.ID]) == declared {
			l.TextAgree++
		}
	}
	return l
}

// htmlLang returns the primary subtag of page's <html lang> ("en" for
// "en-US"; Norwegian's "nb" and "nn" as "no", as the extractor gives
// them), or "".
func htmlLang(page []byte) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if t.DataAtom != atom.Html {
				if t.DataAtom == atom.Body {
					return ""
				}
				continue
			}
			for _, a := range t.Attr {
				if a.Key == "lang" || a.Key == "xml:lang" {
					return primaryTag(a.Val)
				}
			}
			return ""
		}
	}
}

// primaryTag reduces a language tag to its lower-case primary subtag of
// two letters, or "".
func primaryTag(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	v, _, _ = strings.Cut(strings.ReplaceAll(v, "_", "-"), "-")
	if len(v) != 2 || v[0] < 'a' || v[0] > 'z' || v[1] < 'a' || v[1] > 'z' {
		return ""
	}
	if v == "nb" || v == "nn" {
		return "no"
	}
	return v
}
