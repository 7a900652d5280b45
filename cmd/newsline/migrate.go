package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func (a *app) migrateCommand() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:   "migrate",
		Short: "Apply, roll back or list database migrations",
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := db.MigrateUp(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "applied %d migration(s)\n", n)
			return nil
		},
	}, &cobra.Command{
		Use:   "down",
		Short: "Roll back the newest applied migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			ok, err := db.MigrateDown(cmd.Context())
			if err != nil {
				return err
			}
			if !ok {
				fmt.Fprintln(a.stdout, "nothing to roll back")
				return nil
			}
			fmt.Fprintln(a.stdout, "rolled back 1 migration")
			return nil
		},
	}, &cobra.Command{
		Use:     "status",
		Aliases: []string{"st", "ls", "list"},
		Short:   "List migrations and whether each is applied",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			st, err := db.MigrateStatus(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
			for _, s := range st {
				state, at := "pending", ""
				if s.Applied {
					state, at = "applied", s.AppliedAt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", s.Version, s.Name, state, at)
			}
			return tw.Flush()
		},
	})
	return cmd
}
