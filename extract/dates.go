package extract

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/araddon/dateparse"
)

// zoneOffsets maps the time-zone abbreviations news sites print to their
// offsets; Go's parser would otherwise read an unknown abbreviation as UTC.
// IST is read as India, the largest news market using it.
var zoneOffsets = map[string]string{
	"UTC": "+0000", "GMT": "+0000", "Z": "+0000", "UT": "+0000",
	"EST": "-0500", "EDT": "-0400",
	"CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600",
	"PST": "-0800", "PDT": "-0700",
	"AKST": "-0900", "AKDT": "-0800", "HST": "-1000",
	"AST": "-0400", "ADT": "-0300", "NST": "-0330", "NDT": "-0230",
	"BST": "+0100", "IST": "+0530", "WET": "+0000", "WEST": "+0100",
	"CET": "+0100", "CEST": "+0200", "MEZ": "+0100", "MESZ": "+0200",
	"EET": "+0200", "EEST": "+0300", "MSK": "+0300",
	"SAST": "+0200", "WAT": "+0100", "CAT": "+0200", "EAT": "+0300",
	"PKT": "+0500", "ICT": "+0700", "WIB": "+0700", "SGT": "+0800", "HKT": "+0800",
	"PHT": "+0800", "AWST": "+0800", "JST": "+0900", "KST": "+0900",
	"ACST": "+0930", "ACDT": "+1030", "AEST": "+1000", "AEDT": "+1100",
	"NZST": "+1200", "NZDT": "+1300", "BRT": "-0300", "ART": "-0300",
}

// zoneLocations are the generic US zones ("2:05 p.m. ET") whose offset
// depends on daylight saving time; they are parsed in the named location and
// fall back to the standard-time offset if the zone database is missing.
var zoneLocations = map[string]struct {
	name     string
	fallback string
}{
	"ET": {"America/New_York", "-0500"},
	"CT": {"America/Chicago", "-0600"},
	"MT": {"America/Denver", "-0700"},
	"PT": {"America/Los_Angeles", "-0800"},
}

// monthNames maps month names and abbreviations in the languages Newsline
// crawls most (German, French, Spanish, Italian, Portuguese, Dutch) to English
// so dateparse, which knows only English, can read them.
var monthNames = map[string]string{
	// German
	"januar": "January", "jänner": "January", "februar": "February", "märz": "March", "maerz": "March",
	"mai": "May", "juni": "June", "juli": "July", "oktober": "October", "dezember": "December",
	// French
	"janvier": "January", "février": "February", "fevrier": "February", "mars": "March", "avril": "April",
	"juin": "June", "juillet": "July", "août": "August", "aout": "August", "septembre": "September",
	"octobre": "October", "novembre": "November", "décembre": "December", "decembre": "December",
	// Spanish
	"enero": "January", "febrero": "February", "marzo": "March", "abril": "April", "mayo": "May",
	"junio": "June", "julio": "July", "agosto": "August", "septiembre": "September", "setiembre": "September",
	"octubre": "October", "noviembre": "November", "diciembre": "December",
	// Italian
	"gennaio": "January", "febbraio": "February", "aprile": "April", "maggio": "May", "giugno": "June",
	"luglio": "July", "settembre": "September", "ottobre": "October", "dicembre": "December",
	// Portuguese
	"janeiro": "January", "fevereiro": "February", "março": "March", "maio": "May", "junho": "June",
	"julho": "July", "setembro": "September", "outubro": "October", "novembro": "November", "dezembro": "December",
	// Dutch
	"januari": "January", "februari": "February", "maart": "March", "mei": "May", "augustus": "August",
}

// englishMonths abbreviates English month names.
var englishMonths = map[string]string{"january": "Jan", "february": "Feb", "march": "Mar", "april": "Apr",
	"june": "Jun", "july": "Jul", "august": "Aug", "september": "Sep", "october": "Oct", "november": "Nov",
	"december": "Dec"}

