package compare

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/golden"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/load/summary"
)

// toy is a dialect defined only here: compare learns final statuses from
// a registered dialect's status model without naming any vendor.
type toy struct{ dialect.Dialect }

func (toy) Info() dialect.Info { return dialect.Info{Name: "toy"} }

var toyStatuses = dialect.NewStatusModel(dialect.StatusModel{Statuses: []dialect.Status{
	{Name: "queued", Rank: 0}, {Name: "delivered", Rank: 1, Final: true},
	{Name: "read", Rank: 2, Final: true}, {Name: "failed", Rank: 1, Final: true, Failure: true},
}})

func (toy) Statuses() *dialect.StatusModel { return toyStatuses }

func init() { dialect.Register(toy{}) }

// fixtures are the recorded runs in testdata: a clean conform run, one
// with duplicate receipts and rate-limit defects, and a failed load run.
var fixtures = []string{"testdata/clean", "testdata/dup", "testdata/load"}

func readFixtures(t *testing.T) *Comparison {
	t.Helper()
	c, err := Read(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTextGolden pins the text table of the three recorded runs.
func TestTextGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, readFixtures(t)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "compare.golden.txt", buf.Bytes())
}

// TestScenarioAlignment: scenarios line up by feature and name; a status
// change, a skip for another reason and a scenario one run lacks each
// differ, and the rows that differ come first.
func TestScenarioAlignment(t *testing.T) {
	c := readFixtures(t)
	want := map[string]struct {
		outcomes string
		differs  bool
	}{
		"Send messages/A text message is accepted and delivered":                    {"passed FAILED", true},
		"Send messages/A reply is delivered to the reply callback":                  {"skipped skipped", true},
		"Rate limiting/A burst past the limit is answered with 429 and Retry-After": {"passed FAILED", true},
		"Broadcast/A broadcast gets one result per destination":                     {"passed —", true},
		"Media/A file uploads and downloads unchanged":                              {"— passed", true},
	}
	if len(c.Scenarios) != len(want) || c.Differing != len(want) {
		t.Fatalf("%d rows, %d differing; want %d and %d", len(c.Scenarios), c.Differing, len(want), len(want))
	}
	for _, r := range c.Scenarios {
		var got []string
		for _, o := range r.Outcomes {
			got = append(got, outcomeText(o))
		}
		w, ok := want[r.Feature+"/"+r.Scenario]
		if !ok || strings.Join(got, " ") != w.outcomes || r.Differs != w.differs {
			t.Errorf("%s / %s: %v differs=%v; want %+v", r.Feature, r.Scenario, got, r.Differs, w)
		}
	}
	if o := c.Scenarios[1].Outcomes; o[0].Reason == o[1].Reason {
		t.Errorf("skip reasons not kept: %+v %+v", o[0], o[1])
	}
}

