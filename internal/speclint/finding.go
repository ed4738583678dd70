package speclint

import (
	"fmt"
	"sort"

	"github.com/wabcheck/wabcheck/spec"
)

// Severity ranks a finding.
type Severity string

// Severities, most serious first.
const (
	// Error: the spec is wrong; clients or servers built from it misbehave.
	Error Severity = "error"
	// Warning: very likely a mistake, or a gap that weakens the contract.
	Warning Severity = "warning"
	// Info: a style or completeness note.
	Info Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Finding is one defect in the spec.
type Finding struct {
	// Code is a stable kebab-case rule code (see docs/lint-rules.md).
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	// Pointer is the RFC 6901 JSON pointer of the offending node.
	Pointer string `json:"pointer"`
	// Location is file:line:col of that node in the published file.
	Location spec.Location `json:"location"`
	// Message is one line saying what is wrong.
	Message string `json:"message"`
	// Related is a second place involved (a schema keyword, the other
	// enum), as a JSON pointer.
	Related string `json:"related,omitempty"`
	// Errata says whether an erratum fixes this finding:
	// "fixed by erratum: <description>".
	Errata string `json:"errata,omitempty"`
}

// String formats the finding on one line.
func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s [%s] %s (%s)", f.Location, f.Severity, f.Code, f.Message, f.Pointer)
	if f.Errata != "" {
		s += " -- " + f.Errata
	}
	return s
}

// Summary counts findings.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// FixedByErrata counts findings an erratum fixes.
	FixedByErrata int `json:"fixed_by_errata"`
	// ByCode counts findings per rule code.
	ByCode map[string]int `json:"by_code"`
}

// Report is the result of linting one spec.
type Report struct {
	// Spec names the linted file.
	Spec string `json:"spec"`
	// Errata is the errata overlay used for the annotations ("none" when
	// none).
	Errata   string    `json:"errata"`
	Summary  Summary   `json:"summary"`
	Findings []Finding `json:"findings"`
}

// HasErrors reports whether any finding is error-level.
func (r *Report) HasErrors() bool { return r.Summary.Errors > 0 }

func (r *Report) summarize() {
	s := Summary{ByCode: map[string]int{}}
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		default:
			s.Infos++
		}
		if f.Errata != "" {
			s.FixedByErrata++
		}
		s.ByCode[f.Code]++
	}
	r.Summary = s
}

// sortFindings orders findings by place in the file, then code and message,
// so output is stable.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Location.Line != b.Location.Line {
			return a.Location.Line < b.Location.Line
		}
		if a.Location.Col != b.Location.Col {
			return a.Location.Col < b.Location.Col
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		return a.Message < b.Message
	})
}
