package conform

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
)

// TestSuiteAgainstSimulator runs the whole suite (minus @slow) against the
// clean in-process simulator, each scenario a subtest: it must pass.
func TestSuiteAgainstSimulator(t *testing.T) {
	o := modicaOptions()
	o.Doc = modicaspec.MustDoc()
	o.Format = ""
	run := cleanSuite(t, o)
	if run.ScenarioCounts().Passed == 0 {
		t.Fatal("no scenario passed")
	}
}

// cleanSuite runs o's suite against the clean in-process simulator, each
// scenario a subtest of t, logs its counts and fails t naming every
// failed step (and harness error) when the suite did not pass.
func cleanSuite(t *testing.T, o Options) *report.Run {
	t.Helper()
	o.TestingT = t
	o = loadTolerant(o)
	if testing.Verbose() {
		o.Format, o.Output = "progress", os.Stdout
	}
	run, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	c := run.ScenarioCounts()
	t.Logf("scenarios: %d passed, %d failed, %d skipped in %v; coverage %.1f%%", c.Passed, c.Failed, c.Skipped, run.Duration, run.Coverage.Percent)
	if !run.Passed() {
		t.Errorf("the suite failed against the clean simulator:\n%s%s", failures(run), strings.Join(run.HarnessErrors, "\n"))
	}
	return run
}

// loadTolerant gives a clean-simulator run budgets a loaded 2-core CI
// machine under -race cannot miss: no response-time budget (a test must
// not assert wall-clock speed; the latency-spike rows of the fault
// matrices check the budget itself) and 20 s for a final status instead
// of the simulator's default 3 s (it only matters when the machine is
// slow: the simulator delivers in about 100 ms).
func loadTolerant(o Options) Options {
	o.MaxLatency, o.DLRTimeout, o.ReplyTimeout = -1, 20*time.Second, 20*time.Second
	return o
}

// budgetOnlyForSpike leaves the response-time budget to the latency-spike
// fault's row of a fault matrix: on a busy machine a slow answer would
// fail the other rows before the step that names their defect.
func budgetOnlyForSpike(o Options, fault string) Options {
	if fault != "latency-spike" {
		o.MaxLatency = -1
	}
	return o
}
