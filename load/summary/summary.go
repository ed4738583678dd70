package summary

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/wabcheck/wabcheck/load/threshold"
)

// Summary is everything a run measured; it is written as summary.json and
// drives load.html and the threshold table.
type Summary struct {
	Tool        string   `json:"tool"`
	Vendor      string   `json:"vendor"`
	Profile     string   `json:"profile"`
	Description string   `json:"description"`
	Source      string   `json:"source"`
	Attack      string   `json:"attack"`
	Shard       string   `json:"shard,omitempty"`
	Shards      []string `json:"merged_from,omitempty"`
	Target      string   `json:"target"`
	InProcess   bool     `json:"in_process_simulator"`
	// Spec and Errata say what responses were validated against (doc.Name,
	// doc.Errata.Summary()).
	Spec   string `json:"spec"`
	Errata string `json:"errata"`
	// CallbackURL is the base URL the target was told to post callbacks
	// to (--callback-url), credentials redacted.
	CallbackURL string         `json:"callback_url,omitempty"`
	Start       time.Time      `json:"start"`
	End         time.Time      `json:"end"`
	Planned     time.Duration  `json:"planned_duration_ns"`
	Interrupted bool           `json:"interrupted"`
	Stages      []StageSummary `json:"stages"`

	// RequestsPlanned is the number of hits the stages planned (for an
	// interrupted run: the hits due by the interruption, see PlannedNote);
	// 0 for rate 0 (as fast as possible), which plans nothing. SentRatio
	// is Requests / RequestsPlanned: a load generator that fell behind
	// shows here, not as better latency.
	RequestsPlanned uint64  `json:"requests_planned"`
	SentRatio       float64 `json:"sent_ratio"`
	PlannedNote     string  `json:"requests_planned_note,omitempty"`

	Requests    uint64         `json:"requests"`
	Rate        float64        `json:"rate"`
	Throughput  float64        `json:"throughput"`
	Success     float64        `json:"success"`
	Latency     Percentiles    `json:"latency"`
	StatusCodes map[string]int `json:"status_codes"`
	// Errors are the distinct request error messages, normalised (URL
	// query and fragment, local ports and ids taken out), at most
	// maxErrorKinds; ErrorCounts counts each with its first occurrence,
	// and ErrorsOther counts the errors of kinds beyond the bound.
	Errors      []string          `json:"errors"`
	ErrorCounts []ErrorCount      `json:"error_counts,omitempty"`
	ErrorsOther uint64            `json:"errors_other,omitempty"`
	Histogram   []HistogramBucket `json:"histogram"`
	ScheduleLag *Percentiles      `json:"schedule_lag,omitempty"`

	Validation ValidationSummary `json:"validation"`
	RateLimit  RateLimitSummary  `json:"ratelimit"`
	Delivery   DeliverySummary   `json:"delivery"`
	Timeline   []Second          `json:"timeline"`
	// TimelineStep is the time each Timeline entry covers: 1 s, or whole
	// seconds more for runs longer than the timeline's slot bound (0 in
	// summaries written before it existed means 1 s).
	TimelineStep time.Duration `json:"timeline_step_ns"`

	Thresholds []threshold.Result `json:"thresholds"`
	Pass       bool               `json:"pass"`
}

// ErrorCount is one kind of request error: its normalised message, how
// often it happened and its first occurrence as it was (redacted).
type ErrorCount struct {
	Message string `json:"message"`
	Count   uint64 `json:"count"`
	Example string `json:"example"`
}

// StageSummary is one stage with absolute rates.
type StageSummary struct {
	Duration    time.Duration `json:"duration_ns"`
	From        float64       `json:"from"`
	To          float64       `json:"to"`
	PlannedHits float64       `json:"planned_hits"`
}

