package compare

import (
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/report"
)

// The rules by which a message's final status is found, best first.
const (
	// RuleRecorded: the harness marked final callbacks (Callback.Final).
	RuleRecorded = "marked final in the record"
	// RuleStatusModel: the run names a vendor whose dialect is registered;
	// its status model says which statuses are final.
	RuleStatusModel = "the vendor's status model"
	// RuleUnknown: neither; the record cannot tell when a message
	// reached its final status, and no figure is given.
	RuleUnknown = "unknown (no final marks, no known vendor)"
)

// FinalLatency is send → final-status latency: for each message a run
// sent, the time from sending to the first callback carrying its final
// status (the callback's After). The record takes a message's send time
// when the send's answer has been read, so a callback that overtakes the
// answer has a negative After; it counts as 0.
type FinalLatency struct {
	Latency
	// Messages counts the messages that got at least one status callback
	// (a run records many it never waits for); Latency.N those of them
	// that reached a final status.
	Messages int `json:"messages"`
	// Rule says how final statuses were told (the Rule… constants).
	Rule string `json:"rule"`
}

// finalLatency measures send → final status over every message of run.
func finalLatency(run *report.Run, vendor string) FinalLatency {
	rule, final := finalRule(run, vendor)
	fl := FinalLatency{Rule: rule}
	var ds []time.Duration
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, m := range s.Messages {
				if !hasStatus(m.Callbacks) {
					continue
				}
				fl.Messages++
				if d, ok := final(m.Callbacks); ok {
					ds = append(ds, max(d, 0))
				}
			}
		}
	}
	fl.Latency = NewLatency(ds)
	return fl
}

// finalRule picks the best rule the run allows and returns its name and
// a function finding a message's send → final-status time.
func finalRule(run *report.Run, vendor string) (string, func([]report.Callback) (time.Duration, bool)) {
	if recordsFinal(run) {
		return RuleRecorded, firstWhere(func(c report.Callback) bool { return c.Final })
	}
	if d, err := dialect.Get(vendor); vendor != "" && err == nil {
		m := d.Statuses()
		return RuleStatusModel, firstWhere(func(c report.Callback) bool { return m.IsFinal(c.Status) })
	}
	return RuleUnknown, func([]report.Callback) (time.Duration, bool) { return 0, false }
}

// recordsFinal reports whether any callback of the run is marked final.
func recordsFinal(run *report.Run) bool {
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, m := range s.Messages {
				for _, c := range m.Callbacks {
					if c.Final {
						return true
					}
				}
			}
		}
	}
	return false
}

// firstWhere returns the After of the first status callback for which
// final holds.
func firstWhere(final func(report.Callback) bool) func([]report.Callback) (time.Duration, bool) {
	return func(cbs []report.Callback) (time.Duration, bool) {
		for _, c := range cbs {
			if c.Status != "" && final(c) {
				return c.After, true
			}
		}
		return 0, false
	}
}

// hasStatus reports whether any callback carries a status.
func hasStatus(cbs []report.Callback) bool {
	for _, c := range cbs {
		if c.Status != "" {
			return true
		}
	}
	return false
}
