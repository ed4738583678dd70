package compare

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wabcheck/wabcheck/internal/report"
)

// Comparison is two or more runs side by side: conform runs and load runs
// in separate sections, each in command-line order.
type Comparison struct {
	Conform []*ConformRun `json:"conform,omitempty"`
	Load    []*LoadRun    `json:"load,omitempty"`
	// Scenarios aligns the conform runs' scenarios by feature and
	// scenario name: the rows that differ first, then the others, each in
	// the order the runs list them.
	Scenarios []ScenarioRow `json:"scenarios,omitempty"`
	// Differing counts the rows that differ.
	Differing int `json:"differing"`
}

// ScenarioRow is one scenario across the conform runs.
type ScenarioRow struct {
	Feature  string `json:"feature"`
	Scenario string `json:"scenario"`
	// Outcomes holds one outcome per conform run, in Comparison.Conform's
	// order; nil where the run has no such scenario.
	Outcomes []*Outcome `json:"outcomes"`
	// Differs is true when the runs disagree: a different status, a skip
	// for a different reason, or a scenario some runs lack.
	Differs bool `json:"differs"`
}

// New compares the runs given.
func New(conform []*ConformRun, loads []*LoadRun) *Comparison {
	c := &Comparison{Conform: conform, Load: loads}
	c.align()
	return c
}

// align builds Scenarios from the conform runs' outcomes.
func (c *Comparison) align() {
	seen := map[string]bool{}
	for _, r := range c.Conform {
		for _, k := range r.keys {
			if seen[k.String()] {
				continue
			}
			seen[k.String()] = true
			row := ScenarioRow{Feature: k.Feature, Scenario: k.Scenario, Outcomes: make([]*Outcome, len(c.Conform))}
			for i, rr := range c.Conform {
				row.Outcomes[i] = rr.outcomes[k.String()]
			}
			row.Differs = differs(row.Outcomes)
			c.Scenarios = append(c.Scenarios, row)
		}
	}
	sort.SliceStable(c.Scenarios, func(i, j int) bool { return c.Scenarios[i].Differs && !c.Scenarios[j].Differs })
	for _, row := range c.Scenarios {
		if row.Differs {
			c.Differing++
		}
	}
}

// differs reports whether outcomes disagree on presence, status or (for
// skips) reason.
func differs(os []*Outcome) bool {
	for _, o := range os[1:] {
		a, b := os[0], o
		if (a == nil) != (b == nil) {
			return true
		}
		if a != nil && (a.Status != b.Status || a.Reason != b.Reason) {
			return true
		}
	}
	return false
}

// Runs lists every run's source in command-line order.
func (c *Comparison) Runs() []Source {
	var out []Source
	for _, r := range c.Conform {
		out = append(out, r.Source)
	}
	for _, r := range c.Load {
		out = append(out, r.Source)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// Passed reports whether every run compared passed.
func (c *Comparison) Passed() bool {
	return len(c.FailedRuns()) == 0
}

// FailedRuns lists the runs whose verdict failed.
func (c *Comparison) FailedRuns() []Source {
	var out []Source
	for _, s := range c.Runs() {
		if !s.Passed() {
			out = append(out, s)
		}
	}
	return out
}

// ExitCode is 0 when every run compared passed, 1 otherwise.
func (c *Comparison) ExitCode() int {
	if c.Passed() {
		return 0
	}
	return 1
}

// Verdict is one line: "every run passed", or which failed.
func (c *Comparison) Verdict() string {
	failed := c.FailedRuns()
	if len(failed) == 0 {
		return fmt.Sprintf("all %d runs passed", len(c.Runs()))
	}
	names := make([]string, len(failed))
	for i, s := range failed {
		names[i] = fmt.Sprintf("#%d (%s)", s.Index, s.Name)
	}
	return fmt.Sprintf("%d of %d runs failed: %s", len(failed), len(c.Runs()), strings.Join(names, ", "))
}

// outcomeText is an outcome in one word: passed, FAILED, skipped, … and
// "—" for a scenario the run lacks.
func outcomeText(o *Outcome) string {
	switch {
	case o == nil:
		return "—"
	case o.Status == report.Failed:
		return "FAILED"
	}
	return string(o.Status)
}
