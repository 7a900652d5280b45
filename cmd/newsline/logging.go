package main

import (
	"log/slog"

	"github.com/spf13/cobra"
)

// Every logger the commands use is made here, from the configuration's
// --log-format and --log-level (config.Config.Logger, which redacts
// passwords). The root command makes the process's logger before any
// command runs; two kinds of command adjust it for who reads the output.

// setupLogging makes the process's logger; the root command runs it
// before any command.
func (a *app) setupLogging() {
	a.logger = a.cfg.Logger(a.stderr)
}

// devLogging switches dev to text logs, for a person at a terminal, unless
// --log-format names a format.
func (a *app) devLogging(cmd *cobra.Command) {
	if !cmd.Flags().Changed("log-format") {
		a.cfg.LogFormat = "text"
		a.logger = a.cfg.Logger(a.stderr)
	}
}

// benchLogger is the logger of a benchmark's servers: at warn level unless
// --log-level is given, so that their logs do not drown the figures.
func (a *app) benchLogger(cmd *cobra.Command) *slog.Logger {
	cfg := *a.cfg
	if !cmd.Flags().Changed("log-level") {
		cfg.LogLevel = slog.LevelWarn
	}
	return cfg.Logger(a.stderr)
}
