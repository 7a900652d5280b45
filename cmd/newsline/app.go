package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/api"
	"github.com/newsline/newsline/config"
)

// app is what every command shares: the configuration, read once, and
// where to write.
type app struct {
	cfg    *config.Config
	stdin  io.Reader // passwords (newsline users add --password-stdin)
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
	// served, when set, is called with the URL and the API server a run
	// command built, once it listens: tests look at its caches
	// (export_test.go).
	served func(url string, srv *api.Server)
}

// Main runs the command line and returns the process exit code. It is
// separate from main so tests can run the whole program in-process.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	return mainWithInput(ctx, args, os.Stdin, stdout, stderr, lookupEnv)
}

// mainWithInput is Main reading standard input from stdin.
func mainWithInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	a, err := newApp(stdout, stderr, lookupEnv)
	if err != nil {
		fmt.Fprintln(stderr, "newsline:", err)
		return 2
	}
	a.stdin = stdin
	return a.execute(ctx, args)
}

// newApp reads the configuration from the environment.
func newApp(stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) (*app, error) {
	cfg, err := config.Load(lookupEnv)
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, stdin: os.Stdin, stdout: stdout, stderr: stderr}, nil
}

// execute runs the command args name and returns the exit code.
func (a *app) execute(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		// A library's error may quote a URL with its password (net/url
		// quotes the whole URL it cannot parse; pflag a rejected value).
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(a.stderr, "newsline:", config.RedactText(err.Error()))
			if ue.hint != "" {
				fmt.Fprintln(a.stderr, ue.hint)
			}
			return 2
		}
		msg := err.Error()
		if newsline.ErrorCode(err) != newsline.EINTERNAL {
			msg = newsline.ErrorMessage(err)
		}
		fmt.Fprintln(a.stderr, "newsline:", config.RedactText(msg))
		return 1
	}
	return 0
}

func (a *app) rootCommand() *cobra.Command {
	root := group(&cobra.Command{
		Use:   "newsline",
		Short: "Newsline crawls whitelisted news sites, extracts their articles and serves them with full-text search",
		Long: `Newsline crawls a whitelist of news sites on a schedule, extracts the articles,
stores them in PostgreSQL with full-text indexes and serves them over a JSON API
and a web page.

Every setting is an environment variable (NEWSLINE_…) that the flag of the
same name overrides; see --help of any command.`,
		SilenceUsage:               true,
		SilenceErrors:              true,
		SuggestionsMinimumDistance: 2,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			a.setupLogging()
			return nil
		},
	})
	a.cfg.Bind(root.PersistentFlags())
	root.AddGroup(
		&cobra.Group{ID: "run", Title: "Run Newsline:"},
		&cobra.Group{ID: "ops", Title: "Operate:"},
	)
	for _, c := range []*cobra.Command{a.devCommand(), a.allCommand(), a.serveCommand(), a.workerCommand(), a.schedulerCommand()} {
		c.GroupID = "run"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{a.crawlCommand(), a.reextractCommand(), a.sitesCommand(), a.usersCommand(), a.searchCommand(), a.trendingCommand(), a.migrateCommand(), a.benchCommand(), a.doctorCommand(), a.healthcheckCommand(), a.backupCommand(), a.restoreCommand()} {
		c.GroupID = "ops"
		root.AddCommand(c)
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err, fmt.Sprintf("Run '%s --help' for usage.", c.CommandPath())}
	})
	return root
}
