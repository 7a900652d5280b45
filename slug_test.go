package newsline

import "testing"

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Jane Doe", "jane-doe"},
		{"  Jane   DOE ", "jane-doe"},
		{"Jürgen Müller-Lüdenscheidt", "jurgen-muller-ludenscheidt"},
		{"Straße", "strasse"},
		{"Søren Kierkegaard", "soren-kierkegaard"},
		{"Łukasz Żółć", "lukasz-zolc"},
		{"Business & Economy", "business-economy"},
		{"O'Neil, Cathy", "o-neil-cathy"},
		{"Иван Петров", "иван-петров"},
		{"山田 太郎", "山田-太郎"},
		{"World/Europe", "world-europe"},
		{"2026 Election", "2026-election"},
		{"---", ""},
		{"", ""},
		{"\x00bad\xffutf8", "bad-utf8"},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Jane Doe", "Straße", "a--b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slug(s)
		if slow := slug(s); slow != got {
			t.Errorf("Slug(%q) = %q, but the full fold gives %q", s, got, slow)
		}
		if Slug(got) != got {
			t.Errorf("Slug(%q) = %q is not a fixed point", s, got)
		}
		if len(got) > 0 && (got[0] == '-' || got[len(got)-1] == '-') {
			t.Errorf("Slug(%q) = %q starts or ends with a hyphen", s, got)
		}
	})
}
