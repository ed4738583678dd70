package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realTarget are flags for a real target that is never contacted: each
// case below must stop before anything runs.
var realTarget = []string{"conform", "--target", "http://127.0.0.1:1/rest/wab/v1", "--user", "u", "--password", "p"}

// TestConformConfigErrorsExit2BeforeRunning covers the audit's findings:
// a bad TLS key pair, a lone TLS flag, --callback-url without --target, a
// tag expression that selects nothing and an unwritable --report-dir each
// used to run the whole suite (exit 1, or exit 0 for the tags). They must
// exit 2 with one line naming the flag, before the suite starts (the
// start line "wabcheck conform: target …" is never printed).
func TestConformConfigErrorsExit2BeforeRunning(t *testing.T) {
	blocker := writeFile(t, "file", "not a folder")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad TLS key pair", slices.Concat(realTarget, []string{"--callback-tls-cert", "/nonexistent", "--callback-tls-key", "/nonexistent"}),
			"--callback-tls-cert /nonexistent"},
		{"TLS cert without key", slices.Concat(realTarget, []string{"--callback-tls-cert", "/nonexistent"}), "--callback-tls-key go together"},
		{"TLS with the simulator", []string{"conform", "--callback-tls-cert", "c.pem", "--callback-tls-key", "k.pem"},
			"--callback-tls-cert: only with --target"},
		{"callback URL with the simulator", []string{"conform", "--callback-url", "http://127.0.0.1:9/cb"}, "--callback-url: only with --target"},
		{"tags matching nothing", []string{"conform", "--tags", "@nonexistent", "--report-dir", t.TempDir()},
			`--tags "@nonexistent": no scenario matches (known tags: `},
		{"unwritable report dir", []string{"conform", "--tags", "@health", "--report-dir", filepath.Join(blocker, "sub")}, "--report-dir"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line containing %q", tt.name, code, errOut, tt.want)
		}
		if strings.Contains(out, "wabcheck conform: target") {
			t.Errorf("%s: the suite started before the error:\n%s", tt.name, out)
		}
	}
}

// TestConformTagsMatchingNothingLeavesNoRunFolder: the folder made before
// the run is removed again when the run cannot start.
func TestConformTagsMatchingNothingLeavesNoRunFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	if code, _, errOut := runCLI(t, "conform", "--tags", "@nonexistent"); code != exitUsage {
		t.Fatalf("exit %d (%s), want 2", code, errOut)
	}
	if entries, _ := os.ReadDir("reports"); len(entries) != 0 {
		t.Errorf("reports/ holds %d entries after a run that never started", len(entries))
	}
}

// TestConformRunPublishesLatest: a run writes its reports into the folder
// made at start and points reports/latest at it.
func TestConformRunPublishesLatest(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, "conform", "--tags", "@health", "--format", "none")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join("reports", "latest", "summary.json")); err != nil {
		t.Errorf("reports/latest/summary.json: %v", err)
	}
	if code, out, errOut := runCLI(t, "spec", "coverage"); code != exitOK || !strings.Contains(out, "spec: ") {
		t.Errorf("spec coverage of the run: exit %d, stderr %q", code, errOut)
	}
}

// TestSpecCoverageRejectsLoadRunFolder: pointed at a load run folder,
// `spec coverage` used to print "0.0% (0 of 0 …)" and exit 0.
func TestSpecCoverageRejectsLoadRunFolder(t *testing.T) {
	dir := filepath.Dir(writeFile(t, "summary.json", `{"tool": "wabcheck load", "profile": "smoke"}`))
	code, out, errOut := runCLI(t, "spec", "coverage", "--report", dir)
	want := `summary.json is from a "wabcheck load" run, not a wabcheck conform run`
	if code != exitUsage || !strings.Contains(errOut, dir) || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr %q; want exit 2 naming %s and %q", code, errOut, dir, want)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
}
