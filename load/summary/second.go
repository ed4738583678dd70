package summary

import (
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
