package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

func (a *app) benchExtractCommand() *cobra.Command {
	var data, out string
	var asJSON bool
	var worst int
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "Score the extractor on an extraction data set, beside go-readability and go-trafilatura",
		Long: `Run Newsline's extractor, plain go-readability and go-trafilatura (with its
fallbacks) over a data set of real pages, one page at a time on one core,
and print for each precision, recall, F1 and pages/s, Newsline's speed as a
share of go-readability's, the kinds Newsline assigned, and how often the
language Newsline gives a page (and its text detector alone) agrees with
the page's <html lang>. Pages are
decoded to UTF-8 from their bytes as the crawler decodes them.

--data takes either layout, each scored with its own metric (see the data
set's README and score.py):
  ground-truth.json + html/  whole-body 4-token shingles, pages weighted
                             equally (extraction-dev);
  snippets.json + html/      snippets that must and must not appear,
                             pooled over all pages (extraction-snippets,
                             trafilatura's metric).
Goals: F1 ≥ 0.98 on extraction-dev and ≥ 0.93 on extraction-snippets, at
≥ 0.5× go-readability's speed; reported, never enforced.

--out writes a JSON object mapping each page id to the text Newsline
extracted, for any independent scorer (python3 score.py FILE).`,
		Example: `  newsline bench extract --data ../shared/data/extraction-dev
  newsline bench extract --data ../shared/data/extraction-snippets --worst 5
  newsline bench extract --data ../shared/data/extraction-dev --out /tmp/newsline.json --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := bench.LoadExtractionData(data)
			if errors.Is(err, bench.ErrNoData) {
				return usageError{err, "Pass --data with the folder holding html/ and ground-truth.json or snippets.json."}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "bench extract: %d pages (%s metric), 3 extractors…\n", len(set.Pages), set.Format)
			res, err := bench.Extract(cmd.Context(), set)
			if err != nil {
				return err
			}
			if out != "" {
				if err := writeTexts(out, res.Newsline.Texts); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "wrote Newsline's texts to %s\n", out)
			}
			if asJSON {
				return writeMetrics(a.stdout, res.Metrics())
			}
			printExtract(a.stdout, res, worst)
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "../shared/data/extraction-dev", "data set folder (html/ and ground-truth.json or snippets.json)")
	cmd.Flags().StringVar(&out, "out", "", "also write {page id: extracted text} as JSON to this file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per figure and line")
	cmd.Flags().IntVar(&worst, "worst", 0, "also list Newsline's N worst pages")
	return cmd
}

func writeTexts(path string, texts map[string]string) error {
	b, err := json.MarshalIndent(texts, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write --out: %w", err)
	}
	return nil
}

func printExtract(w io.Writer, res *bench.ExtractResult, worst int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tprecision\trecall\tF1\tpages/s\t")
	for _, s := range res.Systems() {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.1f\t\n", s.Name, s.Precision(), s.Recall(), s.F1(), s.PagesPerSec())
	}
	tw.Flush()
	goal := 0.98
	if res.Format == bench.FormatSnippets {
		goal = 0.93
		c := res.Newsline.Snippets
		fmt.Fprintf(w, "Newsline snippets: tp %d fp %d fn %d tn %d, accuracy %.4f\n", c.TP, c.FP, c.FN, c.TN, c.Accuracy())
	}
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "not met"
	}
	fmt.Fprintf(w, "\n%d pages. Newsline runs at %.2f× go-readability's speed.\n", res.Newsline.Pages, res.SpeedRatio())
	fmt.Fprintf(w, "Goal F1 ≥ %.2f: %s. Goal speed ≥ 0.5×: %s.\n", goal,
		verdict(res.Newsline.F1() >= goal), verdict(res.SpeedRatio() >= 0.5))
	fmt.Fprint(w, "Kinds:")
	for _, k := range slices.Sorted(maps.Keys(res.Newsline.Kinds)) {
		fmt.Fprintf(w, " %s %d", k, res.Newsline.Kinds[k])
	}
	fmt.Fprintln(w)
	l := res.Newsline.Lang
	fmt.Fprintf(w, "Language vs <html lang>: %d pages declare one; article language agrees on %.4f, text detector alone on %.4f\n",
		l.Declared, l.Fraction(), l.TextFraction())
	if misses := l.TopMisses(8); len(misses) > 0 {
		fmt.Fprint(w, "  disagreements (declared→article):")
		for _, m := range misses {
			fmt.Fprintf(w, " %s %d", m, l.Misses[m])
		}
		fmt.Fprintln(w)
	}
	if worst > 0 {
		fmt.Fprintf(w, "\nWorst pages (missed, stray; snippets or share of shingles):\n")
		for _, e := range res.Newsline.Worst(worst) {
			fmt.Fprintf(w, "  %-48s %5.2f %5.2f  %s, %d bytes of text\n", e.ID, e.Missed, e.Stray, e.Kind, e.TextBytes)
		}
	}
}
