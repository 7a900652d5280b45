package audio

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
)

var (
	tagRE      = regexp.MustCompile(`</?[a-zA-Z][^<>]*>|<!--.*?-->`)
	markdownRE = regexp.MustCompile(`(\*\*|__|` + "`" + `+|^#{1,6}\s+)`)
	urlRE      = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+`)
	emailRE    = regexp.MustCompile(`\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b`)
	// "(Photo: Jane Doe/Reuters)", "[Getty Images]", "(AP)".
	creditParenRE = regexp.MustCompile(`(?i)[(\[]\s*(?:(?:photo|image|picture|illustration|video|graphic|credit|source|file)s?\b[^)\]]*|AP|AFP|Reuters|dpa|Getty Images)\s*[)\]]`)
	emptyParenRE  = regexp.MustCompile(`[(\[]\s*[)\]]`)
	// A space left before punctuation by what was removed.
	spaceBeforePunctRE = regexp.MustCompile(`\s+([,.;:!?])`)
	// Whole blocks that are captions, credits or calls to action.
	noiseRE = regexp.MustCompile(`(?i)^(?:` +
		`(?:photo|image|picture|illustration|video|graphic|caption|credit)s?\s*(?:credit)?\s*[:|/©]` +
		`|©|copyright\b|all rights reserved` +
		`|(?:read|see|watch|listen)\s+(?:more|also|next)\b` +
		`|related(?:\s+(?:articles?|stories|coverage))?\s*:` +
		`|(?:share|follow us|sign up|subscribe|click here|advertisement)\b` +
		`|(?:getty images|reuters|associated press|afp)\.?$` +
		`)`)
)

// stripMarkup removes what is left of HTML and Markdown in extracted text.
func stripMarkup(s string) string {
	s = tagRE.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	return markdownRE.ReplaceAllString(s, "")
}

// isNoise reports whether a whole block is a caption, credit, bare link or
// call to action rather than something to read.
func isNoise(s string) bool {
	if noiseRE.MatchString(s) {
		return true
	}
	rest := strings.TrimSpace(emailRE.ReplaceAllString(urlRE.ReplaceAllString(s, ""), ""))
	return strings.Trim(rest, " .,;:-–—|()[]") == ""
}

// prepare turns a chunk into what the engine should read: no links,
// addresses or credits, and for the languages Newsline knows, numbers,
// symbols, abbreviations and dates written as they are said.
func prepare(s, lang string) string {
	s = urlRE.ReplaceAllString(s, "")
	s = emailRE.ReplaceAllString(s, "")
	s = creditParenRE.ReplaceAllString(s, "")
	s = emptyParenRE.ReplaceAllString(s, "")
	s = normalizePunctuation(s)
	if lang == "en" || lang == "" {
		s = speakEnglish(s)
	}
	return spaceBeforePunctRE.ReplaceAllString(collapseSpace(s), "$1")
}

// normalizePunctuation replaces typographic marks engines stumble on with
// plain ones, and dashes with the pause they stand for.
var punctuation = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201A", "'", "\u201B", "'",
	"\u201C", `"`, "\u201D", `"`, "\u201E", `"`, "\u00AB", `"`, "\u00BB", `"`,
	" \u2014 ", ", ", "\u2014", ", ", " \u2013 ", ", ", " - ", ", ",
	"\u2026", "...", "\u00A0", " ", "\u2009", " ", "\u202F", " ", "\u200B", "",
	"\u2022", ",", "|", ",",
)

func normalizePunctuation(s string) string { return punctuation.Replace(s) }