// Percentiles of a duration distribution.
type Percentiles struct {
	Mean time.Duration `json:"mean_ns"`
	Min  time.Duration `json:"min_ns"`
	P50  time.Duration `json:"p50_ns"`
	P90  time.Duration `json:"p90_ns"`
	P95  time.Duration `json:"p95_ns"`
	P99  time.Duration `json:"p99_ns"`
	Max  time.Duration `json:"max_ns"`
}

// HistogramBucket is one bar of the latency histogram.
type HistogramBucket struct {
	From  time.Duration `json:"from_ns"`
	To    time.Duration `json:"to_ns"` // 0 = open ended
	Count uint64        `json:"count"`
}

// ValidationSummary is what spec validation under load found.
type ValidationSummary struct {
	Enabled    bool                `json:"enabled"`
	Sample     float64             `json:"sample"`
	Validated  uint64              `json:"validated"` // status and headers checked
	Skipped    uint64              `json:"skipped"`   // queue full: validator could not keep up
	Truncated  uint64              `json:"truncated"` // of Validated: body longer than the kept bound, not checked
	Violations uint64              `json:"violations"`
	ByCode     map[string]uint64   `json:"by_code"`
	Examples   map[string][]string `json:"examples"`
}

// RateLimitSummary is the rate-limit conformance record.
type RateLimitSummary struct {
	Checked bool `json:"checked"`
	// Advertised is the X-RateLimit-Limit the target announced.
	Advertised int `json:"advertised"`
	// Documented is the per-second limit the vendor documents (the
	// profile's ratelimit.limit, else the dialect's): ratelimit_onset's
	// reference when nothing is advertised.
	Documented int    `json:"documented,omitempty"`
	Changed    uint64 `json:"advertised_changed"`
	// Onset is the accepted (2xx) rate in the seconds where 429s were
	// answered: the rate the server actually enforces. FirstOffered is the
	// planned rate when the first 429 came (later than the limit by the
	// bucket's burst).
	Onset         float64         `json:"onset"`
	FirstOffered  float64         `json:"first_429_offered_rate"`
	FirstAt       time.Duration   `json:"first_429_at_ns"`
	Limited       uint64          `json:"limited"`
	BadRetryAfter uint64          `json:"bad_retry_after"`
	NoLimitHeader uint64          `json:"no_limit_header"`
	MaxRetryAfter int             `json:"max_retry_after"`
	Examples      []string        `json:"examples,omitempty"`
	Recovery      RecoverySummary `json:"recovery"`
}

// Reference is the limit the onset is compared with: the advertised one,
// else the documented one.
func (rl RateLimitSummary) Reference() int {
	if rl.Advertised > 0 {
		return rl.Advertised
	}
	return rl.Documented
}

// RecoverySummary is the probe sent after waiting as Retry-After said.
type RecoverySummary struct {
	Checked bool          `json:"checked"`
	Waited  time.Duration `json:"waited_ns"`
	Status  int           `json:"status"`
	OK      bool          `json:"ok"`
	Note    string        `json:"note,omitempty"`
}

