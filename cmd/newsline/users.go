package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/suggest"
	"github.com/newsline/newsline/store"
)

func (a *app) usersCommand() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "users",
		Aliases: []string{"user"},
		Short:   "Add, list and remove user accounts, and set passwords (by name)",
		Long: `Add, list and remove user accounts, and set passwords. Users are named by
their name, never an id. The first admin comes from here:

  newsline users add alice --email alice@example.org --admin`,
	})
	cmd.AddCommand(a.usersAdd(), a.usersList(), a.usersRemove(), a.usersPasswd())
	return cmd
}

// userByName finds a user, suggesting the closest name on a miss.
func (a *app) userByName(ctx context.Context, db *store.DB, name string) (newsline.User, error) {
	u, err := db.User(ctx, name)
	if newsline.ErrorCode(err) != newsline.ENOTFOUND {
		return u, err
	}
	if best, cerr := db.ClosestUser(ctx, name); cerr == nil && best != "" {
		return u, newsline.Errorf(newsline.ENOTFOUND, "no user %q%s", name, suggest.Hint(best))
	}
	return u, newsline.Errorf(newsline.ENOTFOUND, "no user %q; 'newsline users list' shows them", name)
}

// readPassword gets a new password: the first line of standard input with
// --password-stdin, else asked twice on the terminal without echo.
func (a *app) readPassword(fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		return pw, newsline.ValidatePassword(pw)
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageError{errors.New("no terminal to ask the password on"), "Pass it on standard input with --password-stdin."}
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(a.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		return string(b), err
	}
	pw, err := ask("Password: ")
	if err != nil {
		return "", err
	}
	if err := newsline.ValidatePassword(pw); err != nil {
		return "", err
	}
	again, err := ask("Password again: ")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", errors.New("the two passwords differ")
	}
	return pw, nil
}
