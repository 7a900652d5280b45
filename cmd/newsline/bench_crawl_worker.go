package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/cmd/newsline/internal/bench"
)

// benchCrawlWorkerCommand is the hidden worker process of `bench crawl`:
// it reads its setup (database, Redis, concurrency) from stdin, runs the
// asynq worker until stdin closes, and reports on stdout.
func (a *app) benchCrawlWorkerCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "crawl-worker",
		Short:  "The worker process of 'bench crawl' (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return bench.RunCrawlWorker(cmd.Context(), cmd.InOrStdin(), a.stdout, a.benchLogger(cmd))
		},
	}
}

// crawlWorkerCommand returns how `bench crawl` starts its worker process:
// this executable's `bench crawl-worker`, with --log-level passed on.
func (a *app) crawlWorkerCommand(cmd *cobra.Command) (func(ctx context.Context) *exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench crawl: find this executable for the worker process: %w", err)
	}
	args := []string{"bench", "crawl-worker"}
	if cmd.Flags().Changed("log-level") {
		args = append(args, "--log-level", strings.ToLower(a.cfg.LogLevel.String()))
	}
	return func(ctx context.Context) *exec.Cmd {
		c := exec.CommandContext(ctx, exe, args...)
		c.Stderr = a.stderr
		return c
	}, nil
}
