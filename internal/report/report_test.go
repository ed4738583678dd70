package report

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/browsercheck"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/golden"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// sampleRun is a small fixed run: one passed, one failed (with a finding
// and a callback timeline), one skipped scenario.
func sampleRun() *Run {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	finding := validate.Finding{Code: "body-schema", Operation: "PostMessages", Method: "POST", Path: "/messages", Status: 202,
		Where: "body", Pointer: "/message_id", Rule: "pattern: ^[0-9a-f]{8}-…$", Spec: spec.Location{File: "modica-wab-v1.2.0.yaml", Line: 12, Col: 7},
		Message: `expected a UUID, got "abc"`}
	r := &Run{Target: "http://127.0.0.1:1/rest/wab/v1", Simulated: true, Spec: "modica-wab-v1.2.0.yaml (embedded)",
		Errata: "shipped: 9 corrections applied", Tags: "~@slow", Started: t0, Duration: 1500 * time.Millisecond}
	ok := &Scenario{ID: "1", Name: "The API reports itself healthy", Line: 7, Status: Passed, Duration: 3 * time.Millisecond,
		Steps: []*Step{{Keyword: "When", Text: "I get the health of the API", Line: 8, Status: Passed, Duration: time.Millisecond}},
		Exchanges: []Exchange{{Method: "GET", URL: "http://127.0.0.1:1/rest/wab/v1/healthz", Operation: "GetHealthz", Status: 200, Validated: true,
			RequestHeader: http.Header{"Authorization": {"Basic REDACTED"}}}}}
	bad := &Scenario{ID: "2", Name: "A text message is accepted", Line: 20, Tags: []string{"@messages"}, Status: Failed, Duration: 9 * time.Millisecond,
		Steps: []*Step{
			{Keyword: "When", Text: "I send a message:", Line: 21, DocString: `{"type":"text"}`, Status: Failed, Error: finding.String()},
			{Keyword: "Then", Text: "the response status is 202", Line: 25, Status: Skipped}},
		Exchanges: []Exchange{{Method: "POST", URL: "http://127.0.0.1:1/rest/wab/v1/messages", Operation: "PostMessages", Status: 202,
			ResponseBody: `{"message_id":"abc","status":"accepted"}`, Findings: []validate.Finding{finding}, Validated: true}},
		Messages: []Message{{ID: "abc", Reference: "ref-1", Destination: "+64211000001", SentAt: t0,
			Callbacks: []Callback{{Kind: "status", At: t0.Add(20 * time.Millisecond), After: 20 * time.Millisecond, MessageID: "abc", Status: "submitted"},
				{Kind: "status", At: t0.Add(50 * time.Millisecond), After: 50 * time.Millisecond, MessageID: "abc", Status: "submitted", Duplicate: true}}}}}
	skip := &Scenario{ID: "3", Name: "A reply sent from a phone", Line: 40, Tags: []string{"@assisted"}, Status: Skipped, Reason: "excluded by tags: ~@assisted",
		Steps: []*Step{{Keyword: "When", Text: "the tester sends a WhatsApp text message to the business number", Line: 41, Status: Skipped}}}
	r.Features = []*Feature{{URI: "send.feature", Name: "Send messages", Line: 2, Scenarios: []*Scenario{ok, bad, skip}}}
	r.Universe = []Cell{
		{Operation: "GetHealthz", Method: "GET", Path: "/healthz", Status: "200", Declared: true},
		{Operation: "PostMessages", Method: "POST", Path: "/messages", Status: "202", Declared: true},
		{Operation: "PostMessages", Method: "POST", Path: "/messages", Status: "4XX", Declared: true},
		{Operation: "callback:status", Status: "callback", Declared: true},
		{Operation: "callback:reply", Status: "callback", Declared: true},
	}
	r.Coverage = ComputeCoverage(r.Universe, r)
	return r
}

func TestJUnitGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, sampleRun()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "junit.golden.xml", b.Bytes())
}

func TestCucumberGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCucumber(&b, sampleRun()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "cucumber.golden.json", b.Bytes())
}

func TestCoverageTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCoverageTable(&b, sampleRun().Coverage); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "coverage.golden.txt", b.Bytes())
}

func TestComputeCoverage(t *testing.T) {
	cov := sampleRun().Coverage
	seen := map[string]int{}
	for _, c := range cov.Cells {
		seen[c.Key()] = c.Seen
	}
	tests := []struct {
		key  string
		want int
	}{{"GetHealthz 200", 1}, {"PostMessages 202", 1}, {"PostMessages 4XX", 0}, {"callback:status", 2}, {"callback:reply", 0}}
	for _, tt := range tests {
		if seen[tt.key] != tt.want {
			t.Errorf("%s: seen %d, want %d", tt.key, seen[tt.key], tt.want)
		}
	}
	if cov.Seen != 3 || cov.Total != 5 || cov.Percent != 60 {
		t.Errorf("coverage %d/%d = %v%%, want 3/5 = 60%%", cov.Seen, cov.Total, cov.Percent)
	}
	if got := len(cov.Missing()); got != 2 {
		t.Errorf("missing %d cells, want 2", got)
	}
}

func TestUniverseOfEmbeddedSpec(t *testing.T) {
	cells := Universe(modicaspec.MustDoc(), []string{"status", "reply"})
	keys := map[string]bool{}
	for _, c := range cells {
		keys[c.Key()] = true
	}
	for _, k := range []string{"PostMessages 202", "PostMessages 4XX", "messages_broadcast_post 202", "GetHealthz 200", "PostSource 200", "callback:status", "callback:reply"} {
		if !keys[k] {
			t.Errorf("universe lacks %s", k)
		}
	}
	if !keys["messages_broadcast_post 4XX"] {
		t.Error("universe lacks messages_broadcast_post 4XX, which erratum E10 adds")
	}
	strict, err := modicaspec.Load("", spec.ErrataNone)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Universe(strict, nil) {
		if c.Key() == "messages_broadcast_post 4XX" {
			t.Error("strict universe has messages_broadcast_post 4XX, which the published spec does not declare")
		}
	}
}

func TestSummaryRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := sampleRun()
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.ExitCode != 1 || s.Scenarios.Failed != 1 || s.Scenarios.Passed != 1 || s.Scenarios.Skipped != 1 {
		t.Errorf("summary counts %+v exit %d; want 1/1/1 and exit 1", s.Scenarios, s.ExitCode)
	}
	if s.FindingsByCode["body-schema"] != 1 {
		t.Errorf("findings_by_code %v, want body-schema: 1", s.FindingsByCode)
	}
	if len(s.Failures) != 1 || !strings.Contains(s.Failures[0].Error, "/message_id") {
		t.Errorf("failures %+v, want the failed step naming /message_id", s.Failures)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"http://cdn", "https://", "<link ", "src=\"http"} {
		if bytes.Contains(html, []byte(bad)) {
			t.Errorf("report.html refers to %q: it must be self-contained", bad)
		}
	}
}

// TestHTMLInBrowser opens report.html in headless Chromium: no console
// errors, and the summary, scenarios, findings, timeline and coverage are
// there.
func TestHTMLInBrowser(t *testing.T) {
	want := map[string]int{"#summary": 1, "details.scenario": 3, "details.scenario.failed": 1, ".timeline": 1, "#coverage-table tr": 6, "#filter": 1}
	res := browsercheck.Check(t, "report.html", func(w io.Writer) error { return WriteHTML(w, sampleRun()) }, want, ".finding")
	if res.Counts[".finding"] < 1 {
		t.Errorf(".finding: %d elements, want the finding highlighted on its exchange", res.Counts[".finding"])
	}
	if !strings.Contains(res.Title, "FAILED") {
		t.Errorf("title %q, want it to say FAILED", res.Title)
	}
}

