package config

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseSitesLanguages(t *testing.T) {
	sites, err := ParseSites("good.yaml", []byte("sites:\n  - host: a.example\n    languages: [de, en, de]\n  - host: b.example\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := sites[0].Languages; !slices.Equal(got, []string{"de", "en"}) {
		t.Errorf("languages %q, want [de en]", got)
	}
	if got := sites[1].Languages; len(got) != 0 {
		t.Errorf("default languages %q, want none", got)
	}
	for _, bad := range []string{"eng", "EN", "en-US", "xx", "''"} {
		_, err := ParseSites("bad.yaml", []byte("sites:\n  - host: a.example\n    languages: [en, "+bad+"]\n"))
		want := `bad.yaml:3: site "a.example": field languages: want lower-case ISO 639-1 codes such as en or de`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("languages [en, %s]: got %v\nwant error containing %q", bad, err, want)
		}
	}
}

// TestREADMEListsEverySiteField keeps the README's whitelist example true
// to the fields a whitelist entry takes.
func TestREADMEListsEverySiteField(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[siteEntry]()
	for i := range typ.NumField() {
		key := typ.Field(i).Tag.Get("yaml")
		if !strings.Contains(string(readme), " "+key+":") {
			t.Errorf("README's whitelist example lacks %s:", key)
		}
	}
}