// TestSameOutcomesDoNotDiffer: a run compared with itself differs nowhere.
func TestSameOutcomesDoNotDiffer(t *testing.T) {
	c, err := Read([]string{"testdata/dup", "testdata/dup"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Differing != 0 {
		t.Errorf("%d rows differ between a run and itself", c.Differing)
	}
	for _, r := range c.Scenarios {
		if r.Differs {
			t.Errorf("%s / %s marked as differing", r.Feature, r.Scenario)
		}
	}
}

// TestRepeatedScenarioNamesStayApart: two scenarios of one feature with
// the same name are two rows, not one overwriting the other.
func TestRepeatedScenarioNamesStayApart(t *testing.T) {
	run := &report.Run{Features: []*report.Feature{{Name: "F", Scenarios: []*report.Scenario{
		{Name: "same", Status: report.Passed}, {Name: "same", Status: report.Failed}}}}}
	c := New([]*ConformRun{NewConformRun(Source{Index: 1}, report.Summary{}, run)}, nil)
	if len(c.Scenarios) != 2 || c.Scenarios[1].Scenario != "same (2)" || c.Scenarios[1].Outcomes[0].Status != report.Failed {
		t.Errorf("rows %+v", c.Scenarios)
	}
}

// TestConformFigures checks each computed figure against the fixtures.
func TestConformFigures(t *testing.T) {
	c := readFixtures(t)
	clean, dup := c.Conform[0], c.Conform[1]
	ms := time.Millisecond
	// clean: answered exchanges 10, 2, 3, 40 ms (the unanswered one is left out)
	if clean.Response != (Latency{N: 4, P50: 3 * ms, P99: 40 * ms}) {
		t.Errorf("clean response latency %+v", clean.Response)
	}
	// clean: m1 delivered after 120 ms (read later does not count); m2 got no receipts
	if clean.Final != (FinalLatency{Latency: Latency{N: 1, P50: 120 * ms, P99: 120 * ms}, Messages: 1, Rule: RuleStatusModel}) {
		t.Errorf("clean final latency %+v", clean.Final)
	}
	// dup: m1 delivered after 200 ms; m2 only queued: not final
	if dup.Final != (FinalLatency{Latency: Latency{N: 1, P50: 200 * ms, P99: 200 * ms}, Messages: 2, Rule: RuleStatusModel}) {
		t.Errorf("dup final latency %+v", dup.Final)
	}
	wantRL := []FindingCount{{"header-missing", "header Retry-After", 2}, {"header-invalid", "header X-RateLimit-Limit", 1}}
	if len(dup.RateLimit) != 2 || dup.RateLimit[0] != wantRL[0] || dup.RateLimit[1] != wantRL[1] || dup.Findings != 4 {
		t.Errorf("dup rate-limit findings %+v of %d, want %+v of 4", dup.RateLimit, dup.Findings, wantRL)
	}
	if len(clean.RateLimit) != 0 || clean.Coverage != (Coverage{Percent: 90, Seen: 9, Total: 10}) || clean.Fault != "" || dup.Fault != "dlr-duplicate" {
		t.Errorf("clean %+v %+v, dup fault %q", clean.RateLimit, clean.Coverage, dup.Fault)
	}
	if !clean.Passed() || dup.Passed() || c.ExitCode() != 1 {
		t.Errorf("verdicts: clean %v dup %v, exit %d", clean.Passed(), dup.Passed(), c.ExitCode())
	}
}

// TestFinalRules: a record's final marks win over the vendor's status
// model; with neither there is no figure; a callback that overtook the
// send's answer (negative After) counts as 0.
func TestFinalRules(t *testing.T) {
	cb := func(status string, after time.Duration, final bool) report.Callback {
		return report.Callback{Kind: "status", Status: status, After: after, Final: final}
	}
	run := func(vendor string, cbs ...report.Callback) *report.Run {
		return &report.Run{Vendor: vendor, Features: []*report.Feature{{Scenarios: []*report.Scenario{{Messages: []report.Message{{Callbacks: cbs}}}}}}}
	}
	tests := []struct {
		name string
		run  *report.Run
		want FinalLatency
	}{
		{"marked in the record", run("toy", cb("queued", 10, false), cb("delivered", 20, false), cb("queued", 30, true)),
			FinalLatency{Latency{1, 30, 30}, 1, RuleRecorded}},
		{"status model", run("toy", cb("queued", 10, false), cb("read", 25, false), cb("delivered", 40, false)),
			FinalLatency{Latency{1, 25, 25}, 1, RuleStatusModel}},
		{"no vendor", run("", cb("queued", 10, false), cb("delivered", 20, false)), FinalLatency{Latency{}, 1, RuleUnknown}},
		{"unknown vendor", run("nobody", cb("delivered", 20, false)), FinalLatency{Latency{}, 1, RuleUnknown}},
		{"overtaken answer", run("toy", cb("delivered", -5*time.Millisecond, false)), FinalLatency{Latency{1, 0, 0}, 1, RuleStatusModel}},
		{"no receipts", run("toy"), FinalLatency{Latency{}, 0, RuleStatusModel}},
	}
	for _, tt := range tests {
		if got := finalLatency(tt.run, tt.run.Vendor); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestNearestRank pins the percentile rule on 1..100 and on small sets.
func TestNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i))
	}
	if l := NewLatency(ds); l != (Latency{N: 100, P50: 50, P99: 99}) {
		t.Errorf("1..100: %+v", l)
	}
	if l := NewLatency([]time.Duration{7}); l != (Latency{N: 1, P50: 7, P99: 7}) {
		t.Errorf("one value: %+v", l)
	}
	if l := NewLatency([]time.Duration{1, 2}); l != (Latency{N: 2, P50: 1, P99: 2}) {
		t.Errorf("two values: %+v", l)
	}
	if l := NewLatency(nil); l != (Latency{}) {
		t.Errorf("none: %+v", l)
	}
}

