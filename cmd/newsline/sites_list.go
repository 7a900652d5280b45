package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func (a *app) sitesList() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List whitelisted sites",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			sites, err := db.SiteSummaries(ctx)
			if err != nil {
				return err
			}
			if len(sites) == 0 {
				fmt.Fprintln(a.stdout, "no sites yet: add one with 'newsline sites add HOST --feed URL', or start the scheduler to load the whitelist file")
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "HOST\tNAME\tENABLED\tSCHEDULE\tARTICLES\tNEWEST ARTICLE\tLAST CRAWL")
			for _, s := range sites {
				newest, crawl := "-", "never"
				if s.LastArticleAt != nil {
					newest = s.LastArticleAt.Local().Format("2006-01-02 15:04")
				}
				if r := s.LastRun; r != nil {
					crawl = r.StartedAt.Local().Format("2006-01-02 15:04") + " ok"
					if r.Error != "" {
						crawl = r.StartedAt.Local().Format("2006-01-02 15:04") + " failed: " + r.Error
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%d\t%s\t%s\n", s.Host, s.Name, yesNo(s.Enabled), s.Schedule, s.Articles, newest, crawl)
			}
			return tw.Flush()
		},
	}
}
