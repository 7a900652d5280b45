package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// Author normalization. Pages name their authors in many shapes: "By JANE
// DOE and John Roe, Staff Writers", "Jane Doe | @jdoe", a JSON-LD Person, a
// meta tag holding a profile URL. NormalizeAuthors reduces all of them to a
// list of person names; splitByline does the splitting and cleaning that
// keeps the original letter case (NormalizeAuthors title-cases).

var (
	// bylinePrefix is the lead-in before the names, in the languages
	// Newsline crawls most.
	// A one-word label before a colon ("Text:", "Autor:", "Текст:") is one
	// too.
	bylinePrefix = regexp.MustCompile(`(?i)^(?:(?:(?:written|posted|reported|story|words|text|photos?|reporting|compiled|edited|analysis|commentary|opinion)\s+by|by|from|von|par|por|di|door)\s*:?\s+|\pL{2,15}\s*:\s+)`)
	// bylineSep separates authors: conjunctions in several languages, lists,
	// and the bars and bullets sites put between name and role.
	bylineSep = regexp.MustCompile(`(?i)\s+(?:and|&|with|und|et|en|with additional reporting by|additional reporting by|reporting by)\s+|\s*(?:[,;|•·/\n]|\s&\s|\s-\s|\s–\s|\s—\s)\s*`)
	// parenthetical is "(AP)", "(Reuters)", "(she/her)": never part of a name.
	parenthetical = regexp.MustCompile(`\s*[(\[][^)\]]*[)\]]`)
	// affiliation cuts "Jane Doe for CNN", "Jane Doe in Berlin", "Jane Doe is
	// a reporter ...".
	affiliation = regexp.MustCompile(`\s+(?:for|at|in|of|is|was|writes|reports|special to)\s+.*$`)
	// contactToken is an email, a URL or a social handle.
	contactToken = regexp.MustCompile(`(?i)^(?:@\S+|\S+@\S+\.\S+|https?://\S+|www\.\S+|\S+\.(?:com|org|net|co\.uk|de|fr)(?:/\S*)?)$`)
	digits       = regexp.MustCompile(`\d`)
	// sentenceStop is "Jane Doe. Sputnik International": a full stop after
	// a word of two or more letters ends a name (after an initial it does
	// not: "J. Doe").
	sentenceStop = regexp.MustCompile(`(\p{Ll}{2,})\.\s+`)
)

// roleNouns end a role: "Staff Writer", "Senior Political Correspondent".
var roleNouns = setOf("writer", "writers", "reporter", "reporters", "correspondent", "correspondents",
	"editor", "editors", "columnist", "columnists", "contributor", "contributors", "journalist", "journalists",
	"producer", "producers", "photographer", "photographers", "analyst", "critic", "intern", "staff",
	"editor-at-large", "writer-at-large", "redakteur", "redakteurin", "korrespondent", "korrespondentin", "journaliste", "correspondant", "redacción", "redaccion")

// roleModifiers may precede a role noun: "Senior Political Correspondent".
var roleModifiers = setOf("staff", "senior", "chief", "contributing", "special", "associate", "assistant",
	"deputy", "managing", "executive", "political", "national", "foreign", "international", "business",
	"economics", "science", "health", "technology", "tech", "sports", "sport", "culture", "arts", "food",
	"travel", "investigative", "data", "digital", "news", "features", "opinion", "guest", "freelance",
	"white", "house", "legal", "affairs", "markets", "climate", "education", "entertainment", "fashion",
	"music", "film", "tv", "television", "video", "social", "media", "copy", "desk", "general", "breaking",
	"world", "metro", "city", "local", "a", "an", "the", "our")

// credentials are degrees and licences after a name: "Jane Doe, MS, RD".
// They count only when written as abbreviations (see isCredential), so the
// surnames Ma and Do survive.
var credentials = setOf("md", "m.d.", "phd", "ph.d.", "ph.d", "ms", "m.s.", "ma", "mba", "mph", "msc", "bsc",
	"rd", "rdn", "ld", "ldn", "cpt", "rn", "np", "pa-c", "do", "dds", "dmd", "dvm", "jd", "esq", "esq.", "cscs",
	"cde", "lcsw", "psyd", "facs", "faap", "mfa", "ibclc", "cpa", "cfa", "cfp", "mpp", "msw", "lpc", "pharmd")

// organizations are bylines that name an agency or a newsroom rather than a
// person; they are dropped from the person authors. Compared after
// lower-casing and stripping a leading "the".
var organizations = setOf("associated press", "ap", "the associated press", "reuters", "thomson reuters",
	"afp", "agence france-presse", "agence france presse", "bloomberg", "bloomberg news", "dpa",
	"deutsche presse-agentur", "upi", "united press international", "pa", "pa media", "press association",
	"xinhua", "kyodo", "kyodo news", "ansa", "efe", "europa press", "ians", "pti", "press trust of india",
	"aap", "australian associated press", "cnn", "bbc", "bbc news", "cnn wire", "tribune news service",
	"tribune content agency", "agencies", "agency", "staff", "staff and agencies", "wire services", "wires",
	"news service", "news services", "news desk", "newsdesk", "editorial board", "editorial staff", "the editors",
	"editors", "admin", "administrator", "guest", "guest author", "anonymous", "unknown", "redaktion",
	"la rédaction", "redacción", "redazione", "ap staff", "reuters staff", "afp staff")

