package conform

import (
	"context"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// faultCase says which part of the suite must catch a simulator fault and
// what the report must then say: every string in names must appear in one
// failed step's error or one validation finding.
type faultCase struct {
	tags  string
	names []string
}

// faultMatrix covers every fault of sim.Faults(); TestFaultMatrix fails
// for a fault missing here, so a new fault cannot go unchecked.
var faultMatrix = map[string]faultCase{
	"wrong-success-status":     {"@messages", []string{"POST /messages", "status 200 is not declared"}},
	"missing-message-id":       {"@messages", []string{"POST /messages", `"message_id"`, "no such field"}},
	"non-uuid-message-id":      {"@messages", []string{"PostMessages", "/message_id", "pattern"}},
	"unknown-status-value":     {"@messages", []string{"PostMessages", "/status", "queued"}},
	"missing-security-header":  {"@health", []string{"header-missing", "GetHealthz", "Content-Security-Policy"}},
	"retry-after-missing":      {"@ratelimit", []string{"header-missing", "429", "Retry-After"}},
	"retry-after-out-of-range": {"@ratelimit", []string{"header-invalid", "429", "Retry-After", "minimum: 10"}},
	"missing-ratelimit-header": {"@health", []string{"header-missing", "GetHealthz", "X-RateLimit-Limit"}},
	"server-error-burst":       {"@health", []string{"GET /healthz status", "expected 200, got 500"}},
	"latency-spike":            {"@health", []string{"latency GET /healthz", "expected an answer within"}},
	"broadcast-short-results":  {"@broadcast", []string{"broadcast results", "one per destination"}},
	"accept-invalid-e164":      {"@errors", []string{"POST /messages status", "4XX", "got 202"}},
	"dlr-drop":                 {"@callbacks", []string{"within the DLR timeout", "final delivery receipt"}},
	"dlr-duplicate":            {"@callbacks", []string{"receipts", "each status once"}},
	"dlr-out-of-order":         {"@callbacks", []string{"illegal transition received → sent"}},
	"dlr-late":                 {"@callbacks", []string{"within the DLR timeout", "got only"}},
	"dlr-unknown-id":           {"@callbacks", []string{"message ids never issued"}},
	"callback-malformed-body":  {"@callbacks", []string{"body-not-json"}},
	"dlr-illegal-transition":   {"@callbacks", []string{"dlr-illegal-transition", `may follow "read"`}},
}

// TestFaultMatrix runs the relevant part of the suite against the
// simulator once per fault (ratio 1) and checks that the run fails and
// its record names the defect.
func TestFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("fault matrix: skipped in -short mode")
	}
	doc := modicaspec.MustDoc()
	faults, err := sim.Faults(modicasim.New())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range faults {
		c, ok := faultMatrix[f.Name]
		if !ok {
			t.Errorf("fault %s has no row in faultMatrix: add the scenario that catches it", f.Name)
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			o := modicaOptions()
			o.Doc, o.Format, o.Tags = doc, "", c.tags
			o.Faults = []sim.FaultSetting{{Name: f.Name, Ratio: 1}}
			run, err := Run(context.Background(), budgetOnlyForSpike(o, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			if run.Passed() {
				t.Fatalf("the suite (%s) passed with fault %s (%s): not caught", c.tags, f.Name, f.Does)
			}
			if where, ok := names(run, c.names); !ok {
				t.Errorf("fault %s: no failed step or finding names %q; failures:\n%s", f.Name, c.names, failures(run))
			} else {
				t.Logf("caught by %s", where)
			}
		})
	}
	if len(faultMatrix) != len(faults) {
		t.Errorf("faultMatrix has %d rows, sim.Faults() %d faults", len(faultMatrix), len(faults))
	}
}

// names finds a failed step error or finding containing every string of
// want, and says where it is.
func names(run *report.Run, want []string) (string, bool) {
	has := func(s string) bool {
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				if st.Status == report.Failed && has(st.Error) {
					return f.Name + " / " + s.Name, true
				}
			}
			for _, x := range s.Exchanges {
				for _, fd := range x.Findings {
					if has(fd.String()) {
						return f.Name + " / " + s.Name + " (finding " + fd.Code + ")", true
					}
				}
			}
		}
	}
	for _, c := range run.UnknownCallbacks {
		for _, fd := range c.Findings {
			if has(fd.String()) {
				return "unknown callbacks (finding " + fd.Code + ")", true
			}
		}
	}
	return "", false
}

func failures(run *report.Run) string {
	var b strings.Builder
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				if st.Status == report.Failed {
					b.WriteString("  " + s.Name + ": " + st.Error + "\n")
				}
			}
		}
	}
	return b.String()
}
