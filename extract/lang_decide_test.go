package extract

import (
	"strings"
	"testing"
)

func TestDecideLanguage(t *testing.T) {
	german := strings.Repeat("Der Minister unterzeichnete am Dienstag nach langen Gesprächen mit dem Regionalrat das Abkommen über Wasser. ", 8)
	shortGerman := "Der Minister unterzeichnete am Dienstag das Abkommen."
	catalan := strings.Repeat("El ministre va signar dimarts l'acord després de llargues converses amb el consell regional sobre l'aigua. ", 8)
	kanji := strings.Repeat("東京都知事選挙の投開票日 ", 10)
	all, de := New(), New().WithLanguages([]string{"de"})
	tests := []struct {
		name           string
		x              *Extractor
		declared, text string
		want           string
	}{
		{"agrees", all, "de", german, "de"},
		{"long text overrules a template's default", all, "en", german, "de"},
		{"short text does not", all, "en", shortGerman, "en"},
		{"no declaration: the text", all, "", shortGerman, "de"},
		{"no declaration, no text", all, "", "", ""},
		{"a language the detector does not know stands", all, "ca", catalan, "ca"},
		{"Japanese in kanji is not overruled as Chinese", all, "ja", kanji, "ja"},
		{"whitelist drops a declaration outside it", de, "en", shortGerman, "de"},
		{"one-language site without text", de, "", "", "de"},
		{"Norwegian Bokmål is Norwegian", all, "nb", "", "no"},
	}
	for _, tt := range tests {
		if got := tt.x.decideLanguage(tt.declared, tt.text); got != tt.want {
			t.Errorf("%s: decideLanguage(%q, %.20q) = %q, want %q", tt.name, tt.declared, tt.text, got, tt.want)
		}
	}
}

func TestWithLanguagesRestrictsDetection(t *testing.T) {
	// Dutch and Afrikaans are near; a Dutch site's whitelist settles it.
	text := "Die minister het Dinsdag na lang gesprekke met die streeksraad die ooreenkoms oor water onderteken."
	x := New().WithLanguages([]string{"nl", "en"})
	if got := x.DetectLanguage(text); got != "nl" && got != "en" {
		t.Errorf("DetectLanguage with nl,en = %q", got)
	}
	if got := New().WithLanguages([]string{"ga"}).DetectLanguage(text); got != "" {
		t.Errorf("DetectLanguage with only undetectable languages = %q, want none", got)
	}
}
