package main

import "github.com/spf13/cobra"

// specSubcommands holds the constructors of the spec subcommands (lint,
// diff, coverage); each subcommand's file adds itself in its init. The spec
// command and its subcommands are built fresh for every run, so no flag
// value leaks from one run into the next.
var specSubcommands []func() *cobra.Command

func init() { subcommands = append(subcommands, newSpecCmd) }

func newSpecCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "spec",
		Short: "Check and compare OpenAPI specs",
		Long: `Spec tooling for a CI contract gate: lint a spec for defects, diff two
spec versions for breaking changes, and print the spec coverage of a
conformance run.`,
	}
	for _, sub := range specSubcommands {
		c.AddCommand(sub())
	}
	return c
}
