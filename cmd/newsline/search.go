package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/search"
)

func (a *app) searchCommand() *cobra.Command {
	var p search.Params
	var from, to string
	var recency float64
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "search QUERY",
		Aliases: []string{"find", "s"},
		Short:   `Search stored articles (websearch syntax: words, "a phrase", OR, -exclude)`,
		Example: `  newsline search 'river accord'
  newsline search '"climate summit" -football' --site www.theguardian.com --from 2026-11-01
  newsline search election --sort date --language en --facets`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p.Query = strings.Join(args, " ")
			var err error
			if p.From, err = parseDay("--from", from); err != nil {
				return err
			}
			if p.To, err = parseDay("--to", to); err != nil {
				return err
			}
			if cmd.Flags().Changed("recency") {
				p.Recency = &recency
			}
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := search.Query(ctx, db.Pool, p)
			if err != nil {
				return err
			}
			if asJSON {
				// What GET /api/v1/search answers, encoded by the API.
				b, err := api.Encode(api.SearchResults(p, res))
				if err != nil {
					return err
				}
				_, err = a.stdout.Write(b)
				return err
			}
			printHits(a.stdout, res, p.Offset, isTerminal(a.stdout))
			for _, kind := range sortedKeys(res.Facets) {
				fmt.Fprintf(a.stdout, "%s:", kind)
				for _, f := range res.Facets[kind] {
					fmt.Fprintf(a.stdout, " %s (%d)", f.Value, f.Count)
				}
				fmt.Fprintln(a.stdout)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Site, "site", "", "only articles from this site (host)")
	f.StringVar(&p.Author, "author", "", "only articles by this author (name or slug)")
	f.StringVar(&p.Language, "language", "", "only articles in this language (two-letter code)")
	f.StringVar(&p.Section, "section", "", "only articles in this section (name or slug)")
	f.StringVar(&from, "from", "", "published on or after this day (2026-11-19)")
	f.StringVar(&to, "to", "", "published before this day")
	f.StringVar(&p.Sort, "sort", search.SortRelevance, "relevance or date")
	f.Float64Var(&recency, "recency", search.DefaultRecency, "weight of freshness in relevance order (0 turns it off)")
	f.BoolVar(&p.Facets, "facets", false, "also count matches by site and language")
	f.IntVarP(&p.Limit, "limit", "n", 10, "results per page")
	f.IntVar(&p.Offset, "offset", 0, "skip this many results (relevance order)")
	f.StringVar(&p.Cursor, "cursor", "", "continue a date-ordered search")
	f.BoolVar(&asJSON, "json", false, "print the results as JSON, as GET /api/v1/search answers them")
	return cmd
}

func parseDay(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return t, usageError{fmt.Errorf("%s wants a day such as 2026-11-19, got %q", flag, v), ""}
	}
	return t, nil
}

func printHits(w io.Writer, res *search.Results, offset int, color bool) {
	if len(res.Hits) == 0 {
		fmt.Fprintf(w, "no articles match %q\n", res.Query)
		return
	}
	on, off := "*", "*"
	if color {
		on, off = "\x1b[1;33m", "\x1b[0m"
	}
	for i, h := range res.Hits {
		a := h.Article
		date := ""
		if a.PublishedAt != nil {
			date = " · " + a.PublishedAt.Local().Format("2 Jan 2006")
		}
		fmt.Fprintf(w, "%d. %s\n   %s%s · %s\n", offset+i+1, a.Title, a.Site, date, a.URL)
		hl := strings.NewReplacer("<mark>", on, "</mark>", off, "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(h.Headline)
		fmt.Fprintf(w, "   %s\n\n", hl)
	}
	if res.More {
		if res.NextCursor != "" {
			fmt.Fprintf(w, "more results: add --cursor %s\n", res.NextCursor)
		} else {
			fmt.Fprintf(w, "more results: add --offset %d\n", offset+len(res.Hits))
		}
	}
	fmt.Fprint(w, res.MatchesText())
	if !res.Since.IsZero() {
		fmt.Fprintf(w, "; searched those published since %s (%d); use --from and --to for older ones",
			res.Since.Local().Format("2 Jan 2006 15:04"), res.Ranked)
	}
	fmt.Fprintln(w)
}
