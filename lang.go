package newsline

import (
	"slices"
	"strings"
)

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

// languageNames are the languages Newsline knows by ISO 639-1 code: those
// PostgreSQL can stem (tsConfigs) and those the extractor's language
// detector recognises, which are indexed with "simple" unless PostgreSQL
// stems them. A site's `languages:` setting must use these codes.
var languageNames = map[string]string{
	"af": "Afrikaans", "ak": "Akan", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
	"bg": "Bulgarian", "bh": "Bhojpuri", "bn": "Bengali", "ca": "Catalan", "cs": "Czech", "da": "Danish",
	"de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian",
	"eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gu": "Gujarati",
	"ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole", "hu": "Hungarian",
	"hy": "Armenian", "id": "Indonesian", "ig": "Igbo", "it": "Italian", "ja": "Japanese", "jv": "Javanese",
	"ka": "Georgian", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish", "lt": "Lithuanian",
	"lv": "Latvian", "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "my": "Burmese",
	"nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian",
	"ny": "Chewa", "om": "Oromo", "or": "Oriya", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese",
	"rn": "Rundi", "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "si": "Sinhala", "sl": "Slovene",
	"sn": "Shona", "so": "Somali", "sr": "Serbian", "sv": "Swedish", "ta": "Tamil", "te": "Telugu",
	"th": "Thai", "ti": "Tigrinya", "tk": "Turkmen", "tl": "Tagalog", "tr": "Turkish", "ug": "Uyghur",
	"uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "yi": "Yiddish", "yo": "Yoruba",
	"zh": "Chinese", "zu": "Zulu",
}

// KnownLanguage reports whether code is the lower-case ISO 639-1 code of
// a language Newsline knows.
func KnownLanguage(code string) bool {
	_, ok := languageNames[code]
	return ok
}

// KnownLanguages lists the codes KnownLanguage accepts, sorted.
func KnownLanguages() []string {
	codes := make([]string, 0, len(languageNames))
	for c := range languageNames {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
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
