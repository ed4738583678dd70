package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runCLI runs wabcheck with args and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeFile writes content to a new file name in a fresh temporary folder
// and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != exitOK || out != "wabcheck dev\n" {
		t.Errorf("version: code %d, out %q", code, out)
	}
}

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != exitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, want := range []string{"version", "Exit codes"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help output lacks %q", want)
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"no-such-command"},
		{"version", "--no-such-flag"},
		{"version", "extra-arg"},
		{"conform", "--timeout", "abc"},
		{"spec", "lint", "--format"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		if !strings.HasPrefix(errOut, "wabcheck: ") || strings.Count(errOut, "\n") != 1 || strings.HasPrefix(errOut, "wabcheck: wabcheck") {
			t.Errorf("%v: stderr %q is not one clear line", args, errOut)
		}
	}
}

// TestEveryFlagHasHelpAndEveryCommandAnExample keeps --help useful.
func TestEveryFlagHasHelpAndEveryCommandAnExample(t *testing.T) {
	root := newRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range allCommands(root) {
		if c.Runnable() && c.Example == "" && c.Name() != "help" && c.Name() != "completion" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if strings.TrimSpace(f.Usage) == "" {
				t.Errorf("%s --%s has no help text", c.CommandPath(), f.Name)
			}
		})
	}
}

func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		out = append(out, allCommands(sub)...)
	}
	return out
}

// TestSpecWarningsArePrinted: what loading a --spec file could not check
// (kin-openapi's complaints, kept as spec.Doc.Warnings) is printed as a
// warning, not dropped.
func TestSpecWarningsArePrinted(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad-default.yaml")
	const doc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: integer, default: "not a number"}
`
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runCLI(t, "probe", "--spec", file, "--errata", "none", "--max-cases", "1", "--report-dir", t.TempDir())
	if !strings.Contains(stderr, "wabcheck: warning:") || !strings.Contains(stderr, "default") {
		t.Errorf("stderr %q: want the spec's warning about the invalid default", stderr)
	}
}
