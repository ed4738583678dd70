package callbacks

import (
	"time"
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
	// Terminal counts expected messages that reached a final status
	// (the dialect's status model); NoTerminal those that did not (yet).
	Terminal   int `json:"terminal"`
	NoTerminal int `json:"no_terminal"`
	// Duplicates counts DLRs repeating a status the message already had.
	Duplicates int `json:"duplicates"`
	// Unknown counts callbacks for ids not expected (at Summary time),
	// plus callbacks with no usable id; with Options.Settle, DLRs for an id
	// not expected within Settle of its first DLR stay unknown.
	Unknown int `json:"unknown"`
	// Illegal counts DLRs whose status may not follow the earlier ones (a
	// vendor that promises order).
	Illegal int `json:"illegal"`
	// Disorder counts statuses that arrived after a further one, lawful
	// for a vendor without an ordering guarantee (counted, not a finding).
	Disorder int `json:"disorder"`
	// Others counts events that are neither statuses nor inbound messages
	// (vendor errors, unchecked event types), by type.
	Others map[string]int `json:"others,omitempty"`
	// Posts counts callback POSTs that carried events; BatchedPosts those
	// of them with more than one (a vendor that batches, as the
	// on-premises client does), MaxBatch the most events one carried.
	// DLRTotal and Replies count events, whatever the batching.
	Posts        int64 `json:"posts"`
	BatchedPosts int64 `json:"batched_posts"`
	MaxBatch     int64 `json:"max_batch"`
	// SignatureFailures counts callbacks whose signature did not verify.
	SignatureFailures int64 `json:"signature_failures"`
	// Findings counts findings by code.
	Findings map[string]int `json:"findings"`
	// Validated counts callbacks validated against the spec (see
	// Options.ValidateSample).
	Validated int64 `json:"validated"`
	// Latency is send → first final DLR over expected messages that have
	// one.
	Latency Latency `json:"latency"`
	// Late counts DLRs of messages that had settled (Options.Settle); they
	// are in DLRTotal, and in Duplicates or Illegal when they are either.
	Late int `json:"late"`
	// Settled counts messages that left the table after Settle; Forgotten
	// those of them pushed out of the settled table (Options.Remember):
	// their later DLRs count as Unknown.
	Settled   int `json:"settled"`
	Forgotten int `json:"forgotten"`
	// NoID counts callbacks without a usable message id (unclassified, or
	// a DLR without an id or with one over 256 bytes); they are in Unknown.
	NoID int `json:"no_id"`
	// Untracked counts DLRs for unexpected ids beyond Options.MaxPending
	// (they are in Unknown and cannot be correlated if the id is expected
	// later).
	Untracked int `json:"untracked"`
	// NotKept counts callbacks (all counted above) whose details the
	// bounds did not let the receiver keep.
	NotKept NotKept `json:"not_kept"`
}

// NotKept counts callbacks the receiver counted but did not keep.
type NotKept struct {
	// Unknown: callbacks for unknown ids or without a usable id beyond
	// Unknown() (Options.MaxUnknown, MaxPerMessage, MaxPending).
	Unknown int `json:"unknown"`
	// DLRs: DLRs of expected messages beyond Options.MaxPerMessage.
	DLRs int `json:"dlrs"`
	// Replies: MO callbacks beyond Options.MaxReplies.
	Replies int `json:"replies"`
}

// Latency summarises a LatencyHistogram: Count, Mean and Max are exact;
// the percentiles are at most RelativeError above the exact nearest-rank
// values.
type Latency struct {
	Count int           `json:"count"`
	Mean  time.Duration `json:"mean"`
	P50   time.Duration `json:"p50"`
	P90   time.Duration `json:"p90"`
	P95   time.Duration `json:"p95"`
	P99   time.Duration `json:"p99"`
	Max   time.Duration `json:"max"`
	// OverRange counts values above the histogram's 24 h, kept as 24 h in
	// the percentiles.
	OverRange     int     `json:"over_range,omitempty"`
	RelativeError float64 `json:"relative_error,omitempty"`
}

// Summary computes the accounting now from counters kept as callbacks
// arrive (it does not walk the messages). With Settle it also settles
// what is due.
func (r *Receiver) Summary() Summary {
	sum := Summary{DLRs: map[string]int{}, Findings: map[string]int{}, Validated: r.validated.Load(),
		SignatureFailures: r.signatureFailures.Load(), Others: map[string]int{},
		Posts: r.posts.Load(), BatchedPosts: r.batched.Load(), MaxBatch: r.maxBatch.Load()}
	now := r.now()
	shown := 0
	for i := range r.shards {
		shown += r.summarize(&r.shards[i], &sum, now)
	}
	r.mu.Lock()
	sum.Replies, sum.NotKept.Replies = r.repliesTotal, r.repliesTotal-len(r.replies)
	sum.Unknown += r.orphans
	sum.NoID = r.orphans
	for t, n := range r.others {
		sum.Others[t] = n
	}
	shown += len(r.unknown)
	r.mu.Unlock()
	sum.NotKept.Unknown = max(sum.Unknown-shown, 0) // a give-up racing this walk may count twice
	sum.NoTerminal = sum.Expected - sum.Terminal
	r.latMu.Lock()
	sum.Latency = r.lat.Latency()
	r.latMu.Unlock()
	return sum
}

// LatencyHistogram returns a copy of the send → first final DLR latencies.
func (r *Receiver) LatencyHistogram() *LatencyHistogram {
	r.latMu.Lock()
	defer r.latMu.Unlock()
	return r.lat.Clone()
}

// summarize adds s's counters to sum and returns the unknown DLRs it keeps.
func (r *Receiver) summarize(s *shard, sum *Summary, now int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.sweep(s, now, 0)
	for i, n := range s.byStatus {
		if n > 0 {
			sum.DLRs[r.st.name(uint8(i))] += n
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
	sum.Disorder += s.disorder
	sum.DLRTotal += s.dlrs
	sum.Expected += s.expected
	sum.Terminal += s.terminal
	sum.Unknown += s.pendingDLRs + s.goneDLRs + s.untracked
	sum.Untracked += s.untracked
	sum.Late += s.late
	sum.Settled += s.settledMsgs
	sum.Forgotten += s.settled.forgotten
	sum.NotKept.DLRs += s.dropped
	return s.pendingKept
}
