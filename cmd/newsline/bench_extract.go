package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

func (a *app) benchExtractCommand() *cobra.Command {
	var data, out string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "Score the extractor against hand-checked article bodies, beside plain go-readability",
		Long: `Run Newsline's extractor and plain go-readability over a data set of real news
pages with hand-checked article bodies (the article-extraction-benchmark
layout: ground-truth.json and html/<id>.html.gz), one page at a time on one
core, and print for each: token-level body precision, recall and F1 (4-token
shingles, pages weighted equally — the data set's README and score.py) and
pages/s, and Newsline's speed as a share of go-readability's.
Goals: F1 ≥ 0.97 at ≥ 0.8× go-readability's speed; reported, never enforced.

--out writes a JSON object mapping each page id to the text Newsline
extracted, for any independent scorer (python3 score.py FILE).`,
		Example: `  newsline bench extract --data ../shared/data/extraction-dev
  newsline bench extract --data ../shared/data/extraction-dev --out /tmp/newsline.json --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pages, err := bench.LoadExtractionData(data)
			if errors.Is(err, bench.ErrNoData) {
				return usageError{err, "Pass --data with the folder holding ground-truth.json and html/."}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "bench extract: %d pages, 2 extractors…\n", len(pages))
			res, err := bench.Extract(cmd.Context(), pages)
			if err != nil {
				return err
			}
			if out != "" {
				b, err := json.MarshalIndent(res.Newsline.Texts, "", " ")
				if err != nil {
					return err
				}
				if err := os.WriteFile(out, b, 0o644); err != nil {
					return fmt.Errorf("write --out: %w", err)
				}
				fmt.Fprintf(a.stderr, "wrote Newsline's texts to %s\n", out)
			}
			if asJSON {
				return writeMetrics(a.stdout, res.Metrics())
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "extractor\tprecision\trecall\tF1\tpages/s\t")
			for _, s := range []bench.ExtractSystem{res.Newsline, res.Readability} {
				fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.1f\t\n", s.Name, s.Score.Precision, s.Score.Recall, s.Score.F1, s.PagesPerSec())
			}
			tw.Flush()
			verdict := func(ok bool) string {
				if ok {
					return "met"
				}
				return "not met"
			}
			fmt.Fprintf(a.stdout, "\n%d pages. Newsline runs at %.2f× go-readability's speed.\n", res.Newsline.Score.Pages, res.SpeedRatio())
			fmt.Fprintf(a.stdout, "Goal F1 ≥ 0.97: %s. Goal speed ≥ 0.8×: %s.\n",
				verdict(res.Newsline.Score.F1 >= 0.97), verdict(res.SpeedRatio() >= 0.8))
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "../shared/data/extraction-dev", "data set folder (ground-truth.json, html/)")
	cmd.Flags().StringVar(&out, "out", "", "also write {page id: extracted text} as JSON to this file")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per figure and line")
	return cmd
}
