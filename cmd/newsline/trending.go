package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/search"
)

func (a *app) trendingCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "trending [24h|7d]",
		Short: "Terms rising in the news, compared with the period before",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			window := "24h"
			if len(args) == 1 {
				window = args[0]
			}
			d, err := search.TrendingWindow(window)
			if err != nil {
				return err
			}
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			terms, err := search.Trending(cmd.Context(), db.Pool, d, time.Now(), 20)
			if err != nil {
				return err
			}
			if len(terms) == 0 {
				fmt.Fprintf(a.stdout, "nothing trending in the last %s", window)
				if window == "24h" {
					fmt.Fprint(a.stdout, " (a small archive may have more to say over 'newsline trending 7d')")
				}
				fmt.Fprintln(a.stdout)
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "TERM\tLAST %s\tBEFORE\n", strings.ToUpper(window))
			for _, t := range terms {
				fmt.Fprintf(tw, "%s\t%d\t%d\n", t.Term, t.Now, t.Before)
			}
			return tw.Flush()
		},
	}
}
