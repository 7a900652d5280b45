package audio

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestPrepare(t *testing.T) {
	tests := []struct {
		name, in, lang, want string
	}{
		{"url dropped", "Read the report at https://example.com/r?id=1 before Friday.", "en", "Read the report at before Friday."},
		{"www and email", "Write to desk@example.com or see www.example.org now.", "de", "Write to or see now."},
		{"photo credit", "The mayor (Photo: Jane Doe/Reuters) spoke.", "en", "The mayor spoke."},
		{"agency dateline", "WASHINGTON (AP) — The Senate voted.", "en", "WASHINGTON, The Senate voted."},
		{"money with scale", "The plan costs $4.5m and £3bn.", "en", "The plan costs 4.5 million dollars and 3 billion pounds."},
		{"money plain", "A ticket is €1 or $12.", "en", "A ticket is 1 euro or 12 dollars."},
		{"percent", "Prices rose 12% in May.", "en", "Prices rose 12 percent in May."},
		{"iso date", "It opens on 2026-03-05.", "en", "It opens on 5 March 2026."},
		{"time", "Doors open at 9am and close at 10:30 p.m. sharp.", "en", "Doors open at 9 A M and close at 10:30 P M sharp."},
		{"range", "In 2010-2015 and 5–10 cases.", "en", "In 2010 to 2015 and 5 to 10 cases."},
		{"abbreviations", "Fruit, e.g. apples, vs. nuts etc.", "en", "Fruit, for example apples, versus nuts et cetera"},
		{"typography", "He said “no” — and left…", "en", `He said "no", and left...`},
		{"other languages keep their numbers", "Die Preise stiegen um 12%.", "de", "Die Preise stiegen um 12%."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := prepare(tt.in, tt.lang); got != tt.want {
				t.Errorf("prepare(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsNoise(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Photo: Jane Doe/Reuters", true},
		{"Image credit: Getty Images", true},
		{"© 2026 The Daily. All rights reserved.", true},
		{"Read more: Why the bridge closed", true},
		{"Related: Ten things to know", true},
		{"Sign up for our newsletter", true},
		{"https://example.com/story", true},
		{"Getty Images", true},
		{"The photo showed the mayor at the opening.", false},
		{"Readers wrote in their thousands.", false},
	}
	for _, tt := range tests {
		if got := isNoise(tt.in); got != tt.want {
			t.Errorf("isNoise(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestStripMarkup(t *testing.T) {
	got := collapseSpace(stripMarkup(`<p>Fish &amp; <b>chips</b></p> **bold** <!-- c -->`))
	if got != "Fish & chips bold" {
		t.Errorf("got %q", got)
	}
}

func TestSplitLong(t *testing.T) {
	sentence := "This sentence is here to make the paragraph long enough. "
	text := strings.TrimSpace(strings.Repeat(sentence, 30))
	parts := splitLong(text, 200)
	if len(parts) < 9 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if n := utf8.RuneCountInString(p); n > 200 {
			t.Errorf("part of %d runes", n)
		}
		if !strings.HasSuffix(p, ".") {
			t.Errorf("part not cut at a sentence end: %q", p)
		}
	}
	if got := strings.Join(parts, " "); got != text {
		t.Errorf("text changed by splitting")
	}
	// A text without spaces is still cut.
	if parts := splitLong(strings.Repeat("ü", 450), 200); len(parts) != 3 {
		t.Errorf("unbroken text: %d parts", len(parts))
	}
}

func TestByline(t *testing.T) {
	date := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		sc   Script
		want string
	}{
		{Script{Authors: []string{"Ann Lee", "Bo Ma", "Cy Oz"}, Site: "The Daily", Date: date, Lang: "en"}, "by Ann Lee, Bo Ma and Cy Oz, The Daily, 5 March 2026."},
		{Script{Authors: []string{"Ann Lee"}, Lang: "en"}, "by Ann Lee."},
		{Script{Site: "Die Zeit", Authors: []string{"A", "B"}, Date: date, Lang: "de"}, "von A und B, Die Zeit, 5. März 2026."},
		{Script{Site: "El País", Date: date, Lang: "es"}, "El País, 5 de marzo de 2026."},
		{Script{Site: "Yle", Date: date, Lang: "fi"}, "Yle, 5.3.2026."},
		{Script{Lang: "en"}, ""},
	}
	for _, tt := range tests {
		if got := tt.sc.Byline(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestScriptChunks(t *testing.T) {
	sc := Script{Title: "A title", Site: "The Daily", Lang: "en", Body: []Block{
		{Text: "First paragraph with a link https://example.com/x."},
		{Text: "Photo: Someone/Agency"},
		{Text: "A heading", Heading: true},
		{Text: "<p>Second &amp; last.</p>"},
	}}
	got := scriptChunks(sc)
	want := []chunk{
		{text: "A title", spoken: "A title", heading: true},
		{text: "The Daily.", spoken: "The Daily."},
		{text: "First paragraph with a link https://example.com/x.", spoken: "First paragraph with a link"},
		{text: "A heading", spoken: "A heading", heading: true},
		{text: "Second & last.", spoken: "Second and last."},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d chunks: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("chunk %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestToLatin1(t *testing.T) {
	got := string(toLatin1("Café “Łódź” — naïve ŝ 日本"))
	// Latin-1 bytes, read back as runes of the same numbers.
	var back []rune
	for _, b := range []byte(got) {
		back = append(back, rune(b))
	}
	if want := `Café "Lódz", naïve s `; string(back) != want {
		t.Errorf("got %q, want %q", string(back), want)
	}
}
