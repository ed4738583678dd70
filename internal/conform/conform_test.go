package conform

import (
	"context"
	"os"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
)

// TestSuiteAgainstSimulator runs the whole suite (minus @slow) against the
// clean in-process simulator, each scenario a subtest: it must pass.
func TestSuiteAgainstSimulator(t *testing.T) {
	o := modicaOptions()
	o.Doc = modicaspec.MustDoc()
	o.Format = ""
	o.TestingT = t
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
		for _, f := range run.Features {
			for _, s := range f.Scenarios {
				if s.Status == report.Failed {
					for _, st := range s.Steps {
						if st.Status == report.Failed {
							t.Errorf("%s: %s: %s %s: %s", f.Name, s.Name, st.Keyword, st.Text, st.Error)
						}
					}
				}
			}
		}
	}
	if c.Passed == 0 {
		t.Fatal("no scenario passed")
	}
}
