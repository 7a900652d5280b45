package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline"
	pwhash "github.com/newsline/newsline/internal/password"
	"github.com/newsline/newsline/store"
)

func (a *app) usersAdd() *cobra.Command {
	var email string
	var admin, fromStdin bool
	cmd := &cobra.Command{
		Use:   "add NAME --email EMAIL",
		Short: "Add a user (a reader, or an admin with --admin)",
		Example: `  newsline users add alice --email alice@example.org --admin
  echo "$PASSWORD" | newsline users add bob --email bob@example.org --password-stdin`,
		Args: exactArgs(1, "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			nu := store.NewUser{Name: strings.TrimSpace(args[0]), Role: newsline.RoleReader}
			if admin {
				nu.Role = newsline.RoleAdmin
			}
			if err := newsline.ValidateUserName(nu.Name); err != nil {
				return usageError{err, ""}
			}
			var err error
			if nu.Email, err = newsline.NormalizeEmail(email); err != nil {
				return usageError{err, "Give the user's address with --email."}
			}
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			pw, err := a.readPassword(fromStdin)
			if err != nil {
				return err
			}
			if nu.PasswordHash, err = pwhash.Hash(pw); err != nil {
				return err
			}
			u, err := db.CreateUser(ctx, nu)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "added %s <%s> (%s)\n", u.Name, u.Email, u.Role)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&email, "email", "", "the user's email address (required)")
	f.BoolVar(&admin, "admin", false, "an admin, who may manage the whitelist through the API")
	f.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input instead of asking")
	return cmd
}
