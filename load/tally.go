package load

import (
	"github.com/wabcheck/wabcheck/load/profiles"
	"math"
	"time"
)

// Log-scale duration buckets shared by the per-second tallies and the DLR
// latency histogram: bucket i holds [bucketBase·bucketRatio^i,
// bucketBase·bucketRatio^(i+1)); bucket 0 also holds everything faster.
// They merge exactly across shards (counts add up).
const (
	NumBuckets  = 64
	bucketBase  = 50 * time.Microsecond
	bucketRatio = 1.25
)

var logRatio = math.Log(bucketRatio)

// Buckets is a fixed log-scale histogram of durations.
type Buckets [NumBuckets]uint32

// bucketOf returns the bucket index of d.
func bucketOf(d time.Duration) int {
	if d <= bucketBase {
		return 0
	}
	i := int(math.Log(float64(d)/float64(bucketBase)) / logRatio)
	return min(i, NumBuckets-1)
}

// BucketUpper is the upper edge of bucket i.
func BucketUpper(i int) time.Duration {
	return time.Duration(float64(bucketBase) * math.Pow(bucketRatio, float64(i+1)))
}

// Add counts d.
func (b *Buckets) Add(d time.Duration) { b[bucketOf(d)]++ }

// Merge adds o's counts.
func (b *Buckets) Merge(o *Buckets) {
	for i := range b {
		b[i] += o[i]
	}
}

// Total is the number of durations counted.
func (b *Buckets) Total() uint64 {
	var n uint64
	for _, c := range b {
		n += uint64(c)
	}
	return n
}

// Quantile returns the upper edge of the bucket holding quantile q (an
// overestimate by at most one bucket, 25%); 0 when empty.
func (b *Buckets) Quantile(q float64) time.Duration {
	total := b.Total()
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i, c := range b {
		seen += uint64(c)
		if seen >= max(rank, 1) {
			return BucketUpper(i)
		}
	}
	return BucketUpper(NumBuckets - 1)
}

// Second is the tally of results that started in one second of the run.
type Second struct {
	OK       uint32           `json:"ok"`    // 2xx and 3xx
	Limited  uint32           `json:"429"`   // 429
	Client   uint32           `json:"4xx"`   // other 4xx
	Server   uint32           `json:"5xx"`   // 5xx
	Failed   uint32           `json:"error"` // no response (code 0)
	Latency  Buckets          `json:"-"`
	Lag      Buckets          `json:"-"`
	PlanRate float64          `json:"planned_rate"`
	LatencyP [3]time.Duration `json:"latency_p50_p95_p99"`
	LagP99   time.Duration    `json:"lag_p99"`
}

// Requests is the number of results in the second.
func (s *Second) Requests() uint32 { return s.OK + s.Limited + s.Client + s.Server + s.Failed }

// maxTimelineSlots bounds the timeline: a run whose budget is longer than
// this many seconds gets slots of several seconds each (Timeline.Step), so
// the memory is the same for a one-week soak as for a four-hour one.
const maxTimelineSlots = 4 * 3600

// Timeline holds one Second per Step (one second, or several for runs
// longer than maxTimelineSlots seconds) of the run, bounded by the run's
// budget (results after it land in the last slot), so memory grows neither
// with the request count nor with the planned duration.
type Timeline struct {
	Seconds []Second
	// Step is the time each entry of Seconds covers: a whole number of
	// seconds, 1 s unless the budget needs more than maxTimelineSlots.
	Step time.Duration
	used int
}

// NewTimeline allocates a timeline for a run of at most budget.
func NewTimeline(budget time.Duration) *Timeline {
	n, step := timelineShape(budget)
	return &Timeline{Seconds: make([]Second, n), Step: step}
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
func (t *Timeline) Used(rate func(time.Duration) float64) []Second {
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
