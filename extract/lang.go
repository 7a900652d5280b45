package extract

import (
	"strings"

	"github.com/pemistahl/lingua-go"
)

// detectLanguages are the languages the detector chooses among: those
// PostgreSQL can stem, plus widely published ones it cannot, so that such
// text is recognised (and indexed with "simple") instead of being taken
// for a near neighbour.
//
// Each Latin-script language costs detection time on every article (other
// scripts are ruled out by their alphabet first), so the rarer ones that
// PostgreSQL would index with "simple" anyway are left out.
var detectLanguages = []lingua.Language{
	lingua.Arabic, lingua.Armenian, lingua.Catalan, lingua.Danish, lingua.Dutch, lingua.English,
	lingua.Finnish, lingua.French, lingua.German, lingua.Greek, lingua.Hindi, lingua.Hungarian, lingua.Indonesian,
	lingua.Italian, lingua.Bokmal, lingua.Portuguese, lingua.Romanian, lingua.Russian, lingua.Serbian, lingua.Spanish,
	lingua.Swedish, lingua.Tamil, lingua.Turkish, lingua.Chinese, lingua.Japanese, lingua.Korean, lingua.Polish,
	lingua.Czech, lingua.Ukrainian, lingua.Hebrew, lingua.Persian, lingua.Thai,
}

// newDetector builds the language detector. Low-accuracy mode loads only
// the trigram models (a few MB instead of hundreds), which is plenty for
// article-length text.
func newDetector() lingua.LanguageDetector {
	return lingua.NewLanguageDetectorBuilder().FromLanguages(detectLanguages...).WithLowAccuracyMode().Build()
}

// languageSample bounds the text the detector reads. Its cost grows with
// the text, and a paragraph of running prose decides as well as a whole
// article (BenchmarkExtract: 2,000 bytes cost a third of all extraction
// time; bench crawl: 400 bytes still cost half of it under 16 workers).
const languageSample = 250

// DetectLanguage returns the ISO 639-1 code of text's language, or "" when
// the detector is not sure.
func (x *Extractor) DetectLanguage(text string) string {
	if len(text) > languageSample {
		cut := strings.LastIndexByte(text[:languageSample], ' ')
		if cut < languageSample/2 {
			cut = languageSample
		}
		text = strings.ToValidUTF8(text[:cut], "")
	}
	if len(strings.Fields(text)) < 5 {
		return ""
	}
	lang, ok := x.detector.DetectLanguageOf(text)
	if !ok {
		return ""
	}
	code := strings.ToLower(lang.IsoCode639_1().String())
	if code == "nb" || code == "nn" {
		return "no"
	}
	return code
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
