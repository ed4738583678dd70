package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The recorded runs of internal/compare's tests: clean passed, dup and
// load failed.
var (
	fixClean = filepath.Join("..", "..", "internal", "compare", "testdata", "clean")
	fixDup   = filepath.Join("..", "..", "internal", "compare", "testdata", "dup")
	fixLoad  = filepath.Join("..", "..", "internal", "compare", "testdata", "load")
)

// TestReportCompareExitCodes: 0 when every run passed, 1 when any failed
// (one line naming it), 2 for usage errors (one line naming the folder
// or flag).
func TestReportCompareExitCodes(t *testing.T) {
	notRun := t.TempDir()
	badJSON := filepath.Dir(writeFile(t, "summary.json", `{"tool": "wabcheck conform"`))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"all passed", []string{fixClean, fixClean}, exitOK, ""},
		{"one failed", []string{fixClean, fixDup}, exitFailed, "1 of 2 runs failed: #2 (dup)"},
		{"conform and load, both failed", []string{fixDup, fixLoad}, exitFailed, "2 of 2 runs failed: #1 (dup), #2 (load)"},
		{"one folder", []string{fixClean}, exitUsage, "want two or more run folders, got 1"},
		{"no folder", nil, exitUsage, "want two or more run folders, got 0"},
		{"not a run", []string{fixClean, notRun}, exitUsage, notRun + ": no summary.json"},
		{"unreadable JSON", []string{fixClean, badJSON}, exitUsage, filepath.Join(badJSON, "summary.json") + ": not valid JSON"},
		{"bad format", []string{"--format", "xml", fixClean, fixDup}, exitUsage, `--format "xml": want text or json`},
	}
	for _, tt := range tests {
		args := append([]string{"report", "compare", "--report-dir", t.TempDir()}, tt.args...)
		code, _, errOut := runCLI(t, args...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.code, errOut)
		}
		if tt.want == "" && errOut != "" || tt.want != "" && (!strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1) {
			t.Errorf("%s: stderr %q, want one line containing %q", tt.name, errOut, tt.want)
		}
	}
}

// TestReportCompareWritesFiles: the run folder holds compare.html,
// compare.txt and compare.json; the text printed is compare.txt.
func TestReportCompareWritesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, out, _ := runCLI(t, "report", "compare", "--report-dir", dir, fixClean, fixDup, fixLoad)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	txt, err := os.ReadFile(filepath.Join(dir, "compare.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(txt)+"report: "+dir+"\n" {
		t.Errorf("stdout is not compare.txt and the folder:\n%s", out)
	}
	for _, name := range []string{"compare.html", "compare.json"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestReportCompareJSON: --format json prints one JSON document on stdout
// and names the folder on stderr.
func TestReportCompareJSON(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "report", "compare", "--format", "json", "--report-dir", dir, fixClean, fixLoad)
	if code != exitFailed || !strings.HasPrefix(errOut, "report: "+dir+"\n") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var got struct {
		Conform []struct {
			Kind string `json:"kind"`
		} `json:"conform"`
		Load []struct {
			Profile string `json:"profile"`
		} `json:"load"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if len(got.Conform) != 1 || got.Conform[0].Kind != "conform" || len(got.Load) != 1 || got.Load[0].Profile != "send" {
		t.Errorf("JSON %+v", got)
	}
}

// TestReportComparePublishesLatest: without --report-dir the comparison
// goes to reports/compare-<time>/ and reports/latest.
func TestReportComparePublishesLatest(t *testing.T) {
	clean, _ := filepath.Abs(fixClean)
	t.Chdir(t.TempDir())
	if code, _, errOut := runCLI(t, "report", "compare", clean, clean); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	target, err := os.Readlink(filepath.Join("reports", "latest"))
	if err != nil || !strings.HasPrefix(target, "compare-") {
		t.Fatalf("reports/latest → %q (%v)", target, err)
	}
	if _, err := os.Stat(filepath.Join("reports", "latest", "compare.html")); err != nil {
		t.Error(err)
	}
}

// TestReportCompareConformCleanVsDLRDuplicate is issue 8's "done means":
// two in-process conform runs, clean and with --fault dlr-duplicate,
// compared: the receipt scenario passed in the first and failed in the
// second, the health scenario passed in both, and the comparison exits 1.
func TestReportCompareConformCleanVsDLRDuplicate(t *testing.T) {
	tags := "@health,@callbacks && ~@sim-only"
	clean, dup := filepath.Join(t.TempDir(), "clean"), filepath.Join(t.TempDir(), "dup")
	if code, out, errOut := runCLI(t, "conform", "--tags", tags, "--format", "none", "--report-dir", clean); code != exitOK {
		t.Fatalf("clean conform: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "conform", "--tags", tags, "--fault", "dlr-duplicate", "--format", "none", "--report-dir", dup); code != exitFailed {
		t.Fatalf("dlr-duplicate conform: exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "report", "compare", "--report-dir", t.TempDir(), clean, dup)
	if code != exitFailed || !strings.Contains(errOut, "1 of 2 runs failed: #2 (dup)") {
		t.Fatalf("compare: exit %d, stderr %q", code, errOut)
	}
	receipts := scenarioLine(t, out, "Delivery receipts for an accepted message are valid, complete and in order")
	if !strings.HasPrefix(receipts, "*") || !strings.HasSuffix(squeeze(receipts), "passed FAILED") {
		t.Errorf("receipt scenario row %q: want it marked and passed → FAILED", receipts)
	}
	health := scenarioLine(t, out, "The API reports itself healthy")
	if strings.HasPrefix(health, "*") || !strings.HasSuffix(squeeze(health), "passed passed") {
		t.Errorf("health scenario row %q: want it unmarked, passed in both", health)
	}
	if !strings.Contains(out, "SCENARIOS: 1 of ") || !strings.Contains(out, "expected each status once") {
		t.Errorf("the difference or its failure is missing:\n%s", out)
	}
}

// scenarioLine returns the text table's line for scenario name.
func scenarioLine(t *testing.T, out, name string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "  "+name+"  ") {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("no row for %q in\n%s", name, out)
	return ""
}

// squeeze makes runs of spaces single spaces.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }
