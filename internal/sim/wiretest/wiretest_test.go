package wiretest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
)

// recordingTB keeps the errors a helper reports instead of failing.
type recordingTB struct {
	testing.TB
	errs []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

func TestFaultNamesReportsALawfulFault(t *testing.T) {
	rec := &recordingTB{TB: t}
	names := wiretest.FaultNames(rec, modicasim.New(), "dlr-drop", "no-such-fault")
	if len(names) != 19 {
		t.Errorf("%d faults, want Modica's 19: %v", len(names), names)
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "dlr-drop is lawful for modica") {
		t.Errorf("errors %q, want one naming dlr-drop as lawful", rec.errs)
	}
	if got := wiretest.Lacks(names, []string{"dlr-drop", "no-such-fault"}); len(got) != 1 || got[0] != "no-such-fault" {
		t.Errorf("Lacks = %v, want [no-such-fault]", got)
	}
}
