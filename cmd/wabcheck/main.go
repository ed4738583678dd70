// Command wabcheck is a conformance and load-testing harness for WhatsApp
// Business messaging APIs. This package only parses flags and calls the
// packages that do the work; see README.md for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	_ "github.com/wabcheck/wabcheck/internal/dialect/all" // every vendor dialect registers itself
	"github.com/wabcheck/wabcheck/internal/redact"
)

// version is set with -ldflags "-X main.version=..." by the Makefile.
var version = "dev"

// Exit codes shared by every command.
const (
	exitOK     = 0
	exitFailed = 1 // conformance, lint or threshold failures
	exitUsage  = 2 // usage or configuration error
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one wabcheck invocation and returns its exit code; tests call
// it with an argv slice.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var fe failedError
	if errors.As(err, &fe) {
		if fe.msg != "" {
			fmt.Fprintln(stderr, "wabcheck:", redactArgs(fe.msg, args))
		}
		return exitFailed
	}
	fmt.Fprintln(stderr, "wabcheck:", redactArgs(err.Error(), args))
	return exitUsage
}

// redactArgs masks credentials in msg, an error about to be printed: every
// error reaches the person through here, and a flag value or a library's
// error may quote a URL with a password. Besides what redact.String
// recognises, the passwords of URL-ish arguments are masked wherever msg
// repeats them (unquoted, one with a space cannot be told from the words
// around it).
func redactArgs(msg string, args []string) string {
	var secrets []string
	for _, a := range args {
		if name, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(name, "-") {
			a = v
		}
		secrets = append(secrets, redact.Passwords(a)...)
	}
	return redact.Known(redact.String(msg), secrets)
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "wabcheck",
		Short: "Conformance and load-testing harness for WhatsApp Business messaging APIs",
		Long: `wabcheck checks a WhatsApp Business messaging API (first: Modica WAB v1.2.0)
against its OpenAPI contract, simulates it, and load-tests it.

  CI contract gate      wabcheck spec lint | spec diff | conform
  Pre-release load run  wabcheck load --profile broadcast
  Vendor acceptance     wabcheck conform --target https://vendor.example/rest/wab/v1

Exit codes: 0 all passed, 1 conformance/lint/threshold failures, 2 usage or
configuration error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(commandFlagError)
	root.AddCommand(newVersionCmd())
	for _, add := range subcommands {
		root.AddCommand(add())
	}
	return root
}

// subcommands is filled by each command's file in init, so the command files
// stay independent of one another.
var subcommands []func() *cobra.Command

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the wabcheck version",
		Example: "  wabcheck version",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintln(c.OutOrStdout(), "wabcheck", version)
			return nil
		},
	}
}

// failedError makes run exit 1: the command worked and found failures.
type failedError struct{ msg string }

func (e failedError) Error() string { return e.msg }

// failed returns an error that exits 1 with msg (may be empty).
func failed(format string, a ...any) error {
	return failedError{msg: fmt.Sprintf(format, a...)}
}

// commandFlagError names the command once ("load: invalid argument … (see wabcheck
// load --help)"); run adds the "wabcheck:" prefix.
func commandFlagError(c *cobra.Command, err error) error {
	if !c.HasParent() {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	}
	name := strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
	return fmt.Errorf("%s: %w (see %s --help)", name, err, c.CommandPath())
}
