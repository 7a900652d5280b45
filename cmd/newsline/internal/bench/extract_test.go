package bench

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// loadShared loads one of the shared extraction data sets, or skips.
func loadShared(tb testing.TB, name string) *ExtractData {
	tb.Helper()
	data, err := LoadExtractionData(filepath.Join(SharedDataDir(), name))
	if errors.Is(err, ErrNoData) {
		tb.Skipf("%s not available: %v", name, err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestExtractDataSets runs the extraction benchmark on both shared data
// sets and logs its figures. It asserts only that Newsline does not score
// below plain go-readability; the goals are in the benchmark, not in tests.
func TestExtractDataSets(t *testing.T) {
	for _, tt := range []struct{ name, format string }{
		{"extraction-dev", FormatBody},
		{"extraction-snippets", FormatSnippets},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := loadShared(t, tt.name)
			if data.Format != tt.format {
				t.Fatalf("format %q, want %q", data.Format, tt.format)
			}
			res, err := Extract(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range res.Systems() {
				t.Logf("%-15s P %.4f R %.4f F1 %.4f  %.0f pages/s", s.Name, s.Precision(), s.Recall(), s.F1(), s.PagesPerSec())
			}
			t.Logf("kinds: %v", res.Newsline.Kinds)
			if res.Newsline.F1() < res.Readability.F1() {
				t.Errorf("Newsline's extractor (F1 %.4f) scores below plain go-readability (%.4f)", res.Newsline.F1(), res.Readability.F1())
			}
			if len(res.Metrics()) == 0 {
				t.Fatal("no metrics")
			}
		})
	}
}

// BenchmarkExtract measures each extractor over the development pages.
func BenchmarkExtract(b *testing.B) {
	data := loadShared(b, "extraction-dev")
	for b.Loop() {
		res, err := Extract(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Newsline.PagesPerSec(), "newsline_pages/s")
		b.ReportMetric(res.Readability.PagesPerSec(), "readability_pages/s")
		b.ReportMetric(res.Newsline.F1(), "newsline_f1")
	}
}
