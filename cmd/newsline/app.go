package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/config"
	"github.com/newsline/newsline/store"
)

// app is what every command shares: the configuration, read once, and
// where to write.
type app struct {
	cfg    *config.Config
	stdin  io.Reader // passwords (newsline users add --password-stdin)
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
}

// Main runs the command line and returns the process exit code. It is
// separate from main so tests can run the whole program in-process.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	return mainWithInput(ctx, args, os.Stdin, stdout, stderr, lookupEnv)
}

// mainWithInput is Main reading standard input from stdin.
func mainWithInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	cfg, err := config.Load(lookupEnv)
	if err != nil {
		fmt.Fprintln(stderr, "newsline:", err)
		return 2
	}
	a := &app{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		// A library's error may quote a URL with its password (net/url
		// quotes the whole URL it cannot parse; pflag a rejected value).
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "newsline:", config.RedactText(err.Error()))
			if ue.hint != "" {
				fmt.Fprintln(stderr, ue.hint)
			}
			return 2
		}
		msg := err.Error()
		if newsline.ErrorCode(err) != newsline.EINTERNAL {
			msg = newsline.ErrorMessage(err)
		}
		fmt.Fprintln(stderr, "newsline:", config.RedactText(msg))
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
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.logger = a.cfg.Logger(a.stderr)
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
	for _, c := range []*cobra.Command{a.crawlCommand(), a.sitesCommand(), a.usersCommand(), a.searchCommand(), a.trendingCommand(), a.migrateCommand(), a.benchCommand(), a.doctorCommand()} {
		c.GroupID = "ops"
		root.AddCommand(c)
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err, fmt.Sprintf("Run '%s --help' for usage.", c.CommandPath())}
	})
	return root
}

func (a *app) openDB(ctx context.Context) (*store.DB, error) {
	if a.cfg.DatabaseURL == "" {
		return nil, errors.New("no database configured: set NEWSLINE_DATABASE_URL or --database-url (or run `newsline dev`, which starts one)")
	}
	return store.Open(ctx, a.cfg.DatabaseURL)
}

func (a *app) openRedis(ctx context.Context) (redis.UniversalClient, error) {
	if a.cfg.RedisURL == "" {
		return nil, errors.New("no Redis configured: set NEWSLINE_REDIS_URL or --redis-url (or run `newsline dev`, which starts one)")
	}
	opts, err := redis.ParseURL(a.cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("bad Redis URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("connect to Redis at %s: %w", opts.Addr, err)
	}
	return rdb, nil
}
