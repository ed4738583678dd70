package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// Tool is the summary.json "tool" of a conform run.
const Tool = "wabcheck conform"

// Summary is summary.json: what a machine needs from a run.
type Summary struct {
	Tool             string         `json:"tool"`
	Vendor           string         `json:"vendor"`
	Target           string         `json:"target"`
	Simulated        bool           `json:"simulated"`
	Fault            string         `json:"fault,omitempty"`
	Spec             string         `json:"spec"`
	Errata           string         `json:"errata"`
	Tags             string         `json:"tags"`
	Started          time.Time      `json:"started"`
	DurationMS       int64          `json:"duration_ms"`
	Interrupted      bool           `json:"interrupted,omitempty"`
	ExitCode         int            `json:"exit_code"`
	Scenarios        Counts         `json:"scenarios"`
	Steps            Counts         `json:"steps"`
	Coverage         Coverage       `json:"coverage"`
	FindingsByCode   map[string]int `json:"findings_by_code"`
	WarningsByCode   map[string]int `json:"warnings_by_code,omitempty"`
	UnknownCallbacks int            `json:"unknown_callbacks"`
	// UnknownCallbacksNotKept is the part of UnknownCallbacks the report
	// does not list (the receiver keeps a bounded number).
	UnknownCallbacksNotKept int               `json:"unknown_callbacks_not_kept,omitempty"`
	HarnessErrors           []string          `json:"harness_errors,omitempty"`
	Failures                []Failure         `json:"failures,omitempty"`
	CallbackURLs            map[string]string `json:"callback_urls,omitempty"`
	Webhook                 string            `json:"webhook,omitempty"`
}

// Failure is one failed scenario and its first failed step.
type Failure struct {
	Feature  string `json:"feature"`
	URI      string `json:"uri"`
	Scenario string `json:"scenario"`
	Line     int    `json:"line"`
	Step     string `json:"step"`
	Error    string `json:"error"`
}

// NewSummary summarises r.
func NewSummary(r *Run) Summary {
	s := Summary{Tool: Tool, Vendor: r.Vendor, Target: r.Target, Simulated: r.Simulated, Fault: r.Fault,
		Spec: r.Spec, Errata: r.Errata, Tags: r.Tags, Started: r.Started, DurationMS: r.Duration.Milliseconds(),
		Interrupted: r.Interrupted, ExitCode: r.ExitCode(), Scenarios: r.ScenarioCounts(), Steps: r.StepCounts(),
		Coverage: r.Coverage, FindingsByCode: r.FindingsByCode(), WarningsByCode: map[string]int{},
		UnknownCallbacks: len(r.UnknownCallbacks) + r.UnknownCallbacksNotKept, UnknownCallbacksNotKept: r.UnknownCallbacksNotKept, HarnessErrors: r.HarnessErrors, CallbackURLs: r.CallbackURLs, Webhook: r.Webhook}
	for _, f := range r.Features {
		for _, sc := range f.Scenarios {
			for _, x := range sc.Exchanges {
				for _, w := range x.Warnings {
					s.WarningsByCode[w.Code]++
				}
			}
			if sc.Status != Failed {
				continue
			}
			fl := Failure{Feature: f.Name, URI: f.URI, Scenario: sc.Name, Line: sc.Line}
			for _, st := range sc.Steps {
				if st.Status == Failed {
					fl.Step, fl.Error = st.Keyword+" "+st.Text, st.Error
					break
				}
			}
			s.Failures = append(s.Failures, fl)
		}
	}
	return s
}

// ReadSummary reads a run folder's summary.json.
func ReadSummary(dir string) (Summary, error) {
	var s Summary
	path := filepath.Join(dir, "summary.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return s, fmt.Errorf("--report %s: %w", dir, err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("--report %s: summary.json: %w", dir, err)
	}
	if s.Tool != Tool {
		what := "no \"tool\" field"
		if s.Tool != "" {
			what = fmt.Sprintf("a %q run", s.Tool)
		}
		return s, fmt.Errorf("--report %s: summary.json is from %s, not a wabcheck conform run; point --report at a conform run folder", dir, what)
	}
	return s, nil
}

// WriteAll writes report.html, junit.xml, cucumber.json, summary.json and
// run.json (the full record) into dir.
func WriteAll(dir string, r *Run) error {
	writers := []struct {
		name  string
		write func(*os.File, *Run) error
	}{
		{"summary.json", func(f *os.File, r *Run) error { return writeJSON(f, NewSummary(r)) }},
		{"run.json", func(f *os.File, r *Run) error { return writeJSON(f, r) }},
		{"junit.xml", func(f *os.File, r *Run) error { return WriteJUnit(f, r) }},
		{"cucumber.json", func(f *os.File, r *Run) error { return WriteCucumber(f, r) }},
		{"report.html", func(f *os.File, r *Run) error { return WriteHTML(f, r) }},
	}
	for _, w := range writers {
		path := filepath.Join(dir, w.name)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		err = w.write(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("report %s: %w", path, err)
		}
	}
	return nil
}

func writeJSON(f *os.File, v any) error {
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// findingLines formats findings one per line.
func findingLines(fs []validate.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.String()
	}
	return out
}
