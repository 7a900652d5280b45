package main

import (
	"fmt"

	"github.com/spf13/cobra"

	pwhash "github.com/newsline/newsline/internal/password"
)

func (a *app) usersPasswd() *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:     "passwd NAME",
		Aliases: []string{"password"},
		Short:   "Set a user's password and log them out everywhere",
		Long: `Set a user's password. Their sessions end (browsers and clients log in
again); their API tokens keep working until revoked.`,
		Args: exactArgs(1, "NAME"),
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
			pw, err := a.readPassword(fromStdin)
			if err != nil {
				return err
			}
			hash, err := pwhash.Hash(pw)
			if err != nil {
				return err
			}
			if err := db.SetPassword(ctx, u.ID, hash); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "set the password of %s; their sessions are ended\n", u.Name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input instead of asking")
	return cmd
}