// orgWords mark a name as an organization wherever they appear as a word.
var orgWords = setOf("news", "press", "agency", "agencies", "newsroom", "staff", "desk", "team", "inc",
	"inc.", "llc", "ltd", "ltd.", "gmbh", "corp", "corp.", "media", "wire", "service", "services", "network",
	"magazine", "editorial", "board", "department", "university", "institute", "association", "foundation",
	"company", "group", "online", "digital", "tv", "radio", "daily", "weekly", "times", "herald", "tribune",
	"gazette", "journal", "chronicle", "post", "international", "sport", "sports", "bureau")

// newsroomWords end the name of a newsroom rather than a person.
var newsroomWords = setOf("staff", "team", "desk", "newsroom", "bureau", "reports", "redaktion", "rédaction",
	"redacción", "editors", "agencies")

// nameParticles may start a name word in lower case: "Ludwig van Beethoven".
var nameParticles = setOf("de", "da", "das", "do", "dos", "del", "della", "di", "du", "van", "von", "der",
	"den", "ter", "ten", "le", "la", "bin", "ibn", "al", "el", "y", "e", "zu", "st.", "mc", "af")

// romanSuffix keeps "III" upper-case when title-casing "JOHN DOE III".
var romanSuffix = setOf("ii", "iii", "iv", "vi", "vii")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// NormalizeAuthors turns raw author strings (bylines, JSON-LD names, meta
// tag values) into person names: each is split like a byline; roles,
// emails, URLs, handles, agencies and the names in exclude (the site and
// publisher) are dropped; ALL-CAPS names are title-cased; duplicates are
// removed case-insensitively, keeping the first spelling and the order.
func NormalizeAuthors(raw []string, exclude ...string) []string {
	// A site name excludes the name itself; a one-word site name ("CNN",
	// a domain's "telegraph") also excludes names containing it ("CNN
	// Business", "Telegraph Sport"); and a one-word name that is a word of
	// a site name ("Beachbody" on "The Beachbody Blog") is the site too.
	skip, skipWord, siteWords := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range exclude {
		if k := alnumKey(e); k != "" {
			skip[k] = true
			if len(strings.Fields(e)) == 1 {
				skipWord[k] = true
			}
			for _, w := range strings.Fields(e) {
				siteWords[alnumKey(w)] = true
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range raw {
		for _, name := range splitByline(r) {
			if skip[alnumKey(name)] || skip[alnumKey(strings.TrimPrefix(strings.ToLower(name), "the "))] ||
				containsWord(name, skipWord) || !strings.Contains(name, " ") && siteWords[alnumKey(name)] {
				continue
			}
			out = addName(out, seen, titleCaseShouting(name))
		}
	}
	return out
}

// addName appends name to out unless seen holds its key (the same name
// in other letter case or spacing), and marks its key seen.
func addName(out []string, seen map[string]bool, name string) []string {
	k := nameKey(name)
	if seen[k] {
		return out
	}
	seen[k] = true
	return append(out, name)
}

func containsWord(name string, words map[string]bool) bool {
	for _, w := range strings.Fields(name) {
		if words[alnumKey(w)] {
			return true
		}
	}
	return false
}

// splitByline splits a byline into cleaned person names in their original
// letter case: "By JANE DOE and John Roe, Staff Writers" gives "JANE DOE",
// "John Roe". It drops roles, contacts, agencies and anything that does not
// look like a name, and de-duplicates case-insensitively.
func splitByline(byline string) []string {
	s := strings.Join(strings.Fields(byline), " ")
	if s == "" || len(s) > 300 {
		return nil
	}
	s = parenthetical.ReplaceAllString(s, "")
	s = sentenceStop.ReplaceAllString(s, "$1, ")
	// Strip the lead-in before splitting, and again per part: "Story by A
	// and photos by B".
	s = bylinePrefix.ReplaceAllString(s, "")
	seps := bylineSep.FindAllStringIndex(s, -1)
	var out []string
	seen := map[string]bool{}
	start := 0
	for i := 0; i <= len(seps); i++ {
		end := len(s)
		if i < len(seps) {
			end = seps[i][0]
		}
		part := s[start:end]
		afterComma := start > 0 && isListSep(s[:start])
		start = end
		if i < len(seps) {
			start = seps[i][1]
		}
		if name, ok := cleanName(part, afterComma); ok {
			out = addName(out, seen, name)
		}
	}
	return out
}

// isListSep reports whether the text before a part ends with a comma-like
// separator (not a conjunction): a role after a comma ("Jane Doe, Staff
// Writer") describes the name before it.
func isListSep(before string) bool {
	before = strings.TrimRight(before, " ")
	return strings.HasSuffix(before, ",") || strings.HasSuffix(before, "|") || strings.HasSuffix(before, "-") ||
		strings.HasSuffix(before, "–") || strings.HasSuffix(before, "—") || strings.HasSuffix(before, "•") ||
		strings.HasSuffix(before, "·") || strings.HasSuffix(before, "/")
}

// cleanName returns the person name in one byline part, or false when the
// part is a role, a contact, an organization or not a name at all.
func cleanName(part string, afterComma bool) (string, bool) {
	part = bylinePrefix.ReplaceAllString(strings.TrimSpace(part), "")
	var words []string
	for _, w := range strings.Fields(part) {
		if contactToken.MatchString(w) {
			continue
		}
		words = append(words, w)
	}
	part = strings.Join(words, " ")
	part = affiliation.ReplaceAllString(part, "")
	part = strings.Trim(part, " .,:;-–—'\"“”‘’*")
	if part == "" {
		return "", false
	}
	words = strings.Fields(part)
	if isCredential(part) {
		return "", false
	}
	for len(words) > 1 && isCredential(strings.TrimRight(words[len(words)-1], ",")) {
		words = words[:len(words)-1]
	}
	part = strings.TrimRight(strings.Join(words, " "), ",")
	// "HNN Staff", "Science X staff", "Metro Desk" name a newsroom.
	if newsroomWords[strings.ToLower(words[len(words)-1])] {
		return "", false
	}
	// A trailing role ("Jane Doe Staff Writer") is cut; a part that is only
	// a role, or a role after a comma ("Washington Correspondent"), is
	// dropped.
	if roleNouns[strings.ToLower(words[len(words)-1])] {
		if afterComma {
			return "", false
		}
		for len(words) > 0 && (roleNouns[strings.ToLower(words[len(words)-1])] || roleModifiers[strings.ToLower(words[len(words)-1])]) {
			words = words[:len(words)-1]
		}
		if len(words) == 0 {
			return "", false
		}
		part = strings.Join(words, " ")
	}
	if !looksLikeName(words) || isOrganization(part) {
		return "", false
	}
	return part, true
}

// isCredential reports whether w is a degree written as one: "MD", "PhD",
// "M.D.", not "Ma" or "Do".
func isCredential(w string) bool {
	if !credentials[strings.ToLower(w)] {
		return false
	}
	upper := 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2 || strings.Contains(w, ".")
}

// looksLikeName rejects dates, sentences and labels that byline elements
// also hold: "Updated 3 hours ago", "Share this article", "Follow".
func looksLikeName(words []string) bool {
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	name := strings.Join(words, " ")
	if len(name) < 2 || len(name) > 60 || digits.MatchString(name) || strings.ContainsAny(name, ":?!=<>{}[]#+%") {
		return false
	}
	for _, w := range words {
		r := []rune(w)
		if !unicode.IsLetter(r[0]) && r[0] != '\'' {
			return false
		}
		if unicode.IsLower(r[0]) && !nameParticles[strings.ToLower(w)] {
			return false
		}
	}
	if len(words) == 1 {
		// A one-word byline is a login or an acronym ("admin", "HNN"),
		// unless it is a capitalized word of three or more letters.
		// Scripts without case (李明) have short one-word names.
		var upper, lower, letters int
		for _, r := range words[0] {
			switch {
			case unicode.IsUpper(r):
				upper++
			case unicode.IsLower(r):
				lower++
			}
			letters++
		}
		if upper == 0 && lower == 0 {
			return letters >= 2
		}
		return letters >= 3 && lower > 0 && !nameParticles[strings.ToLower(words[0])]
	}
	return true
}

// isOrganization reports whether s names an agency, newsroom or company.
func isOrganization(s string) bool {
	if organizations[orgKey(s)] {
		return true
	}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if orgWords[w] {
			return true
		}
	}
	return false
}

// orgKey is s lower-cased, without a leading "the" and spare spaces, for
// comparing names of organizations and sites.
func orgKey(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimPrefix(s, "the ")
}

// nameKey is the de-duplication key of a name: case, dots and spacing
// ignored, so "J. Doe" and "j doe" are one author.
func nameKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, ".", " "))), " ")
}

// titleCaseShouting title-cases a name written in capitals ("JANE O'BRIEN-
// SMITH" becomes "Jane O'Brien-Smith"); other names keep their case, which
// is deliberate ("DeAndre McDonald").
func titleCaseShouting(s string) string {
	hasUpper := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return s
		}
		hasUpper = hasUpper || unicode.IsUpper(r)
	}
	if !hasUpper {
		return s
	}
	words := strings.Fields(s)
	for i, w := range words {
		if romanSuffix[strings.ToLower(w)] {
			continue
		}
		var b strings.Builder
		upper := true
		for _, r := range w {
			if upper {
				b.WriteRune(unicode.ToUpper(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			upper = r == '-' || r == '\'' || r == '’' || r == '.'
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}
