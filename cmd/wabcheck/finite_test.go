package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestNaNFlagsAreUsageErrors (issue 13 item 10): `--min-coverage NaN`
// switched the coverage gate off (exit 0 at 2.3%) and `load
// --validate-sample NaN` ran the whole attack, then lost it writing
// summary.json (exit 2, no report). Every float flag now refuses NaN and
// infinities with exit 2 before anything runs.
func TestNaNFlagsAreUsageErrors(t *testing.T) {
	report := filepath.Dir(writeFile(t, "summary.json", `{"tool": "wabcheck conform", "coverage": {"percent": 2.3}}`))
	notMade := filepath.Join(t.TempDir(), "never")
	cases := [][]string{
		{"spec", "coverage", "--report", report, "--min-coverage", "NaN"},
		{"spec", "coverage", "--report", report, "--min-coverage", "-Inf"},
		{"conform", "--min-coverage", "NaN", "--report-dir", notMade},
		{"load", "--profile", "send", "--validate-sample", "NaN", "--report-dir", notMade},
		{"load", "--profile", "send", "--rate", "Inf", "--report-dir", notMade},
		{"load", "--profile", "send", "--rate", "NaN", "--report-dir", notMade},
		{"sim", "--read-ratio", "NaN"},
		{"sim", "--fail-ratio", "+Inf"},
	}
	for _, args := range cases {
		code, out, errOut := runCLI(t, args...)
		flag := args[len(args)-2]
		if strings.HasPrefix(args[len(args)-2], "--report") {
			flag = args[len(args)-4]
		}
		if code != exitUsage || !strings.Contains(errOut, flag) || !strings.Contains(errOut, "not a finite number") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming %s", args, code, out, errOut, flag)
		}
	}
	if _, err := os.Stat(notMade); !os.IsNotExist(err) {
		t.Errorf("a run started before the flag error: %s exists (%v)", notMade, err)
	}
}

// TestEveryFloatFlagIsFinite: the mechanism behind item 10. No command has
// a plain float flag (which parses "NaN"); every float flag is a
// finite.Float and refuses NaN.
func TestEveryFloatFlagIsFinite(t *testing.T) {
	root := newRootCmd(&bytes.Buffer{}, &bytes.Buffer{})
	n := 0
	for _, c := range allCommands(root) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			switch typ := f.Value.Type(); {
			case strings.HasPrefix(typ, "float"):
				n++
				if typ != "float" {
					t.Errorf("%s --%s is a plain %s flag: use finite.New", c.CommandPath(), f.Name, typ)
					return
				}
				if err := f.Value.Set("NaN"); err == nil {
					t.Errorf("%s --%s accepts NaN", c.CommandPath(), f.Name)
				}
			}
		})
	}
	if n < 8 {
		t.Errorf("found %d float flags, want at least the 8 of conform, spec coverage, load and sim", n)
	}
}
