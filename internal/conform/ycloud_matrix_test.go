package conform

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud/ycloudsim"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/spec"
)

var (
	ycloudDocOnce sync.Once
	ycloudDoc     *spec.Doc
)

// ycloudOptions are DefaultOptions for the YCloud dialect against its
// in-process simulator, without console output.
func ycloudOptions() Options {
	ycloudDocOnce.Do(func() { ycloudDoc = ycloud.MustDoc() })
	o := DefaultOptions()
	o.Dialect, o.Doc, o.Format = ycloud.New(), ycloudDoc, ""
	return o
}

// ycloudFaultMatrix covers every fault of YCloud's simulator (the core's
// that apply and the wire's own): the scenarios that catch it (a tag
// expression, kept small so the matrix is quick) and what the record must
// then say: every string in names appears in one failed step's error, one
// validation finding or one harness error. TestYCloudFaultMatrix fails for
// a fault missing here.
var ycloudFaultMatrix = map[string]faultCase{
	"server-error-burst":      {"@webhooks", []string{"registering the callback receiver", "answer 500", "server-error-burst"}},
	"latency-spike":           {"@errors && ~@sim-only", []string{"latency POST /whatsapp/messages", "expected an answer within"}},
	"dlr-drop":                {"@webhooks", []string{"within the DLR timeout", "final delivery receipt", "no delivery receipt at all"}},
	"dlr-late":                {"@webhooks", []string{"within the DLR timeout", "got only"}},
	"dlr-unknown-id":          {"@webhooks", []string{"message ids never issued"}},
	"callback-malformed-body": {"@webhooks", []string{"body-not-json"}},
	"bad-signature":           {"@webhooks", []string{"signature-invalid", "YCloud-Signature", "the endpoint's secret"}},
	"missing-signature":       {"@webhooks", []string{"signature-missing", "no YCloud-Signature header"}},
	"stale-signature":         {"@webhooks", []string{"signature-stale", "from the receiver's clock"}},
	"wrong-event-type":        {"@webhooks", []string{"callback-unclassified", "cannot classify"}},
	"unknown-status":          {"@webhooks", []string{"expected a final delivery receipt", "got only [pending"}},
	"wrong-to":                {"@webhooks", []string{"callback-recipient-mismatch", "expected recipient +16315550100"}},
	"stale-retrieve":          {"@retrieve && ~@sim-only", []string{"the latest status its receipts reported", `got "accepted"`}},
	"missing-id":              {"@messages && ~@retrieve", []string{"whatsapp_message-send", `property "id" is missing`}},
	"unwrapped-error-body":    {"@auth", []string{"401 body /error", `property "error" is missing`}},
	"non-rfc3339-times":       {"@messages && ~@retrieve", []string{"/createTime", `format "date-time"`}},
	"no-events":               {"@webhooks", []string{"within the DLR timeout", "no delivery receipt at all"}},
}

// TestYCloudSuiteAgainstSimulator runs the whole YCloud suite (the neutral
// features and features/ycloud, minus @slow and @assisted) against the
// clean in-process simulator, each scenario a subtest: it must pass.
func TestYCloudSuiteAgainstSimulator(t *testing.T) {
	run := cleanSuite(t, ycloudOptions())
	c := run.ScenarioCounts()
	if c.Passed < 70 || !onlyLawfulSkips(run, "ycloud has no ", "ycloud advertises no ", "excluded by tags") {
		t.Errorf("%d passed, %d skipped: the YCloud features did not all run:\n%s", c.Passed, c.Skipped, skips(run))
	}
}

// TestYCloudFaultMatrix runs the relevant part of the suite against the
// simulator once per YCloud fault (ratio 1) and checks that each run fails
// and its record names the defect. The runs mostly wait (for receipts
// that never come), so they all run at once, not -parallel at a time.
func TestYCloudFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("fault matrix: skipped in -short mode")
	}
	start := time.Now()
	faults, err := sim.Faults(ycloudsim.New())
	if err != nil {
		t.Fatal(err)
	}
	results := make([]faultRun, len(faults))
	var wg sync.WaitGroup
	for i, f := range faults {
		c, ok := ycloudFaultMatrix[f.Name]
		if !ok {
			t.Errorf("fault %s has no row in ycloudFaultMatrix: add the scenario that catches it", f.Name)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runWithFault(f, c)
		}()
	}
	wg.Wait()
	for i, f := range faults {
		if c, ok := ycloudFaultMatrix[f.Name]; ok {
			t.Run(f.Name, func(t *testing.T) { checkFaultCaught(t, f, c, results[i]) })
		}
	}
	if len(ycloudFaultMatrix) != len(faults) {
		t.Errorf("ycloudFaultMatrix has %d rows, the simulator %d faults", len(ycloudFaultMatrix), len(faults))
	}
	t.Logf("%d faults in %v", len(faults), time.Since(start).Round(time.Millisecond))
}

// faultRun is one run of the matrix.
type faultRun struct {
	run *report.Run
	err error
}

// runWithFault runs c's scenarios with fault f on at ratio 1.
func runWithFault(f sim.Fault, c faultCase) faultRun {
	o := ycloudOptions()
	o.Tags = c.tags
	o.Faults = []sim.FaultSetting{{Name: f.Name, Ratio: 1}}
	// A spike just over the latency budget (1 s against the simulator)
	// shows as well as the default 2 s, in less time.
	o.SimConfig = func(c *sim.Config) { c.LatencySpike = 1500 * time.Millisecond }
	run, err := Run(context.Background(), budgetOnlyForSpike(o, f.Name))
	return faultRun{run, err}
}

// checkFaultCaught checks the run with fault f failed and named it.
func checkFaultCaught(t *testing.T, f sim.Fault, c faultCase, r faultRun) {
	if r.err != nil {
		t.Fatalf("fault %s: the run could not start: %v", f.Name, r.err)
	}
	if r.run.Passed() {
		t.Fatalf("the suite (%s) passed with fault %s (%s): not caught", c.tags, f.Name, f.Does)
	}
	if where, ok := ycloudNames(r.run, c.names); ok {
		t.Logf("caught by %s", where)
		return
	}
	t.Errorf("fault %s: no failed step, finding or harness error names %q; failures:\n%s%s", f.Name, c.names, failures(r.run),
		strings.Join(r.run.HarnessErrors, "\n"))
}

// ycloudNames is names, also looking at the harness's errors (a webhook
// registration the target answered 500).
func ycloudNames(run *report.Run, want []string) (string, bool) {
	if where, ok := names(run, want); ok {
		return where, true
	}
	for _, e := range run.HarnessErrors {
		all := true
		for _, w := range want {
			all = all && strings.Contains(e, w)
		}
		if all {
			return "harness error", true
		}
	}
	return "", false
}

// onlyLawfulSkips reports whether every skipped scenario of run gives one
// of the reasons (a capability the vendor lacks, a tag filter).
func onlyLawfulSkips(run *report.Run, reasons ...string) bool {
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if s.Status == report.Skipped && !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(s.Reason, r) }) {
				return false
			}
		}
	}
	return true
}
