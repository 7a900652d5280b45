package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/internal/suggest"
)

// usageError is a mistake in the command line itself; hint says where to
// look for the right usage.
type usageError struct {
	error
	hint string
}

// group makes a command that only holds subcommands, and answers an
// unknown subcommand with a suggestion instead of silently printing help.
func group(c *cobra.Command) *cobra.Command {
	c.SuggestionsMinimumDistance = 2
	c.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		var names []string
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, sub.Name())
				names = append(names, sub.Aliases...)
			}
		}
		if s := suggest.Closest(args[0], names); s != "" {
			if sub, _, err := cmd.Find([]string{s}); err == nil {
				s = sub.Name()
			}
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return usageError{errors.New(msg), fmt.Sprintf("Run '%s --help' for usage.", cmd.CommandPath())}
	}
	c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	return c
}

// exactArgs names the missing argument instead of cobra's bare count.
func exactArgs(n int, name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s takes %d argument (%s), got %d", cmd.CommandPath(), n, name, len(args)), "Usage: " + cmd.UseLine()}
		}
		return nil
	}
}
