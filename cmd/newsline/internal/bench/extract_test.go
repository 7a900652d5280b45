package bench

import (
	"context"
	"errors"
	"testing"
)

// extractionDevData is ../shared/data/extraction-dev seen from the repository
// root, where the shared data sits beside the checkout.
const extractionDevData = "../../../../../shared/data/extraction-dev"

// TestExtractDevSet runs the extraction benchmark on the shared
// development pages and logs its figures. It asserts only that Newsline
// does not score below plain go-readability; the goals are in the
// benchmark, not in tests.
func TestExtractDevSet(t *testing.T) {
	pages, err := LoadExtractionData(extractionDevData)
	if errors.Is(err, ErrNoData) {
		t.Skipf("extraction dev data not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	res, err := Extract(context.Background(), pages)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []ExtractSystem{res.Newsline, res.Readability} {
		t.Logf("%-15s P %.4f R %.4f F1 %.4f  %.0f pages/s", s.Name, s.Score.Precision, s.Score.Recall, s.Score.F1, s.PagesPerSec())
	}
	if res.Newsline.Score.F1 < res.Readability.Score.F1 {
		t.Errorf("Newsline's extractor (F1 %.4f) scores below plain go-readability (%.4f)", res.Newsline.Score.F1, res.Readability.Score.F1)
	}
	if len(res.Metrics()) == 0 {
		t.Fatal("no metrics")
	}
}

// BenchmarkExtract measures each extractor over the development pages.
func BenchmarkExtract(b *testing.B) {
	pages, err := LoadExtractionData(extractionDevData)
	if err != nil {
		b.Skipf("extraction dev data not available: %v", err)
	}
	for b.Loop() {
		res, err := Extract(context.Background(), pages)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.Newsline.PagesPerSec(), "newsline_pages/s")
		b.ReportMetric(res.Readability.PagesPerSec(), "readability_pages/s")
		b.ReportMetric(res.Newsline.Score.F1, "newsline_f1")
	}
}
