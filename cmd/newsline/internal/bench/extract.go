package bench

import (
	"bytes"
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	readability "github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/newsline/newsline/extract"
	"github.com/newsline/newsline/internal/textscore"
)

// Baseline extractors measured beside Newsline's.
const (
	SystemReadability = "go-readability"
	SystemTrafilatura = "go-trafilatura"
)

// ExtractSystem is one extractor's figures on a data set.
type ExtractSystem struct {
	Name   string
	Format string
	Pages  int
	// Elapsed is the CPU time the run took (user and system, GC
	// included): on a shared machine it is what one core spends, where wall
	// time also counts waiting for the core.
	Elapsed time.Duration
	// Wall is the run's wall time.
	Wall  time.Duration
	Texts map[string]string // page id -> extracted body text
	// Body is the score on a FormatBody data set.
	Body textscore.Summary
	// Snippets is the score on a FormatSnippets data set.
	Snippets textscore.SnippetCounts
	// Kinds counts the kinds Newsline assigned (Newsline only).
	Kinds map[string]int
	// Lang compares Newsline's languages with <html lang> (Newsline only).
	Lang LangAgreement
	// worst are the pages with the most error, worst first.
	worst []PageError
}

// PageError is how badly one page did: lost and stray text.
type PageError struct {
	ID        string
	Missed    float64 // FN snippets, or the share of the body missed
	Stray     float64 // FP snippets, or the share of the output not in the body
	Kind      string
	TextBytes int
}

// Precision on the data set's own metric.
func (s ExtractSystem) Precision() float64 {
	if s.Format == FormatSnippets {
		return s.Snippets.Precision()
	}
	return s.Body.Precision
}

// Recall on the data set's own metric.
func (s ExtractSystem) Recall() float64 {
	if s.Format == FormatSnippets {
		return s.Snippets.Recall()
	}
	return s.Body.Recall
}

// F1 on the data set's own metric.
func (s ExtractSystem) F1() float64 {
	if s.Format == FormatSnippets {
		return s.Snippets.F1()
	}
	return s.Body.F1
}

// PagesPerSec is the extractor's throughput on one core.
func (s ExtractSystem) PagesPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Pages) / s.Elapsed.Seconds()
}

// Worst lists up to n pages with the most error, worst first.
func (s ExtractSystem) Worst(n int) []PageError {
	return s.worst[:min(n, len(s.worst))]
}

// ExtractResult compares Newsline's extractor with the baselines.
type ExtractResult struct {
	Format                             string
	Newsline, Readability, Trafilatura ExtractSystem
}

// Systems lists the extractors in the order they are printed.
func (r *ExtractResult) Systems() []ExtractSystem {
	return []ExtractSystem{r.Newsline, r.Readability, r.Trafilatura}
}

// SpeedRatio is Newsline's throughput over go-readability's.
func (r *ExtractResult) SpeedRatio() float64 {
	if r.Readability.PagesPerSec() == 0 {
		return 0
	}
	return r.Newsline.PagesPerSec() / r.Readability.PagesPerSec()
}

