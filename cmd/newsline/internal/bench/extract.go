package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	readability "github.com/go-shiori/go-readability"

	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/textscore"
)

// SystemReadability names plain go-readability, the extraction baseline.
const SystemReadability = "go-readability"

// ErrNoData means the evaluation data set is not where it was looked for.
var ErrNoData = errors.New("extraction data not found")

// ExtractPage is one page of an extraction data set.
type ExtractPage struct {
	ID    string
	URL   string
	HTML  []byte
	Truth string
}

// LoadExtractionData reads a data set in the article-extraction-benchmark
// layout: ground-truth.json and html/<id>.html.gz.
func LoadExtractionData(dir string) ([]ExtractPage, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("%w in %s: %v", ErrNoData, dir, err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("bench: %s/ground-truth.json: %w", dir, err)
	}
	pages := make([]ExtractPage, 0, len(gt))
	for id, g := range gt {
		html, err := readGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("bench: page %s: %w", id, err)
		}
		pages = append(pages, ExtractPage{ID: id, URL: g.URL, HTML: html, Truth: g.ArticleBody})
	}
	slices.SortFunc(pages, func(a, b ExtractPage) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return pages, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// ExtractSystem is one extractor's figures.
type ExtractSystem struct {
	Name    string
	Score   textscore.Summary
	Elapsed time.Duration
	Texts   map[string]string // page id -> extracted body text
}

// PagesPerSec is the extractor's throughput on one core.
func (s ExtractSystem) PagesPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Score.Pages) / s.Elapsed.Seconds()
}

// ExtractResult compares Newsline's extractor with plain go-readability.
type ExtractResult struct {
	Newsline, Readability ExtractSystem
}

// SpeedRatio is Newsline's throughput over go-readability's.
func (r *ExtractResult) SpeedRatio() float64 {
	if r.Readability.PagesPerSec() == 0 {
		return 0
	}
	return r.Newsline.PagesPerSec() / r.Readability.PagesPerSec()
}

// Extract runs both extractors over the pages, one page at a time on one
// goroutine (the published reference figures are per core), after a
// warm-up pass that loads what each loads once (language models).
func Extract(ctx context.Context, pages []ExtractPage) (*ExtractResult, error) {
	x := extract.New()
	newsline := func(p ExtractPage) string {
		a, err := x.Extract(ctx, p.URL, p.HTML)
		if err != nil {
			return ""
		}
		return a.Text
	}
	plain := func(p ExtractPage) string {
		u, _ := url.Parse(p.URL)
		r, err := readability.FromReader(bytes.NewReader(p.HTML), u)
		if err != nil {
			return ""
		}
		return r.TextContent
	}
	res := &ExtractResult{}
	var err error
	if res.Newsline, err = runExtractor(ctx, SystemNewsline, pages, newsline); err != nil {
		return nil, err
	}
	if res.Readability, err = runExtractor(ctx, SystemReadability, pages, plain); err != nil {
		return nil, err
	}
	return res, nil
}

func runExtractor(ctx context.Context, name string, pages []ExtractPage, fn func(ExtractPage) string) (ExtractSystem, error) {
	s := ExtractSystem{Name: name, Texts: make(map[string]string, len(pages))}
	for _, p := range pages[:min(len(pages), 5)] {
		fn(p) // warm-up
	}
	scores := make([]textscore.Page, 0, len(pages))
	start := time.Now()
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		s.Texts[p.ID] = fn(p)
	}
	s.Elapsed = time.Since(start)
	for _, p := range pages {
		scores = append(scores, textscore.Score(p.Truth, s.Texts[p.ID]))
	}
	s.Score = textscore.Summarize(scores)
	return s, nil
}

// Metrics lists the extraction benchmark's figures.
func (r *ExtractResult) Metrics() []Metric {
	var out []Metric
	for _, s := range []ExtractSystem{r.Newsline, r.Readability} {
		out = append(out,
			Metric{"extract", s.Name, "pages", float64(s.Score.Pages), "pages", ""},
			Metric{"extract", s.Name, "precision", round(s.Score.Precision, 4), "", ""},
			Metric{"extract", s.Name, "recall", round(s.Score.Recall, 4), "", ""},
			Metric{"extract", s.Name, "f1", round(s.Score.F1, 4), "", ""},
			Metric{"extract", s.Name, "pages_per_s", round(s.PagesPerSec(), 1), "pages/s", ""},
		)
	}
	return append(out, Metric{"extract", SystemNewsline, "speed_ratio", round(r.SpeedRatio(), 3), "x", ""})
}
