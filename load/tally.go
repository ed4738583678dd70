package load

import (
	"time"

	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
)

// maxTimelineSlots bounds the timeline: a run whose budget is longer than
// this many seconds gets slots of several seconds each (Timeline.Step), so
// the memory is the same for a one-week soak as for a four-hour one.
const maxTimelineSlots = 4 * 3600

// Timeline holds one Second per Step (one second, or several for runs
// longer than maxTimelineSlots seconds) of the run, bounded by the run's
// budget (results after it land in the last slot), so memory grows neither
// with the request count nor with the planned duration.
type Timeline struct {
	Seconds []summary.Second
	// Step is the time each entry of Seconds covers: a whole number of
	// seconds, 1 s unless the budget needs more than maxTimelineSlots.
	Step time.Duration
	used int
}

// NewTimeline allocates a timeline for a run of at most budget.
func NewTimeline(budget time.Duration) *Timeline {
	n, step := timelineShape(budget)
	return &Timeline{Seconds: make([]summary.Second, n), Step: step}
}

// timelineShape is the number of slots and their width for budget: one
// second each while that fits maxTimelineSlots, else whole seconds wide
// enough that it does.
func timelineShape(budget time.Duration) (n int, step time.Duration) {
	budget = min(max(budget, 0), profiles.MaxBudget)
	step = time.Second
	if budget/time.Second+2 > maxTimelineSlots {
		step = ceilDiv(ceilDiv(budget, maxTimelineSlots-2), time.Second) * time.Second
	}
	return int(budget/step) + 2, step
}

// slot is the index of the entry for offset.
func (t *Timeline) slot(offset time.Duration) int {
	return min(max(int(offset/t.Step), 0), len(t.Seconds)-1)
}

// Add counts one result that started at offset from the run's start.
func (t *Timeline) Add(offset time.Duration, code uint16, latency, lag time.Duration, lagged bool) {
	i := t.slot(offset)
	t.used = max(t.used, i+1)
	s := &t.Seconds[i]
	switch {
	case code == 0:
		s.Failed++
	case code == 429:
		s.Limited++
	case code < 400:
		s.OK++
	case code < 500:
		s.Client++
	default:
		s.Server++
	}
	s.Latency.Add(latency)
	if lagged {
		s.Lag.Add(lag)
	}
}

// Used returns the slots that saw results, with their percentiles filled
// in and the planned rate from rate (may be nil) at each slot's middle.
func (t *Timeline) Used(rate func(time.Duration) float64) []summary.Second {
	out := t.Seconds[:t.used]
	for i := range out {
		s := &out[i]
		s.LatencyP = [3]time.Duration{s.Latency.Quantile(0.5), s.Latency.Quantile(0.95), s.Latency.Quantile(0.99)}
		s.LagP99 = s.Lag.Quantile(0.99)
		if rate != nil {
			s.PlanRate = rate(time.Duration(i)*t.Step + t.Step/2)
		}
	}
	return out
}

// ceilDiv is a/b rounded up, for positive b.
func ceilDiv(a, b time.Duration) time.Duration { return (a + b - 1) / b }