var (
	// Currency with a scale word: "$5m", "£3.2bn", "€40 million".
	moneyRE = regexp.MustCompile(`([$£€¥])\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(trillion|billion|million|thousand|tn|bn|m|k)\b)?`)
	// ISO dates: 2026-03-05.
	isoDateRE = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	// Times: 10:30am, 9 p.m.
	ampmRE    = regexp.MustCompile(`(?i)\b(\d{1,2}(?::\d{2})?)\s?([ap])\.?m\.?(\W|$)`)
	percentRE = regexp.MustCompile(`(\d)\s?%`)
	// Number ranges: 2010-2015, 5–10.
	rangeRE   = regexp.MustCompile(`\b(\d+)\s?[-–]\s?(\d+)\b`)
	decadesRE = regexp.MustCompile(`\b'(\d0)s\b`)
)

var englishAbbreviations = strings.NewReplacer(
	"e.g.", "for example", "i.e.", "that is", "etc.", "et cetera", "vs.", "versus", " vs ", " versus ",
	"approx.", "approximately", "No. ", "number ", "nos. ", "numbers ", "Jan. ", "January ", "Feb. ", "February ",
	"Aug. ", "August ", "Sept. ", "September ", "Oct. ", "October ", "Nov. ", "November ", "Dec. ", "December ",
	"Gov. ", "Governor ", "Sen. ", "Senator ", "Rep. ", "Representative ", "Prof. ", "Professor ", "Gen. ", "General ",
	"U.S.", "US", "U.K.", "UK", "U.N.", "UN", "E.U.", "EU", "&", " and ", "+", " plus ", "°C", " degrees Celsius",
	"°F", " degrees Fahrenheit", "km/h", " kilometres per hour", "mph", " miles per hour",
)

var (
	currencyNames = map[string][2]string{"$": {"dollar", "dollars"}, "£": {"pound", "pounds"}, "€": {"euro", "euros"}, "¥": {"yen", "yen"}}
	scaleNames    = map[string]string{"tn": "trillion", "bn": "billion", "m": "million", "k": "thousand"}
)

// speakEnglish writes out what Festival reads badly: currency amounts,
// percentages, ISO dates, times, ranges and common abbreviations. Plain
// numbers ("1,250", "3.5", "1990") Festival reads well itself.
func speakEnglish(s string) string {
	s = englishAbbreviations.Replace(s)
	s = moneyRE.ReplaceAllStringFunc(s, func(m string) string {
		g := moneyRE.FindStringSubmatch(m)
		names := currencyNames[g[1]]
		scale := g[3]
		if w, ok := scaleNames[strings.ToLower(scale)]; ok {
			scale = w
		}
		unit := names[1]
		if g[2] == "1" && scale == "" {
			unit = names[0]
		}
		return strings.TrimSpace(g[2] + " " + scale + " " + unit)
	})
	s = percentRE.ReplaceAllString(s, "$1 percent")
	s = isoDateRE.ReplaceAllStringFunc(s, func(m string) string {
		t, err := time.Parse("2006-01-02", m)
		if err != nil {
			return m
		}
		return spokenDate(t, "en")
	})
	s = ampmRE.ReplaceAllStringFunc(s, func(m string) string {
		g := ampmRE.FindStringSubmatch(m)
		return g[1] + " " + strings.ToUpper(g[2]) + " M" + g[3]
	})
	s = rangeRE.ReplaceAllString(s, "$1 to $2")
	s = decadesRE.ReplaceAllString(s, "${1}s")
	return s
}

// Month names for the byline's date, per language; the date is numeric in
// the others, which espeak-ng reads in their own way.
var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
}

// spokenDate writes a date as it is said: "5 March 2026", "5. März 2026",
// "5 de marzo de 2026".
func spokenDate(t time.Time, lang string) string {
	names, ok := monthNames[lang]
	if lang == "" {
		names, ok = monthNames["en"], true
	}
	if !ok {
		return fmt.Sprintf("%d.%d.%d", t.Day(), int(t.Month()), t.Year())
	}
	month := names[t.Month()-1]
	switch lang {
	case "de":
		return fmt.Sprintf("%d. %s %d", t.Day(), month, t.Year())
	case "es", "pt":
		return fmt.Sprintf("%d de %s de %d", t.Day(), month, t.Year())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
}
