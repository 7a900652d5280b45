package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
)

func (a *app) sitesRemove() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "remove HOST",
		Aliases: []string{"rm", "delete", "del"},
		Short:   "Remove a site with its URLs and articles",
		Args:    exactArgs(1, "HOST"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, s, err := a.openSite(ctx, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := db.CountArticles(ctx, s.Host)
			if err != nil {
				return err
			}
			if n > 0 && !force {
				return usageError{fmt.Errorf("%s has %d stored article(s) that would be deleted", s.Host, n),
					"Pass --force to remove it anyway, or set enabled: false to stop crawling and keep them."}
			}
			if _, err := db.DeleteSite(ctx, s.Host); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed %s and %d article(s)\n", s.Host, n)
			if listed, _ := config.LoadSites(a.cfg.SitesFile); containsHost(listed, s.Host) {
				fmt.Fprintf(a.stderr, "note: %s is in the whitelist file; the scheduler adds it back at its next start unless you remove it there\n", s.Host)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "remove the site even if it has stored articles")
	return cmd
}

func containsHost(sites []newsline.Site, host string) bool {
	for _, s := range sites {
		if s.Host == host {
			return true
		}
	}
	return false
}
