package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/suggest"
	"github.com/newsline/newsline/store"
)

func (a *app) sitesCommand() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "sites",
		Aliases: []string{"site"},
		Short:   "List, add, remove and inspect whitelisted sites (by host)",
	})
	cmd.AddCommand(a.sitesList(), a.sitesShow(), a.sitesAdd(), a.sitesRemove())
	return cmd
}

// siteByHost finds a site, suggesting the closest host on a miss.
func (a *app) siteByHost(ctx context.Context, db *store.DB, host string) (newsline.Site, error) {
	s, err := db.Site(ctx, host)
	if newsline.ErrorCode(err) != newsline.ENOTFOUND {
		return s, err
	}
	hosts, herr := db.SiteHosts(ctx)
	if herr != nil {
		return s, err
	}
	if best := suggest.Closest(host, hosts); best != "" {
		return s, newsline.Errorf(newsline.ENOTFOUND, "no site %q on the whitelist; did you mean %s?", host, best)
	}
	return s, newsline.Errorf(newsline.ENOTFOUND, "no site %q on the whitelist; 'newsline sites list' shows them", host)
}

// openSite opens the database and finds a site by host; the caller closes
// the database.
func (a *app) openSite(ctx context.Context, host string) (*store.DB, newsline.Site, error) {
	db, err := a.openDB(ctx)
	if err != nil {
		return nil, newsline.Site{}, err
	}
	s, err := a.siteByHost(ctx, db, host)
	if err != nil {
		db.Close()
		return nil, s, err
	}
	return db, s, nil
}
