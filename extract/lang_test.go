package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/newsline/newsline"
)

func TestLanguageAndTSConfig(t *testing.T) {
	x := New()
	tests := []struct {
		text, lang, config string
	}{
		{"The minister signed the accord on Tuesday after long talks with the regional council about water.", "en", "english"},
		{"Der Minister unterzeichnete am Dienstag nach langen Gesprächen mit dem Regionalrat das Abkommen über Wasser.", "de", "german"},
		{"Le ministre a signé mardi l'accord après de longues discussions avec le conseil régional sur l'eau.", "fr", "french"},
		{"El ministro firmó el martes el acuerdo tras largas conversaciones con el consejo regional sobre el agua.", "es", "spanish"},
		{"Minister podpisał we wtorek porozumienie po długich rozmowach z radą regionalną w sprawie wody.", "pl", "simple"},
		{"Министр подписал во вторник соглашение после долгих переговоров с региональным советом о воде.", "ru", "russian"},
	}
	for _, tt := range tests {
		lang := x.DetectLanguage(tt.text)
		if lang != tt.lang || newsline.TSConfig(lang) != tt.config {
			t.Errorf("%.30q: %q/%q, want %q/%q", tt.text, lang, newsline.TSConfig(lang), tt.lang, tt.config)
		}
	}
}

type fakeDF struct {
	df   map[string]int
	docs int
}

func (f fakeDF) DocFreq(_ context.Context, _ string, terms []string) (map[string]int, int, error) {
	return f.df, f.docs, nil
}

func TestKeywordsAndSummary(t *testing.T) {
	text := "The river council approved the dam repairs on Tuesday. Engineers said the dam had cracked after the floods. " +
		"Council members argued about the cost for hours.\n\nThe mayor said the weather was mild. " +
		"Farmers downstream welcomed the dam decision, saying their fields flooded twice last year. " +
		"The repairs will start in spring and take two years."
	// "council" is in almost every stored article, "dam" in few.
	df := fakeDF{df: map[string]int{"council": 900, "dam": 3, "repairs": 10, "river": 200, "mayor": 500, "approved": 300}, docs: 1000}
	w, distinct := weightedTerms(context.Background(), df, "en", "Dam repairs approved", text)
	kw := topKeywords(w, 3)
	if kw[0] != "dam" || !contains(kw, "repairs") || contains(kw, "the") || contains(kw, "council") {
		t.Errorf("keywords %q", kw)
	}
	if len(distinct) == 0 || contains(distinct, "on") {
		t.Errorf("terms %q", distinct)
	}
	s := summarize(text, w)
	n := len(sentences(s))
	if n < 2 || n > 3 || !strings.Contains(s, "dam") || strings.Contains(s, "weather") {
		t.Errorf("summary (%d sentences): %q", n, s)
	}
}

func TestSentences(t *testing.T) {
	got := sentences(`He said: "It works." Then he left. Mr. Smith stayed? Yes.` + "\n\nNew paragraph here")
	want := []string{`He said: "It works."`, "Then he left.", "Mr. Smith stayed?", "Yes.", "New paragraph here"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sentences = %q\nwant %q", got, want)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