var (
	zoneWord     = regexp.MustCompile(`(?i)\b([A-Z]{1,4})$`)
	gmtOffset    = regexp.MustCompile(`\b(?:GMT|UTC)\s*([+-])(\d{1,2}):?(\d{2})?$`)
	monthDot     = regexp.MustCompile(`(?i)\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.`)
	sept         = regexp.MustCompile(`(?i)\bSept\b`)
	meridiem     = regexp.MustCompile(`(?i)(\d\s*|\b)([ap])\.?m\.?(\s|,|$)`)
	hourH        = regexp.MustCompile(`\b(\d{1,2})h(\d{2})\b`)
	clockWords   = regexp.MustCompile(`(?i)\s+(?:at|um|à|alle|às|a las|om|o)\s+|\s+uhr\b|\s+[|/•·]\s+`)
	yearIn       = regexp.MustCompile(`\b(?:19|20)\d{2}\b`)
	clock12      = regexp.MustCompile(`\b(\d{1,2})(?::(\d{2}))?\s*(AM|PM)\b`)
	dotClock     = regexp.MustCompile(`(\s\d{1,2})\.(\d{2})(\s|$)`)
	datePrefix   = regexp.MustCompile(`(?i)^(?:(?:first |originally )?published|updated|last updated|last modified|modified|posted|created|date|dated|on|le|el|am|vom|publié le|publicado|publicado el|pubblicato il|veröffentlicht am|aktualisiert am|gepubliceerd op)\s*:?\s*`)
	weekday      = regexp.MustCompile(`(?i)^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+|^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag),?\s+`)
	ordinal      = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)\b`)
	wordToken    = regexp.MustCompile(`\pL+`)
	spanishDe    = regexp.MustCompile(`(?i)(\d)\s+de\s+(\pL+)\s+de\s+(\d{4})`)
	dayDotMonth  = regexp.MustCompile(`^(\d{1,2})\.\s+(\pL)`)
	numericDate  = regexp.MustCompile(`^(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})\b(.*)$`)
	leadingClock = regexp.MustCompile(`^(\d{1,2}[:.]\d{2}(?:\s*[AP]M)?(?:\s+[A-Z]{2,4}|\s*[+-]\d{4})?)\s*,?\s+(\D.*\d{4}.*)$`)
	trailingJunk = regexp.MustCompile(`(?i)\s*(?:\||/|•|·|—|–)\s*(?:updated|modified|last updated|\d+ (?:min|minute|hour|hr)s?).*$`)
)

// isoLayouts are the ISO 8601 forms tried before the general parser.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05.999999999Z0700"}

// ParseDate reads a date as news pages print it: ISO 8601 with or without an
// offset, RFC 1123/822, "November 19, 2026", "Tuesday, Nov. 19, 2026 2:05
// p.m. EST", "19 Nov 2026 14.05 GMT", "2:05 PM ET, Tue November 19, 2026",
// "19. November 2026", "19 de noviembre de 2026", Unix seconds, and numeric
// dates whose day/month order is certain (see ParseDateLang). It returns nil
// when s holds no date it can trust, or a year before 1990 or after 2100.
func ParseDate(s string) *time.Time { return ParseDateLang(s, "") }

// ParseDateLang is ParseDate with the page's language tag ("en-US", "de",
// "en_GB") to settle numeric dates. A numeric date is read day-first when its
// separator is a dot (19.11.2026, never used month-first) or when its first
// number is over 12, month-first when its second number is over 12, and
// otherwise (03/04/2026) only by the language: month-first for en-US and
// other month-first regions, day-first for any other language or English
// region, and not at all for bare "en" or no language, because a wrong date
// is worse than none.
func ParseDateLang(s, lang string) *time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > 120 {
		return nil
	}
	// Fast path: most structured dates are ISO 8601.
	if t, done := parseISODate(s); done {
		return t
	}
	s = trailingJunk.ReplaceAllString(s, "")
	for range 2 { // "Updated on Tuesday, ..." needs two passes
		s = datePrefix.ReplaceAllString(s, "")
		s = weekday.ReplaceAllString(s, "")
	}
	if s == "" || len(s) > 80 {
		return nil
	}
	years := yearIn.FindAllString(s, -1)
	s, ok := dateparseForm(s, lang)
	if !ok {
		return nil
	}
	s, loc := dateZone(s)
	if !onlyDateWords(s) {
		return nil
	}
	var t time.Time
	var err error
	if loc != nil {
		t, err = dateparse.ParseIn(s, loc, dateparse.RetryAmbiguousDateWithSwap(false))
	} else {
		t, err = dateparse.ParseStrict(s)
	}
	if err != nil || t.Year() < 1990 || t.Year() > 2100 {
		return nil
	}
	// A parse that lost the printed year misread the layout.
	if len(years) > 0 && !slices.Contains(years, strconv.Itoa(t.Year())) {
		return nil
	}
	return &t
}

// parseISODate reads an ISO 8601 date; done is false when s is not one and
// the general parser must try.
func parseISODate(s string) (t *time.Time, done bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return nil, false
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.Year() > 2100 {
				return nil, true
			}
			return &t, true
		}
	}
	return nil, false
}

// dateparseForm rewrites a printed date, its labels and weekday already
// gone, into a layout dateparse reads: English month abbreviations, no
// commas, "2:05 PM" as "14:05", a numeric date as ISO. ok is false for a
// numeric date whose day/month order the language does not settle.
func dateparseForm(s, lang string) (string, bool) {
	s = clockWords.ReplaceAllString(s, " ")
	s = hourH.ReplaceAllString(s, "$1:$2")
	s = monthDot.ReplaceAllString(s, "$1")
	s = sept.ReplaceAllString(s, "Sep")
	s = ordinal.ReplaceAllString(s, "$1")
	s = spanishDe.ReplaceAllString(s, "$1 $2 $3")
	s = dayDotMonth.ReplaceAllString(s, "$1 $2")
	// Months become English abbreviations and commas go: dateparse knows
	// more layouts of the form "19 Nov 2026 14:05".
	s = wordToken.ReplaceAllStringFunc(s, func(w string) string {
		if en, ok := monthNames[strings.ToLower(w)]; ok {
			return en[:3]
		}
		if en, ok := englishMonths[strings.ToLower(w)]; ok {
			return en
		}
		return w
	})
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ")
	s = meridiem.ReplaceAllStringFunc(s, func(m string) string {
		p := meridiem.FindStringSubmatch(m)
		return strings.TrimSpace(p[1]) + " " + strings.ToUpper(p[2]) + "M" + p[3]
	})
	if m := leadingClock.FindStringSubmatch(s); m != nil {
		s = weekday.ReplaceAllString(m[2], "") + " " + m[1]
	}
	if m := numericDate.FindStringSubmatch(s); m != nil {
		iso, ok := numericISO(m, lang)
		if !ok {
			return "", false
		}
		s = iso + " " + strings.TrimLeft(m[6], ", ")
	}
	s = dotClock.ReplaceAllString(s, "$1:$2$3")
	s = clock24(s)
	return strings.TrimSpace(s), true
}

// clock24 writes 12-hour clock times on the 24-hour clock: dateparse
// misreads "2:05 PM -0500".
func clock24(s string) string {
	return clock12.ReplaceAllStringFunc(s, func(m string) string {
		p := clock12.FindStringSubmatch(m)
		h, _ := strconv.Atoi(p[1])
		switch {
		case p[3] == "PM" && h < 12:
			h += 12
		case p[3] == "AM" && h == 12:
			h = 0
		}
		min := p[2]
		if min == "" {
			min = "00"
		}
		return fmt.Sprintf("%02d:%s", h, min)
	})
}

// dateZone moves a date's time zone where dateparse reads it: a GMT offset
// or a zone abbreviation becomes a numeric offset, or, for a zone whose
// offset changes with daylight saving time, the location to parse in.
func dateZone(s string) (string, *time.Location) {
	var loc *time.Location
	if m := gmtOffset.FindStringSubmatch(s); m != nil {
		min := m[3]
		if min == "" {
			min = "00"
		}
		h, _ := strconv.Atoi(m[2])
		s = strings.TrimSpace(s[:len(s)-len(m[0])]) + fmt.Sprintf(" %s%02d%s", m[1], h, min)
	} else if m := zoneWord.FindStringSubmatch(s); m != nil {
		zone := strings.ToUpper(m[1])
		if off, ok := zoneOffsets[zone]; ok {
			s = strings.TrimSpace(strings.TrimSuffix(s, m[1])) + " " + off
		} else if z, ok := zoneLocations[zone]; ok {
			s = strings.TrimSpace(strings.TrimSuffix(s, m[1]))
			if l, err := time.LoadLocation(z.name); err == nil {
				loc = l
			} else {
				s += " " + z.fallback
			}
		}
	}
	return s, loc
}

// dateWords are the words a normalized date may still hold; dateparse
// ignores trailing words, so "2026-11-19 was a Thursday" must be refused
// here.
var dateWords = func() map[string]bool {
	m := setOf("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "am", "pm", "t", "z")
	for z := range zoneOffsets {
		m[strings.ToLower(z)] = true
	}
	return m
}()

var digitRun = regexp.MustCompile(`\d+`)

// onlyDateWords reports whether s, a date after normalization, holds only
// numbers and date words, and more than a bare year.
func onlyDateWords(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		if strings.Trim(w, "0123456789") != "" && !dateWords[strings.Trim(w, "0123456789")] {
			return false
		}
	}
	runs := digitRun.FindAllString(s, 3)
	return len(runs) > 1 || len(runs) == 1 && len(runs[0]) > 4
}

// numericISO turns the parts of a numeric date (day/month order unknown)
// into "2006-01-02", following the rules in ParseDateLang's comment.
func numericISO(m []string, lang string) (string, bool) {
	if m[2] != m[4] {
		return "", false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[3])
	y, _ := strconv.Atoi(m[5])
	if len(m[5]) == 2 {
		y += 2000
	}
	var day, month int
	switch {
	case m[2] == ".", a > 12 && b <= 12, a == b:
		day, month = a, b
	case b > 12 && a <= 12:
		day, month = b, a
	default:
		switch dateOrder(lang) {
		case dayFirst:
			day, month = a, b
		case monthFirst:
			day, month = b, a
		default:
			return "", false
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, month, day), true
}

type numericOrder int

const (
	unknownOrder numericOrder = iota
	dayFirst
	monthFirst
)

// monthFirstRegions write numeric dates month first (US and its territories,
// the Philippines, and a few more); every other region writes day first.
var monthFirstRegions = map[string]bool{"us": true, "um": true, "as": true, "gu": true, "mp": true, "pr": true, "vi": true, "ph": true, "fm": true, "mh": true, "pw": true}

// dateOrder says how a page in lang writes numeric dates. English without a
// region is ambiguous: British and American sites both declare plain "en".
func dateOrder(lang string) numericOrder {
	lang = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	if lang == "" {
		return unknownOrder
	}
	primary, region, _ := strings.Cut(lang, "-")
	if len(region) > 2 {
		region = ""
	}
	switch {
	case monthFirstRegions[region]:
		return monthFirst
	case primary == "en" && region == "":
		return unknownOrder
	}
	return dayFirst
}

// monthPattern matches a month name or abbreviation in any language of
// monthNames, for finding dates inside running text.
var monthPattern = func() string {
	names := []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
		"aug", "sep", "sept", "oct", "nov", "dec"}
	for k := range monthNames {
		names = append(names, k)
	}
	// Longest first, so "september" wins over "sep".
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return strings.Join(names, "|")
}()

// datesInText find the dates a byline or a "Published:" line prints among
// other words; each match is handed to ParseDateLang.
var datesInText = []*regexp.Regexp{
	regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`),
	regexp.MustCompile(`(?i)\b(?:` + monthPattern + `)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4})\b)?)?`),
	regexp.MustCompile(`(?i)\b\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?:` + monthPattern + `)\.?,?\s+(?:de\s+)?\d{4}(?:,?\s+(?:at\s+|um\s+|à\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4})\b)?)?`),
	regexp.MustCompile(`(?i)\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b(?:,?\s+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?`),
}

// findDate returns the earliest date printed in free text such as a byline
// ("By Jane Doe Monday, November 18, 2019 at 5 p.m."), and where it starts;
// nil and -1 when there is none.
func findDate(text, lang string) (*time.Time, int) {
	if !strings.ContainsAny(text, "0123456789") {
		return nil, -1 // every date has digits; skip the costly patterns
	}
	var best *time.Time
	at := -1
	for _, re := range datesInText {
		for _, loc := range re.FindAllStringIndex(text, 4) {
			if at >= 0 && loc[0] >= at {
				break
			}
			if t := ParseDateLang(text[loc[0]:loc[1]], lang); t != nil {
				best, at = t, loc[0]
				break
			}
		}
	}
	return best, at
}
