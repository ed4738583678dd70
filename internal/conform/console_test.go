package conform

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// runAuthAgainstSim runs the @auth scenarios against a simulator taken as
// a real target (so the callback-credentials scenario is skipped after its
// first step: no --callback-url carries credentials), with the console in
// format, and returns the record and the console output.
func runAuthAgainstSim(t *testing.T, format string) (*report.Run, string) {
	t.Helper()
	doc := modicaspec.MustDoc()
	s, err := sim.New(doc, nil, modicasim.New(), sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	defer func() { _, _ = s.Close(context.Background()) }()
	o := targetOptions(srv.URL+doc.BasePath(), "@auth")
	o.Credentials = dialect.Credentials{User: sim.DefaultUser, Password: sim.DefaultPassword}
	var out bytes.Buffer
	o.Format, o.Output = format, &out
	run, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return run, out.String()
}

// TestIssue13Item14ConsoleAgreesWithSummary: godog's console counted a
// scenario whose steps after the first were skipped as passed (godog has
// no skipped scenarios), while wabcheck's summary counted it skipped. The
// console now states wabcheck's counts, from the same rule.
func TestIssue13Item14ConsoleAgreesWithSummary(t *testing.T) {
	run, out := runAuthAgainstSim(t, "progress")
	want := map[string]int{}
	ran := 0
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if !strings.HasPrefix(s.Reason, "excluded by tags") {
				want[string(s.Status)]++
				ran++
			}
		}
	}
	if want["skipped"] == 0 || want["passed"] == 0 {
		t.Fatalf("scenarios run: %v; the case (one skipped after its first step) is not exercised", want)
	}
	lines := regexp.MustCompile(`(?m)^(\d+) scenarios \((.*)\)$`).FindAllStringSubmatch(out, -1)
	if len(lines) != 1 {
		t.Fatalf("console has %d scenario count lines, want 1:\n%s", len(lines), out)
	}
	got := map[string]int{}
	for _, m := range regexp.MustCompile(`(\d+) (\w+)`).FindAllStringSubmatch(lines[0][2], -1) {
		got[m[2]], _ = strconv.Atoi(m[1])
	}
	if total, _ := strconv.Atoi(lines[0][1]); total != ran || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("console says %q; the record: %d scenarios run, %v", lines[0][0], ran, want)
	}
	if strings.Contains(out, "Error: <nil>") {
		t.Errorf("console lists a failure without an error:\n%s", out)
	}
}

// TestIssue13Item14PrettyStatusesAreTheRecords: the pretty console gives
// each scenario the status the record has.
func TestIssue13Item14PrettyStatusesAreTheRecords(t *testing.T) {
	run, out := runAuthAgainstSim(t, "pretty")
	printed := map[string]string{}
	for _, m := range regexp.MustCompile(`(?ms)^Scenario: (.*?)  # .*?  → (\w+)$`).FindAllStringSubmatch(out, -1) {
		printed[m[1]] = m[2]
	}
	n := 0
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if strings.HasPrefix(s.Reason, "excluded by tags") {
				continue
			}
			n++
			if printed[s.Name] != string(s.Status) {
				t.Errorf("%s: console says %q, the record %q", s.Name, printed[s.Name], s.Status)
			}
		}
	}
	if n == 0 || len(printed) != n {
		t.Errorf("console printed %d scenarios, the record ran %d:\n%s", len(printed), n, out)
	}
}

// TestIssue13Item14InterruptedConsoleAgrees: scenarios a Before hook
// skipped (the run was interrupted) were passed on godog's console ("10
// scenarios (10 passed)", "42 steps (42 skipped)") and skipped in
// wabcheck's summary.
func TestIssue13Item14InterruptedConsoleAgrees(t *testing.T) {
	o := modicaOptions()
	var out bytes.Buffer
	o.Doc, o.Tags, o.Format, o.Output = modicaspec.MustDoc(), "@auth", "progress", &out
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	run, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Interrupted {
		t.Fatal("the run was not interrupted")
	}
	m := regexp.MustCompile(`(?m)^(\d+) scenarios \((.*)\)$`).FindStringSubmatch(out.String())
	if m == nil || m[2] != m[1]+" skipped" || strings.Contains(out.String(), "Failed steps") {
		t.Errorf("console of an interrupted run:\n%s\nwant every scenario skipped and no failed step, as the record has them", out.String())
	}
}