// TestReadSummaryRejectsOtherTools: `spec coverage --report` on a load run
// folder used to print an empty table and "0.0% (0 of 0)" with exit 0.
func TestReadSummaryRejectsOtherTools(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"tool": "wabcheck load", "profile": "smoke"}`, `summary.json is from a "wabcheck load" run, not a wabcheck conform run`},
		{`{"scenarios": {}}`, `summary.json is from no "tool" field, not a wabcheck conform run`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "summary.json"), []byte(tt.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadSummary(dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), dir) {
			t.Errorf("ReadSummary(%s) = %v, want an error naming the folder and %q", tt.body, err, tt.want)
		}
	}
}

// TestHarnessErrorsFailTheRun: a harness server that stopped serving fails
// the run and is in summary.json and report.html.
func TestHarnessErrorsFailTheRun(t *testing.T) {
	r := sampleRun()
	r.Features[0].Scenarios = r.Features[0].Scenarios[:1] // the passed one
	if !r.Passed() {
		t.Fatal("sample without its failure should pass")
	}
	r.HarnessErrors = []string{"callback receiver stopped serving: accept: socket gone"}
	if r.Passed() || r.ExitCode() != 1 {
		t.Errorf("Passed() = %v, ExitCode() = %d with a harness error; want false, 1", r.Passed(), r.ExitCode())
	}
	dir := t.TempDir()
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.HarnessErrors) != 1 || s.ExitCode != 1 {
		t.Errorf("summary harness_errors %q exit %d; want the error and exit 1", s.HarnessErrors, s.ExitCode)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil || !bytes.Contains(html, []byte("socket gone")) {
		t.Errorf("report.html lacks the harness error (%v)", err)
	}
}

// TestUnknownCallbacksNotKeptAreReported is issue 13 item 2: the callback
// receiver keeps a bounded number of unknown callbacks; the report says how
// many more there were instead of dropping them silently.
func TestUnknownCallbacksNotKeptAreReported(t *testing.T) {
	r := sampleRun()
	r.UnknownCallbacks = []Callback{{Kind: "status", At: r.Started, MessageID: "nope", Status: "sent", Unknown: true}}
	r.UnknownCallbacksNotKept = 124_999
	r.Features[0].Scenarios[1].Messages[0].CallbacksNotKept = 7
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"124999 more not kept", "7 more callbacks for this message not kept"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report.html does not say %q", want)
		}
	}
	s := NewSummary(r)
	if s.UnknownCallbacks != 125_000 || s.UnknownCallbacksNotKept != 124_999 {
		t.Errorf("summary unknown %d, not kept %d; want 125000, 124999", s.UnknownCallbacks, s.UnknownCallbacksNotKept)
	}
	r.UnknownCallbacks = nil
	b.Reset()
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Callbacks for unknown message ids") {
		t.Error("with none kept but some counted, the unknown-callbacks section is missing")
	}
}

// TestMergeCoverageAddsRuns: a cell is exercised when any run exercised
// it; counts add up; undeclared statuses of both runs are kept.
func TestMergeCoverageAddsRuns(t *testing.T) {
	universe := sampleRun().Universe
	a := CoverageOf(universe, []Hit{{Operation: "GetHealthz", Method: "GET", Path: "/healthz", Status: 200}})
	b := CoverageOf(universe, []Hit{{Operation: "GetHealthz", Method: "GET", Path: "/healthz", Status: 200, Invalid: true},
		{Operation: "PostMessages", Method: "POST", Path: "/messages", Status: 422}, {Operation: "PostMessages", Method: "POST", Path: "/messages", Status: 302},
		{Callback: "status", Invalid: true}})
	m := MergeCoverage(a, b)
	got := map[string]Cell{}
	for _, c := range m.Cells {
		got[c.Key()] = c
	}
	if c := got["GetHealthz 200"]; c.Seen != 2 || c.Invalid != 1 {
		t.Errorf("GetHealthz 200: %+v", c)
	}
	if c := got["callback:status"]; c.Seen != 1 || c.Invalid != 1 {
		t.Errorf("callback:status: %+v", c)
	}
	if got["PostMessages 4XX"].Seen != 1 || m.Seen != 3 || m.Total != 5 || m.Percent != 60 || len(m.Undeclared) != 1 {
		t.Errorf("merged: %+v", m)
	}
}