// DeliverySummary is the DLR accounting.
type DeliverySummary struct {
	Enabled    bool              `json:"enabled"`
	Accepted   uint64            `json:"accepted"`
	Terminal   uint64            `json:"terminal"`
	Missing    uint64            `json:"missing"` // accepted, no terminal status by the end of grace
	Duplicates uint64            `json:"duplicates"`
	Unknown    uint64            `json:"unknown"`
	Illegal    uint64            `json:"illegal"`
	Callbacks  uint64            `json:"callbacks"`
	ByStatus   map[string]uint64 `json:"by_status"`
	// Posts counts the callback POSTs that carried events (Callbacks
	// counts the events); BatchedPosts those with several (a vendor that
	// batches, as the on-premises client does), MaxBatch the most events
	// one carried.
	Posts        uint64 `json:"posts"`
	BatchedPosts uint64 `json:"batched_posts,omitempty"`
	MaxBatch     uint64 `json:"max_batch,omitempty"`
	// Late counts DLRs of messages that had already settled (left the
	// receiver's table 30 s after their first terminal DLR); they are in
	// Duplicates or Illegal when they are either. Settled counts those
	// messages, Forgotten the settled ones no longer remembered (their
	// later DLRs count as Unknown). NotKept counts callbacks counted but
	// not kept in detail (the receiver's bounds).
	Late      uint64 `json:"late"`
	Settled   uint64 `json:"settled"`
	Forgotten uint64 `json:"forgotten,omitempty"`
	NotKept   uint64 `json:"not_kept,omitempty"`
	// P50…Max are send → first terminal DLR latencies from the receiver's
	// histogram (written beside summary.json, see docs/load.md): Max exact, the percentiles at most
	// LatencyError (relative) above the exact ones.
	P50          time.Duration     `json:"p50_ns"`
	P90          time.Duration     `json:"p90_ns"`
	P95          time.Duration     `json:"p95_ns"`
	P99          time.Duration     `json:"p99_ns"`
	Max          time.Duration     `json:"max_ns"`
	LatencyError float64           `json:"latency_relative_error,omitempty"`
	PeakRate     float64           `json:"peak_callbacks_per_second"`
	Findings     map[string]uint64 `json:"findings,omitempty"`
	// Verifying is true when callbacks were signed and their signatures
	// verified (the vendor signs, and the receiver had the secret);
	// SignatureFailures counts those that did not verify.
	Verifying         bool   `json:"verifying,omitempty"`
	SignatureFailures uint64 `json:"signature_failures"`
	Note              string `json:"note,omitempty"`
}

// SetSentRatio derives SentRatio from Requests and RequestsPlanned.
func (s *Summary) SetSentRatio() {
	s.SentRatio = 0
	if s.RequestsPlanned > 0 {
		s.SentRatio = float64(s.Requests) / float64(s.RequestsPlanned)
	}
}

// unpaced reports whether the run had a single rate-0 stage (as fast as
// possible), which plans no number of requests.
func (s *Summary) unpaced() bool {
	return len(s.Stages) == 1 && s.Stages[0].From == 0 && s.Stages[0].To == 0
}

// Step is the time a timeline entry covers (1 s unless the run was long).
func (s *Summary) Step() time.Duration {
	if s.TimelineStep <= 0 {
		return time.Second
	}
	return s.TimelineStep
}

// DeriveOnset derives the enforced rate (RateLimit.Onset, FirstAt,
// FirstOffered) from the timeline: the median 2xx rate of the slots that
// answered 429s, leaving out the first such slot (partly before the limit
// bit) and the last (cut short by the end).
func (s *Summary) DeriveOnset() {
	var ok []float64
	first := -1
	for i, sec := range s.Timeline {
		if sec.Limited == 0 {
			continue
		}
		if first < 0 {
			first = i
		}
		ok = append(ok, float64(sec.OK)/s.Step().Seconds())
	}
	if first < 0 {
		return
	}
	s.RateLimit.FirstAt = time.Duration(first) * s.Step()
	s.RateLimit.FirstOffered = s.Timeline[first].PlanRate
	if len(ok) > 1 { // the first second was partly spent before the limit bit
		ok = ok[1:]
	}
	if len(ok) > 2 { // and the last may be cut short by the end of the attack
		ok = ok[:len(ok)-1]
	}
	slices.Sort(ok)
	s.RateLimit.Onset = ok[len(ok)/2]
}

// Evaluate fills Thresholds and Pass.
func (s *Summary) Evaluate(ts []threshold.Threshold) {
	s.Thresholds = threshold.Evaluate(ts, s.Values())
	s.Pass = true
	for _, t := range s.Thresholds {
		s.Pass = s.Pass && t.Pass
	}
}

// WriteJSON writes summary.json into dir.
func (s *Summary) WriteJSON(dir string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("summary.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("summary.json: %w", err)
	}
	return nil
}

// Read reads dir/summary.json.
func Read(dir string) (*Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, fmt.Errorf("read summary: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
	}
	return &s, nil
}
