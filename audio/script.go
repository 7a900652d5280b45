package audio

import (
	"strings"
	"time"
)

// Script is what an episode reads: the title, a byline ("by AUTHORS,
// SITE, DATE"), then the body block by block.
type Script struct {
	Title   string
	Authors []string
	Site    string    // the site's name as a listener knows it ("The Guardian")
	Date    time.Time // zero when unknown
	Lang    string    // ISO 639-1 code; picks the engine and the voice
	Body    []Block
}

// Block is one paragraph or section heading of the body.
type Block struct {
	Text    string
	Heading bool
}

// Byline is the sentence read after the title: "by Ann Lee and Bo Ma,
// The Daily, 5 March 2026." Parts that are unknown are left out; empty
// when all are.
func (s Script) Byline() string {
	var parts []string
	if len(s.Authors) > 0 {
		parts = append(parts, bylineWord(s.Lang)+" "+joinNames(s.Authors, andWord(s.Lang)))
	}
	if s.Site != "" {
		parts = append(parts, s.Site)
	}
	if !s.Date.IsZero() {
		parts = append(parts, spokenDate(s.Date, s.Lang))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + "."
}

// joinNames joins names as a sentence does: "A", "A and B", "A, B and C".
func joinNames(names []string, and string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}

// The few words a byline needs, per language; English elsewhere.
var (
	bylineWords = map[string]string{"de": "von", "fr": "par", "es": "por", "it": "di", "nl": "door", "pt": "por", "sv": "av", "da": "af", "nb": "av", "no": "av", "pl": "autor"}
	andWords    = map[string]string{"de": "und", "fr": "et", "es": "y", "it": "e", "nl": "en", "pt": "e", "sv": "och", "da": "og", "nb": "og", "no": "og", "pl": "i"}
)

func bylineWord(lang string) string {
	if w, ok := bylineWords[lang]; ok {
		return w
	}
	return "by"
}

func andWord(lang string) string {
	if w, ok := andWords[lang]; ok {
		return w
	}
	return "and"
}
