package probe

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wabcheck/wabcheck/internal/report"
)

// Summary is summary.json: what a machine needs from a probe run. Its
// tool, spec, errata, target and coverage fields are those of a conform
// run's summary, so `wabcheck spec coverage` reads either.
type Summary struct {
	Tool            string          `json:"tool"`
	Target          string          `json:"target"`
	Simulated       bool            `json:"simulated"`
	Spec            string          `json:"spec"`
	Errata          string          `json:"errata"`
	Seed            uint64          `json:"seed"`
	MaxCases        int             `json:"max_cases"`
	Positive        PositiveMode    `json:"positive"`
	Started         time.Time       `json:"started"`
	DurationMS      int64           `json:"duration_ms"`
	Interrupted     bool            `json:"interrupted,omitempty"`
	ExitCode        int             `json:"exit_code"`
	Operations      []string        `json:"operations"`
	Cases           int             `json:"cases"`
	CasesByKind     map[Kind]int    `json:"cases_by_kind"`
	CasesByPhase    map[string]int  `json:"cases_by_phase"`
	Counts          []Count         `json:"counts"`
	FindingsByCheck map[string]int  `json:"findings_by_check"`
	Findings        []Finding       `json:"findings"`
	Skipped         []Skip          `json:"skipped,omitempty"`
	Links           []Link          `json:"links,omitempty"`
	Notes           []string        `json:"notes,omitempty"`
	Coverage        report.Coverage `json:"coverage"`
}

// NewSummary summarises r.
func NewSummary(r *Result) Summary {
	s := Summary{Tool: Tool, Target: r.Target, Simulated: r.Simulated, Spec: r.Spec, Errata: r.Errata, Seed: r.Seed,
		MaxCases: r.MaxCases, Positive: r.Positive, Started: r.Started, DurationMS: r.Duration.Milliseconds(),
		Interrupted: r.Interrupted, ExitCode: 1, Operations: r.Operations, Cases: len(r.Cases), CasesByKind: map[Kind]int{},
		CasesByPhase: map[string]int{}, Counts: r.Counts, FindingsByCheck: r.FindingsByCheck(), Findings: r.Findings,
		Skipped: r.Skipped, Links: r.Links, Notes: r.Notes, Coverage: r.Coverage}
	if r.Passed() {
		s.ExitCode = 0
	}
	for _, c := range r.Cases {
		s.CasesByKind[c.Kind]++
		s.CasesByPhase[c.Phase]++
	}
	if s.Findings == nil {
		s.Findings = []Finding{}
	}
	return s
}

// WriteReports writes summary.json, cases.json (every case and its
// outcome), junit.xml, probe.html and the body files curl lines read
// (finding-N.body) into dir.
func WriteReports(dir string, r *Result) error {
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"summary.json", func(w io.Writer) error { return writeJSON(w, NewSummary(r)) }},
		{"cases.json", func(w io.Writer) error { return writeJSON(w, r.Cases) }},
		{"junit.xml", func(w io.Writer) error { return WriteJUnit(w, r) }},
		{"probe.html", func(w io.Writer) error { return WriteHTML(w, r) }},
	}
	for _, f := range r.Findings {
		if f.BodyFile != "" {
			body := f.Body
			files = append(files, struct {
				name  string
				write func(io.Writer) error
			}{f.BodyFile, func(w io.Writer) error { _, err := w.Write(body); return err }})
		}
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("probe report: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("probe report %s: %w", path, err)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteTable prints the number of cases per operation and check, and the
// failures.
func WriteTable(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tCHECK\tCASES\tFAILED\t")
	for _, c := range r.Counts {
		mark := ""
		if c.Failed > 0 {
			mark = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", c.Operation, c.Check, c.Cases, c.Failed, mark)
	}
	return tw.Flush()
}

// junit types: one suite per operation, one test case per check.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes junit.xml: a suite per operation, a test case per
// check (its output says how many cases it examined), failed when the
// check has findings on the operation (each listed with its curl line).
func WriteJUnit(w io.Writer, r *Result) error {
	byOp := map[string][]Finding{}
	for _, f := range r.Findings {
		byOp[f.Operation+"\x00"+f.Check] = append(byOp[f.Operation+"\x00"+f.Check], f)
	}
	root := junitSuites{Name: "wabcheck probe", Time: fmt.Sprintf("%.3f", r.Duration.Seconds())}
	suites := map[string]*junitSuite{}
	var order []string
	for _, c := range r.Counts {
		s := suites[c.Operation]
		if s == nil {
			s = &junitSuite{Name: c.Operation}
			suites[c.Operation] = s
			order = append(order, c.Operation)
		}
		jc := junitCase{Name: c.Check, Classname: "probe." + c.Operation, SystemOut: fmt.Sprintf("%d cases, %d failed", c.Cases, c.Failed)}
		if fs := byOp[c.Operation+"\x00"+c.Check]; len(fs) > 0 {
			jc.Failure = &junitFailure{Message: fmt.Sprintf("%d finding(s): %s", len(fs), fs[0].Message), Type: c.Check, Text: findingsText(fs)}
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
	}
	sort.Strings(order)
	for _, name := range order {
		root.Suites = append(root.Suites, *suites[name])
		root.Tests += suites[name].Tests
		root.Failures += suites[name].Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func findingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s [%s] (spec %s)\n  case: %s\n  %s\n\n", f.Message, f.Rule, f.Spec, f.Case, f.Curl)
	}
	return b.String()
}
