package extract

import (
	"reflect"
	"testing"
)

// TestSplitBylineFormats covers each byline shape splitByline handles; it
// keeps the letter case (NormalizeAuthors title-cases).
func TestSplitBylineFormats(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		// The first byline splitter's cases.
		{"By Jane Doe", []string{"Jane Doe"}},
		{"by Jane Doe and John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jane Doe, John Roe & Ann Poe", []string{"Jane Doe", "John Roe", "Ann Poe"}},
		{"By JANE DOE, Staff Reporter", []string{"JANE DOE"}},
		{"Jane Doe; jane doe", []string{"Jane Doe"}},
		{"", nil},
		// Lead-ins.
		{"Written by Jane Doe", []string{"Jane Doe"}},
		{"Posted by Jane Doe", []string{"Jane Doe"}},
		{"Analysis by Jane Doe", []string{"Jane Doe"}},
		{"BY JANE DOE", []string{"JANE DOE"}},
		{"Von Hans Müller und Eva Schmidt", []string{"Hans Müller", "Eva Schmidt"}},
		{"Par Jean Dupont et Marie Curie", []string{"Jean Dupont", "Marie Curie"}},
		{"Author: Jane Doe", []string{"Jane Doe"}},
		{"Texto: María García", []string{"María García"}},
		{"Текст: Венера Ерофеева", []string{"Венера Ерофеева"}},
		{"News Nation Bureau", nil},
		{"Staff Reports", nil},
		// Separators.
		{"Jane Doe | John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jane Doe with John Roe", []string{"Jane Doe", "John Roe"}},
		{"Jane Doe • John Roe", []string{"Jane Doe", "John Roe"}},
		{"By Jane Doe and John Roe; additional reporting by Ann Poe", []string{"Jane Doe", "John Roe", "Ann Poe"}},
		// Roles.
		{"Jane Doe, Staff Writer", []string{"Jane Doe"}},
		{"Jane Doe Staff Writer", []string{"Jane Doe"}},
		{"By Jane Doe - Senior Editor", []string{"Jane Doe"}},
		{"Jane Doe, Washington Correspondent", []string{"Jane Doe"}},
		{"Jane Doe and John Roe, Staff Writers", []string{"Jane Doe", "John Roe"}},
		{"Chris Cillizza, CNN Editor-at-large", []string{"Chris Cillizza"}},
		{"Greg Beacham, AP Sports Writer", []string{"Greg Beacham"}},
		{"Rachael Link, MS, RD", []string{"Rachael Link"}},
		{"Jane Doe MD", []string{"Jane Doe"}},
		{"Jane Doe, Ph.D.", []string{"Jane Doe"}},
		{"Jack Ma and Linh Do", []string{"Jack Ma", "Linh Do"}},
		// Affiliations and agencies.
		{"Jane Doe for CNN", []string{"Jane Doe"}},
		{"Jane Doe in Berlin", []string{"Jane Doe"}},
		{"Jane Doe (Reuters)", []string{"Jane Doe"}},
		{"Meg Kinnard and Errin Haines, Associated Press", []string{"Meg Kinnard", "Errin Haines"}},
		{"By The Associated Press", nil},
		{"Reuters", nil},
		{"AFP", nil},
		{"Staff and agencies", nil},
		{"HNN Staff", nil},
		{"Science X staff", nil},
		{"NJ Advance Media for NJ.com", nil},
		{"Finian Cunningham. Sputnik International", []string{"Finian Cunningham"}},
		// Contacts.
		{"Jane Doe jane@example.com", []string{"Jane Doe"}},
		{"Jane Doe @janedoe", []string{"Jane Doe"}},
		{"@janedoe", nil},
		{"https://www.facebook.com/janedoe", nil},
		{"www.example.com/authors/jane", nil},
		// Not names.
		{"Updated 3 hours ago", nil},
		{"Share this article", nil},
		{"admin", nil},
		{"As", nil},
		{"HNN", nil},
		// Names that look unusual but are names.
		{"J.R.R. Tolkien", []string{"J.R.R. Tolkien"}},
		{"Ludwig van Beethoven", []string{"Ludwig van Beethoven"}},
		{"Regan", []string{"Regan"}},
		{"Mary-Kate O'Neil", []string{"Mary-Kate O'Neil"}},
		{"李明", []string{"李明"}},
	}
	for _, tt := range tests {
		if got := splitByline(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitByline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeAuthors(t *testing.T) {
	tests := []struct {
		name    string
		raw     []string
		exclude []string
		want    []string
	}{
		{"title-cases capitals", []string{"By LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER"}, nil,
			[]string{"Lisa Mascaro", "Mary Clare Jalonick", "Eric Tucker"}},
		{"title-cases hyphens and apostrophes", []string{"JANE O'BRIEN-SMITH"}, nil, []string{"Jane O'Brien-Smith"}},
		{"keeps a suffix", []string{"JOHN DOE III"}, nil, []string{"John Doe III"}},
		{"keeps mixed case", []string{"DeAndre McDonald", "danah boyd jones"}, nil, []string{"DeAndre McDonald"}},
		{"dedupes across values", []string{"Jane Doe", "JANE DOE", "jane  doe", "J. Doe", "J Doe"}, nil, []string{"Jane Doe", "J. Doe"}},
		{"keeps order", []string{"Zed Alpha", "Amy Zulu"}, nil, []string{"Zed Alpha", "Amy Zulu"}},
		{"drops the site", []string{"Jane Doe", "The Daily Planet"}, []string{"Daily Planet"}, []string{"Jane Doe"}},
		{"drops the site ignoring spacing", []string{"NBCNews"}, []string{"NBC News"}, nil},
		{"drops names containing a one-word site", []string{"Jill Disis, CNN Business"}, []string{"CNN"}, []string{"Jill Disis"}},
		{"drops the domain's name", []string{"Telegraph Sport"}, []string{"telegraph"}, nil},
		{"drops a word of the site", []string{"Beachbody", "Jane Beach"}, []string{"The Beachbody Blog"}, []string{"Jane Beach"}},
		{"drops organizations", []string{"Bloomberg News", "Jane Doe", "Editorial Board"}, nil, []string{"Jane Doe"}},
		{"empty", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeAuthors(tt.raw, tt.exclude...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("NormalizeAuthors(%q, %q) = %q, want %q", tt.raw, tt.exclude, got, tt.want)
			}
		})
	}
}
