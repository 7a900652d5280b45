package newsline

import "strings"

// tsConfigs maps ISO 639-1 codes to the PostgreSQL text search
// configuration an article in that language is indexed with.
var tsConfigs = map[string]string{
	"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
	"en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
	"hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
	"ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese",
	"ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
	"tr": "turkish", "yi": "yiddish",
}

// TSConfig returns the PostgreSQL text search configuration for a language
// code, or "simple" (no stemming, no stop words) when PostgreSQL has none.
// It lives here because the extractor (indexing an article) and search
// (parsing a query) must agree on it.
func TSConfig(lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	if c, ok := tsConfigs[lang]; ok {
		return c
	}
	return "simple"
}
