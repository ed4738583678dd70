package main

// Regression tests for issue 13 (hardening) at the command line, named
// after its items.

import (
	"strings"
	"testing"
)

// TestLoadHugeDurationIsAUsageError (issue 13 item 4): `load --duration
// 100000h` died with "fatal error: runtime: out of memory"; it is one line
// and exit 2, as is the same in a profile.
func TestLoadHugeDurationIsAUsageError(t *testing.T) {
	profile := writeFile(t, "long.yaml", "name: long\nstages:\n  - {duration: 100000h, rate: 1}\n")
	for _, args := range [][]string{
		{"load", "--profile", "send", "--duration", "100000h"},
		{"load", "--profile", profile},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "longer than the maximum of 168h0m0s") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming the maximum", args, code, errOut)
		}
	}
}
