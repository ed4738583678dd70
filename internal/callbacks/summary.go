package callbacks

import (
	"math"
	"slices"
	"time"

	"github.com/wabcheck/wabcheck/internal/dlr"
)

// Summary is the delivery accounting of a run, for load reports.
type Summary struct {
	// Expected counts messages registered with Expect.
	Expected int `json:"expected"`
	// DLRs counts DLR callbacks by status (values outside the spec's enum
	// included, as received).
	DLRs map[string]int `json:"dlrs"`
	// DLRTotal is the number of DLR callbacks with a message id.
	DLRTotal int `json:"dlr_total"`
	// Replies counts MO callbacks.
	Replies int `json:"replies"`
	// Terminal counts expected messages that reached a terminal status
	// (dlr.IsTerminal); NoTerminal those that did not (yet).
	Terminal   int `json:"terminal"`
	NoTerminal int `json:"no_terminal"`
	// Duplicates counts DLRs repeating a status the message already had.
	Duplicates int `json:"duplicates"`
	// Unknown counts callbacks for ids not expected (at Summary time),
	// plus callbacks with no usable id.
	Unknown int `json:"unknown"`
	// Illegal counts DLRs whose status may not follow the earlier ones.
	Illegal int `json:"illegal"`
	// Findings counts findings by code.
	Findings map[string]int `json:"findings"`
	// Validated counts callbacks validated against the spec (see
	// Options.ValidateSample).
	Validated int64 `json:"validated"`
	// Latency is send → first terminal DLR over expected messages that
	// have one.
	Latency Latency `json:"latency"`
}

// Latency is an exact distribution summary of durations.
type Latency struct {
	Count int           `json:"count"`
	Mean  time.Duration `json:"mean"`
	P50   time.Duration `json:"p50"`
	P90   time.Duration `json:"p90"`
	P95   time.Duration `json:"p95"`
	P99   time.Duration `json:"p99"`
	Max   time.Duration `json:"max"`
}

// Summary computes the accounting now. It walks every message once; the
// latencies are exact (nearest-rank percentiles over all messages).
func (r *Receiver) Summary() Summary {
	sum := Summary{DLRs: map[string]int{}, Findings: map[string]int{}, Validated: r.validated.Load()}
	var lat []time.Duration
	for i := range r.shards {
		lat = r.shards[i].summarize(&sum, lat)
	}
	r.mu.Lock()
	sum.Replies = len(r.replies)
	sum.Unknown += len(r.orphans)
	r.mu.Unlock()
	sum.Latency = latencyOf(lat)
	return sum
}

func (s *shard) summarize(sum *Summary, lat []time.Duration) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, n := range s.byStatus {
		if n > 0 {
			sum.DLRs[string(dlr.All[i])] += n
		}
	}
	for st, n := range s.other {
		sum.DLRs[st] += n
	}
	for code, n := range s.findings {
		sum.Findings[code] += n
	}
	sum.Duplicates += s.dups
	sum.Illegal += s.illegal
	sum.DLRTotal += s.dlrs
	for _, m := range s.msgs {
		if !m.expected {
			sum.Unknown += len(m.recs)
			continue
		}
		sum.Expected++
		if m.firstTerm == 0 {
			sum.NoTerminal++
			continue
		}
		sum.Terminal++
		d := time.Duration(m.firstTerm - m.sentAt)
		if d < 0 {
			d = 0 // the DLR's clock and the sender's disagree; count it as instant
		}
		lat = append(lat, d)
	}
	return lat
}

func latencyOf(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	var total time.Duration
	for _, x := range d {
		total += x
	}
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return d[max(0, min(i, len(d)-1))]
	}
	return Latency{Count: len(d), Mean: total / time.Duration(len(d)), P50: rank(0.50), P90: rank(0.90),
		P95: rank(0.95), P99: rank(0.99), Max: d[len(d)-1]}
}
