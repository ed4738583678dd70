package main

import "github.com/spf13/cobra"

// specCmd is the parent of the spec subcommands (lint, diff, coverage);
// each subcommand's file adds itself in its init.
var specCmd = &cobra.Command{Use: "spec", Short: "Check and compare OpenAPI specs"}

func init() {
	subcommands = append(subcommands, func() *cobra.Command { return specCmd })
}
