package probe

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/browsercheck"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// plantedResult is a run with findings: the notes API accepting overlong
// text and answering 500 to malformed JSON.
func plantedResult(t *testing.T) *Result {
	doc := notesDoc(t)
	srv := newNotesServer(t, doc)
	srv.crashOnMalformed = true
	srv.plant = func(f validate.Finding) bool { return f.Pointer == "/text" && strings.HasPrefix(f.Rule, "maxLength") }
	return mustRun(t, notesOptions(doc, srv.start(t)))
}

// TestReportsWritten: summary.json (read back by spec coverage's reader),
// cases.json and junit.xml say the same as the result.
func TestReportsWritten(t *testing.T) {
	res := plantedResult(t)
	dir := t.TempDir()
	if err := WriteReports(dir, res); err != nil {
		t.Fatal(err)
	}
	var s Summary
	data, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(data, &s); err != nil || s.Tool != Tool || len(s.Findings) != 2 || s.ExitCode != 1 || s.Cases != len(res.Cases) {
		t.Errorf("summary.json: %v, tool %q, %d findings, exit %d", err, s.Tool, len(s.Findings), s.ExitCode)
	}
	rc, err := report.ReadCoverage(dir)
	if err != nil || rc.Tool != report.ProbeTool || rc.Coverage.Seen == 0 || rc.Coverage.Seen != res.Coverage.Seen {
		t.Errorf("ReadCoverage: %v, %+v", err, rc.Coverage)
	}
	var j junitSuites
	data, _ = os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err := xml.Unmarshal(data, &j); err != nil || j.Failures != 2 || len(j.Suites) != 2 {
		t.Errorf("junit.xml: %v, %d failures in %d suites", err, j.Failures, len(j.Suites))
	}
	var cases []CaseResult
	data, _ = os.ReadFile(filepath.Join(dir, "cases.json"))
	if err := json.Unmarshal(data, &cases); err != nil || len(cases) != len(res.Cases) {
		t.Errorf("cases.json: %v, %d cases", err, len(cases))
	}
}

// TestProbeHTMLInBrowser opens probe.html in headless Chromium: no console
// errors; the summary, one section per operation, the findings, the counts
// and the coverage are there, and the filter hides findings.
func TestProbeHTMLInBrowser(t *testing.T) {
	res := plantedResult(t)
	want := map[string]int{"#summary": 1, "details.op": 2, "details.finding": 2, "pre.curl": 2,
		"table.counts tr": len(res.Counts) + 2, "#coverage-table tr": len(res.Coverage.Cells) + 1, "#filter": 1}
	browsercheck.Check(t, "probe.html", func(w io.Writer) error { return WriteHTML(w, res) }, want)
}
