package probe

import (
	"sort"
	"time"

	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/spec"
)

// Tool is summary.json's "tool" for a probe run.
const Tool = report.ProbeTool

// Result is everything a probe run found.
type Result struct {
	// Target is the target checked (credentials redacted); Simulated says
	// it was the in-process simulator.
	Target    string `json:"target"`
	Simulated bool   `json:"simulated"`
	// Spec and Errata name the spec and the errata applied.
	Spec   string `json:"spec"`
	Errata string `json:"errata"`
	// Seed, MaxCases and Positive are the options that shape the cases.
	Seed     uint64       `json:"seed"`
	MaxCases int          `json:"max_cases"`
	Positive PositiveMode `json:"positive"`
	// Started and Duration time the run.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Interrupted is true when the run was stopped before the end.
	Interrupted bool `json:"interrupted,omitempty"`
	// Operations are the operationIds probed.
	Operations []string `json:"operations"`
	// Cases is every case sent, with its outcome.
	Cases []CaseResult `json:"cases"`
	// Counts tallies cases per operation and check.
	Counts []Count `json:"counts"`
	// Findings are the failures, one per operation × check × rule.
	Findings []Finding `json:"findings"`
	// Skipped counts planned cases left out, and why.
	Skipped []Skip `json:"skipped,omitempty"`
	// Links are the stateful links followed.
	Links []Link `json:"links,omitempty"`
	// Notes are things a reader should know (links not followed, …).
	Notes []string `json:"notes,omitempty"`
	// Coverage is which declared status codes the cases reached.
	Coverage report.Coverage `json:"coverage"`
}

// CaseResult is one case and its outcome.
type CaseResult struct {
	Case
	Status   int           `json:"status"`
	Duration time.Duration `json:"duration_ns"`
	Error    string        `json:"error,omitempty"`
	// RateLimited: still 429 after the retries; the case proved nothing.
	RateLimited bool `json:"rate_limited,omitempty"`
	// Failed lists the checks the case failed.
	Failed []string `json:"failed,omitempty"`
}

// Count is the number of cases one check examined for one operation.
type Count struct {
	Operation string `json:"operation"`
	Check     string `json:"check"`
	Cases     int    `json:"cases"`
	Failed    int    `json:"failed"`
}

// Skip counts cases of an operation left out for one reason.
type Skip struct {
	Operation string `json:"operation"`
	Reason    string `json:"reason"`
	Count     int    `json:"count"`
}

// Finding is one failed check on one operation for one rule, with the
// smallest request that shows it.
type Finding struct {
	// Check is the check's name (Check… constants).
	Check string `json:"check"`
	// Operation, Method and Path name the operation.
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	// Kind and Phase are those of the case that showed it.
	Kind  Kind   `json:"kind"`
	Phase string `json:"phase"`
	// Rule is what was broken: the rule the case broke (a negative case
	// accepted) or that the answer broke; Spec is where it sits.
	Rule string        `json:"rule"`
	Spec spec.Location `json:"spec"`
	// Where is the part of the request or answer concerned.
	Where string `json:"where"`
	// Case describes the request; Message what went wrong.
	Case    string `json:"case"`
	Message string `json:"message"`
	// Status is the answer's status (0: no answer).
	Status int `json:"status"`
	// Curl reproduces the request, credentials as $WABCHECK_… variables.
	Curl string `json:"curl"`
	// BodyFile names the file (in the run folder) the curl line reads the
	// body from, when the body is too long or not printable; Body holds it.
	BodyFile string `json:"body_file,omitempty"`
	Body     []byte `json:"-"`
	// Answer is the answer's status line, headers (redacted) and body
	// (truncated).
	Answer string `json:"answer"`
	// Shrunk is true when a smaller request than the first failing one
	// still shows it.
	Shrunk bool `json:"shrunk,omitempty"`
	// Occurrences counts the cases that failed this way; CaseID is the
	// first.
	Occurrences int `json:"occurrences"`
	CaseID      int `json:"case_id"`
}

// Key de-duplicates findings: operation × check × rule (with the rule's
// place in the spec).
func (f Finding) Key() string {
	return f.Operation + "\x00" + f.Check + "\x00" + f.Rule + "\x00" + f.Spec.String()
}

// Passed reports whether the run found nothing and ran to the end.
func (r *Result) Passed() bool { return len(r.Findings) == 0 && !r.Interrupted }

// FindingsByCheck counts findings per check.
func (r *Result) FindingsByCheck() map[string]int {
	m := map[string]int{}
	for _, f := range r.Findings {
		m[f.Check]++
	}
	return m
}

// sortCounts orders counts by operation, then check.
func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Operation != cs[j].Operation {
			return cs[i].Operation < cs[j].Operation
		}
		return cs[i].Check < cs[j].Check
	})
}