// TestIsRateLimitFinding pins the documented rule.
func TestIsRateLimitFinding(t *testing.T) {
	tests := []struct {
		where  string
		status int
		want   bool
	}{
		{"header Retry-After", 0, true},
		{"header retry-after", 200, true},
		{"header X-RateLimit-Limit", 202, true},
		{"header X-Rate-Limit-Remaining", 200, true},
		{"header RateLimit-Policy", 200, true},
		{"body", 429, true},
		{"body", 202, false},
		{"header Content-Type", 200, false},
		{"header X-RateLimitish", 200, false},
		{"query retry-after", 200, false},
	}
	for _, tt := range tests {
		if got := IsRateLimitFinding(validate.Finding{Where: tt.where}, tt.status); got != tt.want {
			t.Errorf("%q on %d: %v, want %v", tt.where, tt.status, got, tt.want)
		}
	}
}

// TestLoadVerdict: a load run fails when a threshold failed or it was
// interrupted, as `wabcheck load` exits.
func TestLoadVerdict(t *testing.T) {
	c := readFixtures(t)
	l := c.Load[0]
	if l.Passed() || l.Delivery.Missing != 6 || l.Delivery.Complete != 0.99 || l.RateLimit.Recovery != "failed" {
		t.Errorf("load fixture: passed %v, delivery %+v, rate limit %+v", l.Passed(), l.Delivery, l.RateLimit)
	}
	if got := failedThresholds(l); got != "dlr_complete >= 0.999 (observed 99.00%)" {
		t.Errorf("failed thresholds %q", got)
	}
}

// TestLoadInterruptedFails: an interrupted load run fails even when its
// thresholds passed.
func TestLoadInterruptedFails(t *testing.T) {
	for _, tt := range []struct {
		pass, interrupted, want bool
	}{{true, false, true}, {true, true, false}, {false, false, false}} {
		s := &summary.Summary{Pass: tt.pass, Interrupted: tt.interrupted}
		if got := NewLoadRun(Source{}, s).Passed(); got != tt.want {
			t.Errorf("pass %v interrupted %v: passed %v, want %v", tt.pass, tt.interrupted, got, tt.want)
		}
	}
}

// TestMetricDifferences: a changed count or verdict is highlighted as a
// difference, a latency that varies by nature is not.
func TestMetricDifferences(t *testing.T) {
	want := map[string]bool{"verdict": true, "scenarios failed": true, "spec coverage": true, "rate-limit findings": true,
		"scenarios skipped": false, "response latency p50": false, "send → final status p50": false, "duration": false}
	seen := 0
	for _, m := range readFixtures(t).ConformMetrics() {
		if w, ok := want[m.Name]; ok {
			seen++
			if m.Differs != w {
				t.Errorf("%s: differs %v, want %v (%+v)", m.Name, m.Differs, w, m.Cells)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d metrics", seen, len(want))
	}
}
