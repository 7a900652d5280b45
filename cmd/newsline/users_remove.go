package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) usersRemove() *cobra.Command {
	return &cobra.Command{
		Use:     "remove NAME",
		Aliases: []string{"rm", "delete", "del"},
		Short:   "Remove a user with their sessions, tokens, follows and bookmarks",
		Args:    exactArgs(1, "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			u, err := a.userByName(ctx, db, args[0])
			if err != nil {
				return err
			}
			if err := db.DeleteUser(ctx, u.Name); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed %s\n", u.Name)
			return nil
		},
	}
}
