package extract

import (
	"strings"

	"github.com/RadhiFadlillah/whatlanggo"
)

// Language is decided from two witnesses: what the page declares (<html
// lang>, og:locale, Content-Language and the like; readMetadata picks
// one) and what its text looks like to a trigram detector (whatlanggo:
// about 80 languages in a few hundred kilobytes). Templates often declare
// the site's default language on every page, and the detector can take
// short or mixed text for a near neighbour; so the declaration stands
// unless the text is long enough to judge and clearly says otherwise.
const (
	// languageSample bounds the text the detector reads: its cost grows
	// with the text, and a few paragraphs of prose decide as well as a
	// whole article.
	languageSample = 2000
	// overrideBytes and overrideWords are the least text that may
	// overrule a page's declared language.
	overrideBytes = 600
	overrideWords = 5
	// overrideConfidence is the least detector confidence (0 to 1) that
	// may overrule it.
	overrideConfidence = 0.5
)

// detectable maps the ISO 639-1 codes the detector can return to its
// languages. Norwegian is "no", whichever written form.
var detectable = func() map[string][]whatlanggo.Lang {
	m := map[string][]whatlanggo.Lang{}
	for l := whatlanggo.Lang(0); l <= whatlanggo.Zul; l++ {
		if code := isoCode(l); code != "" {
			m[code] = append(m[code], l)
		}
	}
	return m
}()

// isoCode is the ISO 639-1 code of a detector language, or "".
func isoCode(l whatlanggo.Lang) string {
	switch l {
	case whatlanggo.Nob, whatlanggo.Nno:
		return "no"
	case whatlanggo.Ydd:
		return "yi"
	}
	return l.Iso6391()
}

// kin are declared languages the detector cannot tell from the one it
// names instead: Han-script Japanese is taken for Chinese, and the
// standard forms of Serbo-Croatian and of Malay for each other. A
// detection of the kin agrees with the declaration.
var kin = map[string]string{"ja": "zh", "bs": "hr", "me": "sr", "ms": "id", "sr": "hr", "hr": "sr"}

// siteLanguages is a site's language whitelist, compiled.
type siteLanguages struct {
	codes   []string
	allowed map[string]bool
	opts    whatlanggo.Options
}

// newSiteLanguages compiles codes (ISO 639-1, as config checks them);
// nil or empty allows every language.
func newSiteLanguages(codes []string) siteLanguages {
	s := siteLanguages{allowed: map[string]bool{}}
	for _, c := range codes {
		c = normLanguage(c)
		if c == "nb" || c == "nn" {
			c = "no"
		}
		if c == "" || s.allowed[c] {
			continue
		}
		s.codes = append(s.codes, c)
		s.allowed[c] = true
		for _, l := range detectable[c] {
			if s.opts.Whitelist == nil {
				s.opts.Whitelist = map[whatlanggo.Lang]bool{}
			}
			s.opts.Whitelist[l] = true
		}
	}
	return s
}

// allows reports whether the site may publish in code.
func (s siteLanguages) allows(code string) bool {
	return len(s.codes) == 0 || s.allowed[code]
}

// WithLanguages returns a copy of x that assigns only the given languages
// (ISO 639-1 codes: a site's `languages:`); none allows every language.
func (x *Extractor) WithLanguages(codes []string) *Extractor {
	c := *x
	c.languages = newSiteLanguages(codes)
	return &c
}

// DetectLanguage returns the ISO 639-1 code of text's language as the
// detector alone sees it, among the languages x allows, or "" when the
// text is too short or the detector recognises none.
func (x *Extractor) DetectLanguage(text string) string {
	code, _ := x.detect(text)
	return code
}

// detect returns the language of text and the detector's confidence.
func (x *Extractor) detect(text string) (string, float64) {
	if len(text) > languageSample {
		cut := strings.LastIndexByte(text[:languageSample], ' ')
		if cut < languageSample/2 {
			cut = languageSample
		}
		text = text[:cut]
	}
	text = strings.ToValidUTF8(text, "")
	if CountWords(text) < overrideWords {
		return "", 0
	}
	if len(x.languages.codes) > 0 && x.languages.opts.Whitelist == nil {
		return "", 0 // the site's languages are none the detector knows
	}
	info := whatlanggo.DetectWithOptions(text, x.languages.opts)
	if info.Lang < 0 {
		return "", 0
	}
	code := isoCode(info.Lang)
	if code == "" || !x.languages.allows(code) {
		return "", 0
	}
	return code, info.Confidence
}

// decideLanguage returns the article's language from the page's declared
// one (normalised, possibly "") and its text.
func (x *Extractor) decideLanguage(declared, text string) string {
	if declared == "nb" || declared == "nn" {
		declared = "no"
	}
	if !x.languages.allows(declared) {
		declared = "" // a template's default the site says it does not use
	}
	detected, confidence := x.detect(text)
	switch {
	case declared == "":
		if detected == "" && len(x.languages.codes) == 1 {
			return x.languages.codes[0]
		}
		return detected
	case detected == "" || detected == declared || kin[declared] == detected:
		return declared
	case len(detectable[declared]) == 0:
		// The detector does not know the declared language, so it cannot
		// tell it apart from its neighbours (Catalan from Spanish).
		return declared
	case len(text) >= overrideBytes && CountWords(text) >= overrideWords && confidence >= overrideConfidence:
		return detected
	}
	return declared
}

// languageNames maps the language names some pages put where a code
// belongs.
var languageNames = map[string]string{"english": "en", "german": "de", "deutsch": "de", "french": "fr",
	"français": "fr", "spanish": "es", "español": "es", "italian": "it", "italiano": "it",
	"portuguese": "pt", "português": "pt", "dutch": "nl", "nederlands": "nl"}

// normLanguage reduces a language tag ("en-US", "en_GB", "DE") to its
// lower-case primary subtag, or "" when v is not a language tag.
func normLanguage(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if code, ok := languageNames[v]; ok {
		return code
	}
	primary, _, _ := strings.Cut(strings.ReplaceAll(v, "_", "-"), "-")
	if len(primary) < 2 || len(primary) > 3 {
		return ""
	}
	for _, r := range primary {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return primary
}