// Extract runs the three extractors over the pages, one page at a time on
// one goroutine (throughput is per core, from CPU time), each after a warm-up pass that
// loads what it loads once.
func Extract(ctx context.Context, data *ExtractData) (*ExtractResult, error) {
	x := extract.New()
	kinds, langs := map[string]string{}, map[string]string{}
	newsline := func(p ExtractPage) string {
		a, err := x.Extract(ctx, p.URL, p.HTML)
		kinds[p.ID], langs[p.ID] = a.Kind, a.Language
		if err != nil {
			kinds[p.ID] = "error: " + err.Error()
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
	traf := func(p ExtractPage) string {
		u, _ := url.Parse(p.URL)
		r, err := trafilatura.Extract(bytes.NewReader(p.HTML), trafilatura.Options{OriginalURL: u, EnableFallback: true})
		if err != nil || r == nil {
			return ""
		}
		return r.ContentText
	}
	res := &ExtractResult{Format: data.Format}
	var err error
	if res.Newsline, err = runExtractor(ctx, SystemNewsline, data, newsline); err != nil {
		return nil, err
	}
	res.Newsline.Lang = langAgreement(x, data.Pages, langs, res.Newsline.Texts)
	res.Newsline.Kinds = map[string]int{}
	for _, k := range kinds {
		if strings.HasPrefix(k, "error: ") {
			k = "(error)"
		}
		res.Newsline.Kinds[k]++
	}
	for i := range res.Newsline.worst {
		res.Newsline.worst[i].Kind = kinds[res.Newsline.worst[i].ID]
	}
	if res.Readability, err = runExtractor(ctx, SystemReadability, data, plain); err != nil {
		return nil, err
	}
	if res.Trafilatura, err = runExtractor(ctx, SystemTrafilatura, data, traf); err != nil {
		return nil, err
	}
	return res, nil
}

func runExtractor(ctx context.Context, name string, data *ExtractData, fn func(ExtractPage) string) (ExtractSystem, error) {
	pages := data.Pages
	s := ExtractSystem{Name: name, Format: data.Format, Pages: len(pages), Texts: make(map[string]string, len(pages))}
	for _, p := range pages[:min(len(pages), 5)] {
		fn(p) // warm-up
	}
	cpu0, err := cpuTime()
	if err != nil {
		return s, err
	}
	start := time.Now()
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		s.Texts[p.ID] = fn(p)
	}
	s.Wall = time.Since(start)
	cpu1, err := cpuTime()
	if err != nil {
		return s, err
	}
	s.Elapsed = cpu1 - cpu0
	s.score(pages)
	return s, nil
}

// score fills the system's score on the data set's metric and ranks its
// pages by error.
func (s *ExtractSystem) score(pages []ExtractPage) {
	var body []textscore.Page
	for _, p := range pages {
		text := s.Texts[p.ID]
		e := PageError{ID: p.ID, TextBytes: len(text)}
		if s.Format == FormatSnippets {
			c := textscore.ScoreSnippets(p.Snippets, text)
			s.Snippets = s.Snippets.Add(c)
			e.Missed, e.Stray = float64(c.FN), float64(c.FP)
		} else {
			sc := textscore.Score(p.Truth, text)
			body = append(body, sc)
			e.Missed, e.Stray = sc.FN, sc.FP
		}
		s.worst = append(s.worst, e)
	}
	if s.Format != FormatSnippets {
		s.Body = textscore.Summarize(body)
	}
	slices.SortStableFunc(s.worst, func(a, b PageError) int {
		if d := (b.Missed + b.Stray) - (a.Missed + a.Stray); d != 0 {
			if d > 0 {
				return 1
			}
			return -1
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Metrics lists the extraction benchmark's figures; the class is the data
// set's format.
func (r *ExtractResult) Metrics() []Metric {
	var out []Metric
	c := r.Format
	for _, s := range r.Systems() {
		out = append(out,
			Metric{"extract", s.Name, "pages", float64(s.Pages), "pages", c},
			Metric{"extract", s.Name, "precision", round(s.Precision(), 4), "", c},
			Metric{"extract", s.Name, "recall", round(s.Recall(), 4), "", c},
			Metric{"extract", s.Name, "f1", round(s.F1(), 4), "", c},
			Metric{"extract", s.Name, "pages_per_s", round(s.PagesPerSec(), 1), "pages/s", c},
		)
	}
	out = append(out, Metric{"extract", SystemNewsline, "speed_ratio", round(r.SpeedRatio(), 3), "x", c})
	l := r.Newsline.Lang
	out = append(out, Metric{"extract", SystemNewsline, "lang_declared", float64(l.Declared), "pages", c},
		Metric{"extract", SystemNewsline, "lang_agreement", round(l.Fraction(), 4), "", c},
		Metric{"extract", SystemNewsline, "lang_text_agreement", round(l.TextFraction(), 4), "", c})
	for _, k := range slices.Sorted(maps.Keys(r.Newsline.Kinds)) {
		out = append(out, Metric{"extract", SystemNewsline, "kind_" + k, float64(r.Newsline.Kinds[k]), "pages", c})
	}
	return out
}
