package textscore

import (
	"math"
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	got := Tokens("Café owners' “fair” rents—2,500 €; snake_case ok")
	want := []string{"Café", "owners", "fair", "rents", "2", "500", "snake_case", "ok"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokens = %q, want %q", got, want)
	}
}

func TestScore(t *testing.T) {
	truth := "one two three four five six"
	tests := []struct {
		name, pred   string
		wantP, wantR float64
		hasPred      bool
	}{
		{"exact", truth, 1, 1, true},
		{"empty prediction", "", 0, 0, false},
		{"half", "one two three four five", 1, 2.0 / 3, true},
		{"extra", truth + " seven", 3.0 / 4, 1, true},
		{"soft hyphen", "one two thr\u00adee four five six", 1, 1, true},
		{"short truth", "one two", 0, 0, true},
	}
	for _, tt := range tests {
		p := Score(truth, tt.pred)
		if p.HasPrediction != tt.hasPred {
			t.Errorf("%s: HasPrediction %v", tt.name, p.HasPrediction)
		}
		if tt.hasPred && (math.Abs(p.Precision()-tt.wantP) > 1e-9 || math.Abs(p.Recall()-tt.wantR) > 1e-9) {
			t.Errorf("%s: P %.3f R %.3f, want %.3f %.3f", tt.name, p.Precision(), p.Recall(), tt.wantP, tt.wantR)
		}
	}
	s := Summarize([]Page{Score(truth, truth), Score(truth, "")})
	if s.Precision != 1 || s.Recall != 0.5 || math.Abs(s.F1-2.0/3) > 1e-9 {
		t.Fatalf("summary %+v", s)
	}
}

func TestScoreSnippets(t *testing.T) {
	page := SnippetPage{
		With:    []string{"the river  rose", "Ein\u00adtrag", "missing part"},
		Without: []string{"Impressum", "Share this"},
	}
	tests := []struct {
		name, text string
		want       SnippetCounts
	}{
		{"found and stray", "After rain the river\u00a0rose.\nEintrag here. Impressum", SnippetCounts{TP: 2, FP: 1, FN: 1, TN: 1}},
		{"case-sensitive", "THE RIVER ROSE", SnippetCounts{FN: 3, TN: 2}},
		{"empty", "", SnippetCounts{FN: 3, TN: 2}},
		{"separator is space", "the river\x1erose", SnippetCounts{TP: 1, FN: 2, TN: 2}},
	}
	for _, tt := range tests {
		if got := ScoreSnippets(page, tt.text); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	c := SnippetCounts{TP: 8, FP: 2, FN: 2, TN: 8}
	if c.F1() != 0.8 || c.Precision() != 0.8 || c.Recall() != 0.8 || c.Accuracy() != 0.8 {
		t.Errorf("scores of %+v: %v %v %v %v", c, c.Precision(), c.Recall(), c.F1(), c.Accuracy())
	}
}
