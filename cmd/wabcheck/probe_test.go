package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProbeUsageErrorsExit2: bad flags and unusable targets are one line
// naming the flag, exit 2, and leave no run folder behind.
func TestProbeUsageErrorsExit2(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("WABCHECK_USER", "")
	t.Setenv("WABCHECK_PASSWORD", "")
	dead := "http://127.0.0.1:1/rest/wab/v1"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--positive", "maybe"}, `--positive "maybe": want none, safe or all`},
		{[]string{"--operations", "Nope"}, `--operations "Nope": no such operationId`},
		{[]string{"--to", "123"}, `--to "123": not an E.164 number`},
		{[]string{"--max-cases", "0"}, "--max-cases 0: must be >= 1"},
		{[]string{"--callback-listen", "127.0.0.1:0"}, "--callback-listen: only with --target"},
		{[]string{"--target", dead}, "--user (or WABCHECK_USER): a real modica target needs it"},
		{[]string{"--target", "ftp://x", "--user", "u", "--password", "p"}, `--target "ftp://x"`},
		{[]string{"--target", dead, "--user", "u", "--password", "p"}, "--target " + dead},
		{[]string{"--errata", "/nonexistent"}, "--errata"},
	} {
		code, out, errOut := runCLI(t, append([]string{"probe"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q (stdout %q)", tc.args, code, errOut, tc.want, out)
		}
	}
	if entries, _ := os.ReadDir("reports"); len(entries) != 0 {
		t.Errorf("reports/ holds %d entries after runs that never started", len(entries))
	}
}

// TestProbeAgainstTheSimulator: a short probe of the embedded simulator
// exits 0, prints the cases per operation and check, writes its reports
// and publishes reports/latest; spec coverage reads the folder alone and
// combined with a conform run.
func TestProbeAgainstTheSimulator(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, "probe", "--max-cases", "120", "--max-latency", "-1s")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	for _, want := range []string{"OPERATION", "CHECK", "CASES", "PostMessages", "negative_data_rejection", "0 findings in 120 cases", "reports: reports/probe-"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"probe.html", "junit.xml", "summary.json", "cases.json"} {
		if _, err := os.Stat(filepath.Join("reports", "latest", f)); err != nil {
			t.Error(err)
		}
	}
	probeDir, _ := filepath.EvalSymlinks(filepath.Join("reports", "latest"))
	if code, out, errOut := runCLI(t, "spec", "coverage"); code != exitOK || !strings.Contains(out, "target: in-process simulator") {
		t.Errorf("spec coverage of the probe run: exit %d, %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "conform", "--tags", "@health", "--format", "none", "--report-dir", "conform-run"); code != exitOK {
		t.Fatalf("conform: exit %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "spec", "coverage", "--report", "conform-run", "--report", probeDir)
	if code != exitOK || !strings.Contains(out, "wabcheck conform conform-run") || !strings.Contains(out, "wabcheck probe "+probeDir) {
		t.Errorf("combined coverage: exit %d\n%s%s", code, out, errOut)
	}
}

// TestProbeFindingsExit1: a target that answers 500 to everything exits
// 1, names the findings, and never shows the password.
func TestProbeFindingsExit1(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"errors":[]}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	t.Setenv("WABCHECK_PASSWORD", "s3cr3t-pass")
	code, out, errOut := runCLI(t, "probe", "--target", srv.URL+"/rest/wab/v1", "--user", "acme", "--operations", "GetHealthz",
		"--max-cases", "10", "--report-dir", dir)
	if code != exitFailed || !strings.Contains(errOut, "findings; see") || !strings.Contains(out, "not_a_server_error") || !strings.Contains(out, "curl ") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range append(files, "stdout") {
		data := []byte(out)
		if f != "stdout" {
			data, _ = os.ReadFile(f)
		}
		if strings.Contains(string(data), "s3cr3t-pass") {
			t.Errorf("%s shows the password", f)
		}
	}
}
