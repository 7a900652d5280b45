package newsline

import "testing"

func TestTSConfig(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"en", "english"},
		{"de", "german"},
		{"pt-BR", "portuguese"},
		{"en_GB", "english"},
		{"NB", "norwegian"},
		{"nn", "norwegian"},
		{"zh", "simple"},
		{"xx", "simple"},
		{"", "simple"},
		{"-en", "simple"},
	}
	for _, tt := range tests {
		if got := TSConfig(tt.lang); got != tt.want {
			t.Errorf("TSConfig(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestKnownLanguages(t *testing.T) {
	for code := range tsConfigs {
		if !KnownLanguage(code) {
			t.Errorf("%q has a text search configuration but is not a known language", code)
		}
	}
	for _, code := range []string{"en", "pl", "zh", "ja", "he", "fa", "th", "uk"} {
		if !KnownLanguage(code) {
			t.Errorf("%q is not known", code)
		}
	}
	for _, code := range []string{"", "EN", "en-US", "xx", "eng"} {
		if KnownLanguage(code) {
			t.Errorf("%q is known", code)
		}
	}
	if got := KnownLanguages(); len(got) != len(languageNames) || got[0] != "af" {
		t.Errorf("KnownLanguages() = %q", got)
	}
}
