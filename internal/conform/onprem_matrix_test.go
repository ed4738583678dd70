package conform

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremsim"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// onpremOptions are DefaultOptions for the on-premises dialect against its
// simulator, posting webhooks in format (onprem or cloud).
func onpremOptions(format string) Options {
	o := DefaultOptions()
	o.Dialect, o.Doc, o.Format = onprem.New(), onpremspec.MustDoc(), ""
	if format == onprem.KindCloud {
		o.SimConfig = func(c *sim.Config) { c.Options = map[string]string{onpremsim.OptWebhookFormat: onprem.KindCloud} }
	}
	return o
}

// onpremFault says which part of the suite catches an on-premises fault,
// in which webhook format, and what the report must then say (every
// string of names in one failed step's error or finding). setup marks a
// fault that stops the run before any scenario (Run's error names it).
type onpremFault struct {
	tags, format string
	names        []string
	setup        bool
}

// onpremFaultMatrix covers every fault of the on-premises wire;
// TestOnpremFaultMatrix fails for one missing here.
var onpremFaultMatrix = map[string]onpremFault{
	"webhook-unsigned":              {"@webhooks", onprem.KindCloud, []string{"signature-missing", "X-Hub-Signature-256"}, false},
	"webhook-bad-signature":         {"@webhooks", onprem.KindCloud, []string{"signature-invalid", "X-Hub-Signature-256"}, false},
	"batch-malformed-item":          {"@webhooks", onprem.KindOnprem, []string{"callback:onprem", `property "timestamp" is missing`}, false},
	"failed-without-errors":         {"@errors", onprem.KindOnprem, []string{"failed status errors", "131026"}, false},
	"wrong-recipient-id":            {"@webhooks", onprem.KindOnprem, []string{"recipient-mismatch", "was sent to it"}, false},
	"token-accepted-after-expiry":   {"@login", onprem.KindOnprem, []string{"POST /messages status", "expected 401, got 201"}, false},
	"throughput-error-body-missing": {"@ratelimit", onprem.KindOnprem, []string{"POST /messages → 400", `property "errors" is missing`}, false},
	"unknown-status-value":          {"@webhooks && ~@serial", onprem.KindOnprem, []string{"final delivery receipt", "[seen]"}, false},
	"dlr-drop":                      {"@webhooks && ~@serial", onprem.KindOnprem, []string{"within the DLR timeout", "no delivery receipt at all"}, false},
	"dlr-late":                      {"@webhooks && ~@serial", onprem.KindOnprem, []string{"within the DLR timeout", "final delivery receipt"}, false},
	"dlr-unknown-id":                {"@webhooks && ~@serial", onprem.KindOnprem, []string{"message ids never issued"}, false},
	"callback-malformed-body":       {"@webhooks && ~@serial", onprem.KindCloud, []string{"body-not-json", "callback:cloud"}, false},
	"latency-spike":                 {"@contacts && ~@sim-only", onprem.KindOnprem, []string{"latency POST /contacts", "expected an answer within"}, false},
	"server-error-burst":            {"@contacts", onprem.KindOnprem, []string{"login at", "HTTP 500", "1014 Internal error"}, true},
}

// TestOnpremFaultMatrix runs the part of the suite that catches each of
// the on-premises wire's faults against the simulator with the fault on
// (ratio 1) and checks the run fails naming the defect. The runs mostly
// wait (for receipts that never come), so they all run at once, whatever
// -parallel says; the subtests then judge each.
func TestOnpremFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("fault matrix: skipped in -short mode")
	}
	faults, err := sim.Faults(onpremsim.New())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results := runFaults(faults)
	t.Logf("on-premises fault matrix: %d faults in %v", len(faults), time.Since(start).Round(time.Millisecond))
	for _, f := range faults {
		t.Run(f.Name, func(t *testing.T) {
			c, ok := onpremFaultMatrix[f.Name]
			if !ok {
				t.Fatalf("fault %s has no row in onpremFaultMatrix: add the scenario that catches it", f.Name)
			}
			judgeFault(t, f, c, results[f.Name])
		})
	}
	if len(onpremFaultMatrix) != len(faults) {
		t.Errorf("onpremFaultMatrix has %d rows, the wire %d faults", len(onpremFaultMatrix), len(faults))
	}
}

// matrixDLRTimeout bounds the wait for receipts a fault withholds (the
// rows run at once, so the matrix takes about this long): the simulator
// delivers within about 100 ms, and a loaded 2-core machine under -race
// within a few seconds.
const matrixDLRTimeout = 5 * time.Second

// matrixLatencySpike is just over the simulator's latency budget (1 s).
const matrixLatencySpike = 1200 * time.Millisecond

// faultResult is one fault's run.
type faultResult struct {
	run *report.Run
	err error
}

// runFaults runs every fault's row of the matrix at once.
func runFaults(faults []sim.Fault) map[string]faultResult {
	out := make(map[string]faultResult, len(faults))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, f := range faults {
		c, ok := onpremFaultMatrix[f.Name]
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := onpremOptions(c.format)
			o.Tags, o.Faults = c.tags, []sim.FaultSetting{{Name: f.Name, Ratio: 1}}
			o.DLRTimeout = matrixDLRTimeout
			format := o.SimConfig
			o.SimConfig = func(cfg *sim.Config) {
				if format != nil {
					format(cfg)
				}
				cfg.LatencySpike = matrixLatencySpike // the harness's own calls are held back too
			}
			run, err := Run(context.Background(), budgetOnlyForSpike(o, f.Name))
			mu.Lock()
			out[f.Name] = faultResult{run, err}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// judgeFault checks a fault's run failed (or, for a setup fault, did not
// start) naming the defect.
func judgeFault(t *testing.T, f sim.Fault, c onpremFault, r faultResult) {
	t.Helper()
	if c.setup {
		if r.err == nil || !containsAll(r.err.Error(), c.names) {
			t.Fatalf("fault %s: Run error %v, want one naming %q", f.Name, r.err, c.names)
		}
		t.Logf("stopped the run before any scenario: %v", r.err)
		return
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.run.Passed() {
		t.Fatalf("the suite (%s, %s webhooks) passed with fault %s (%s): not caught", c.tags, c.format, f.Name, f.Does)
	}
	if where, ok := names(r.run, c.names); !ok {
		t.Errorf("fault %s: no failed step or finding names %q; failures:\n%s", f.Name, c.names, failures(r.run))
	} else {
		t.Logf("caught by %s (run %v)", where, r.run.Duration.Round(time.Millisecond))
	}
}

func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// TestOnpremPassesInBothFormats is issue 10's "done": the whole suite
// (the neutral features and features/onprem) passes against the
// in-process simulator with on-premises webhooks and with the Cloud API
// envelope, signed and verified. Its skips are the capabilities the
// client lacks (broadcast, retrieve, an advertised limit: its own
// throughput and pair limits are features/onprem/ratelimit.feature),
// and, in the on-premises format, the signature faults of the Cloud
// format.
func TestOnpremPassesInBothFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("whole suite: skipped in -short mode")
	}
	for format, wantSkips := range map[string]int{onprem.KindOnprem: 8, onprem.KindCloud: 6} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			run, err := Run(context.Background(), loadTolerant(onpremOptions(format)))
			if err != nil {
				t.Fatal(err)
			}
			c := run.ScenarioCounts()
			if !run.Passed() || c.Failed != 0 {
				t.Fatalf("%d failed:\n%s", c.Failed, failures(run))
			}
			if c.Skipped != wantSkips {
				t.Errorf("%d skipped, want %d:\n%s", c.Skipped, wantSkips, skips(run))
			}
			t.Logf("%s webhooks: %d passed, %d skipped of %d; coverage %.1f%%; %v", format, c.Passed, c.Skipped, c.Total, run.Coverage.Percent, run.Duration.Round(time.Millisecond))
		})
	}
}

func skips(run *report.Run) string {
	var b strings.Builder
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if s.Status == report.Skipped {
				b.WriteString("  " + s.Name + ": " + s.Reason + "\n")
			}
		}
	}
	return b.String()
}
