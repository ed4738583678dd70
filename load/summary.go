package load

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/callbacks"
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
	// histogram (LatencyFile): Max exact, the percentiles at most
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

	// latency returns the histogram the percentiles come from (a copy,
	// made only when needed); written as LatencyFile next to results.bin,
	// read back by merge.
	latency func() *callbacks.LatencyHistogram
}

// LatencyFile is the receipt-latency histogram a run writes next to
// results.bin (format: callbacks.LatencyFormat, version
// callbacks.LatencyVersion; see docs/load.md).
const LatencyFile = callbacks.LatencyFile

// setLatency takes the percentiles from l and keeps h, the histogram they
// come from, for LatencyFile.
func (d *DeliverySummary) setLatency(l callbacks.Latency, h func() *callbacks.LatencyHistogram) {
	d.P50, d.P90, d.P95, d.P99, d.Max, d.LatencyError = l.P50, l.P90, l.P95, l.P99, l.Max, l.RelativeError
	d.latency = h
}

// writeLatency writes the histogram as dir/LatencyFile, when there is one.
func (d *DeliverySummary) writeLatency(dir string) error {
	if !d.Enabled || d.latency == nil {
		return nil
	}
	return callbacks.WriteLatencyFile(filepath.Join(dir, LatencyFile), d.latency())
}

// fill copies the collector's measurements into s.
func (s *Summary) fill(c *Collector, rate func(time.Duration) float64) {
	m := &c.Metrics
	s.Requests, s.Rate, s.Throughput, s.Success = m.Requests, m.Rate, m.Throughput, m.Success
	s.Latency = Percentiles{Mean: m.Latencies.Mean, Min: m.Latencies.Min, P50: m.Latencies.P50,
		P90: m.Latencies.P90, P95: m.Latencies.P95, P99: m.Latencies.P99, Max: m.Latencies.Max}
	s.StatusCodes = m.StatusCodes
	s.ErrorCounts, s.ErrorsOther = c.Errors.Counts()
	s.Errors = make([]string, 0, len(s.ErrorCounts))
	for _, e := range s.ErrorCounts {
		s.Errors = append(s.Errors, e.Message)
	}
	s.fillHistogram(m.Histogram)
	s.fillLag(c)
	s.Timeline, s.TimelineStep = c.Timeline.Used(rate), c.Timeline.Step
	s.fillValidation(c)
	rl := &s.RateLimit
	rl.Advertised, rl.Changed, rl.Limited = c.RL.Advertised, c.RL.Changed, c.RL.Limited
	rl.BadRetryAfter, rl.NoLimitHeader, rl.MaxRetryAfter, rl.Examples = c.RL.BadRetryAfter, c.RL.NoLimitHeader, c.RL.MaxRetryAfter, c.RL.Examples
	s.onset()
}

// fillHistogram copies the latency histogram; with no result at all
// vegeta never sized Counts, and every bucket is 0.
func (s *Summary) fillHistogram(h *vegeta.Histogram) {
	s.Histogram = s.Histogram[:0]
	for i, b := range h.Buckets {
		hb := HistogramBucket{From: b}
		if i < len(h.Counts) {
			hb.Count = h.Counts[i]
		}
		if i+1 < len(h.Buckets) {
			hb.To = h.Buckets[i+1]
		}
		s.Histogram = append(s.Histogram, hb)
	}
}

func (s *Summary) fillLag(c *Collector) {
	if c.lagged > 0 {
		l := &c.Lag
		s.ScheduleLag = &Percentiles{Mean: time.Duration(float64(l.Total) / float64(c.lagged)), Min: l.Min,
			P50: l.Quantile(0.5), P90: l.Quantile(0.9), P95: l.Quantile(0.95), P99: l.Quantile(0.99), Max: l.Max}
	}
}

func (s *Summary) fillValidation(c *Collector) {
	c.Findings.mu.Lock()
	s.Validation.ByCode, s.Validation.Examples = c.Findings.ByCode, c.Findings.Examples
	c.Findings.mu.Unlock()
	s.Validation.Validated, s.Validation.Skipped, s.Validation.Truncated = c.Validated.Load(), c.Skipped.Load(), c.Truncated.Load()
	s.Validation.Violations = c.Findings.Total()
}

// plan records how many requests the pacer planned: all of them, or for
// an attack stopped stoppedAt after its start, those due by then.
func (s *Summary) plan(p *StagePacer, stoppedAt time.Duration) {
	if p.Unpaced() {
		s.PlannedNote = "rate 0 (as fast as possible) plans no number of requests"
		return
	}
	s.RequestsPlanned = p.Hits()
	if stoppedAt > 0 && stoppedAt < p.Total() {
		// vegeta may release a hit or two after Stop: never plan fewer than were sent
		s.RequestsPlanned = max(p.HitsBy(stoppedAt), s.Requests)
		s.PlannedNote = fmt.Sprintf("interrupted %s into the attack: planned counts the requests due by then", roundDuration(stoppedAt))
	}
	s.setSentRatio()
}

func (s *Summary) setSentRatio() {
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

// step is the time a timeline entry covers (1 s unless the run was long).
func (s *Summary) step() time.Duration {
	if s.TimelineStep <= 0 {
		return time.Second
	}
	return s.TimelineStep
}

// onset derives the enforced rate from the timeline: the median 2xx rate
// of the slots that answered 429s, leaving out the first such slot
// (partly before the limit bit) and the last (cut short by the end).
func (s *Summary) onset() {
	var ok []float64
	first := -1
	for i, sec := range s.Timeline {
		if sec.Limited == 0 {
			continue
		}
		if first < 0 {
			first = i
		}
		ok = append(ok, float64(sec.OK)/s.step().Seconds())
	}
	if first < 0 {
		return
	}
	s.RateLimit.FirstAt = time.Duration(first) * s.step()
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

// Values maps every threshold metric to its measured value.
func (s *Summary) Values() map[string]threshold.Value {
	v := map[string]threshold.Value{}
	d := func(x time.Duration) threshold.Value { return threshold.Value{V: x.Seconds()} }
	n := func(x uint64) threshold.Value { return threshold.Value{V: float64(x)} }
	noReq := s.Requests == 0
	for k, x := range map[string]time.Duration{"p50": s.Latency.P50, "p90": s.Latency.P90, "p95": s.Latency.P95,
		"p99": s.Latency.P99, "max": s.Latency.Max, "mean": s.Latency.Mean, "min": s.Latency.Min} {
		v[k] = d(x)
		if noReq {
			v[k] = threshold.Value{State: threshold.StateNoData}
		}
	}
	v["success"], v["rate"], v["throughput"], v["requests"] = threshold.Value{V: s.Success}, threshold.Value{V: s.Rate}, threshold.Value{V: s.Throughput}, n(s.Requests)
	if noReq {
		v["success"] = threshold.Value{State: threshold.StateNoData}
	}
	switch {
	case s.unpaced():
		v["sent_ratio"] = threshold.Value{State: threshold.StateOff}
	case s.RequestsPlanned == 0:
		v["sent_ratio"] = threshold.Value{State: threshold.StateNoData}
	default:
		v["sent_ratio"] = threshold.Value{V: s.SentRatio}
	}
	v["errors"] = n(uint64(s.StatusCodes["0"]))
	v["status_429"] = n(uint64(s.StatusCodes["429"]))
	var c5 int
	for code, c := range s.StatusCodes {
		if code >= "500" && code < "600" {
			c5 += c
		}
	}
	v["status_5xx"] = n(uint64(c5))
	if noReq { // counts over responses that never came
		for _, k := range []string{"errors", "status_429", "status_5xx"} {
			v[k] = threshold.Value{State: threshold.StateNoData}
		}
	}
	s.lagValues(v)
	s.validationValues(v)
	s.rateLimitValues(v)
	s.deliveryValues(v)
	return v
}

func (s *Summary) lagValues(v map[string]threshold.Value) {
	keys := map[string]func(*Percentiles) time.Duration{
		"schedule_lag_p50": func(p *Percentiles) time.Duration { return p.P50 },
		"schedule_lag_p95": func(p *Percentiles) time.Duration { return p.P95 },
		"schedule_lag_p99": func(p *Percentiles) time.Duration { return p.P99 },
		"schedule_lag_max": func(p *Percentiles) time.Duration { return p.Max },
	}
	for k, f := range keys {
		if s.ScheduleLag == nil {
			v[k] = threshold.Value{State: threshold.StateOff}
			continue
		}
		v[k] = threshold.Value{V: f(s.ScheduleLag).Seconds()}
	}
}

// validationValues: violations is "no data" when nothing was validated,
// or when no violation was found but no body could be checked either (all
// over the kept bound): a pass would judge bodies nobody looked at.
func (s *Summary) validationValues(v map[string]threshold.Value) {
	val := s.Validation
	if !val.Enabled {
		for _, k := range []string{"violations", "validation_skipped", "validation_truncated"} {
			v[k] = threshold.Value{State: threshold.StateOff}
		}
		return
	}
	switch {
	case val.Validated == 0, val.Violations == 0 && val.Truncated >= val.Validated:
		v["violations"] = threshold.Value{State: threshold.StateNoData}
	default:
		v["violations"] = threshold.Value{V: float64(val.Violations)}
	}
	v["validation_skipped"] = threshold.Value{V: float64(val.Skipped)}
	v["validation_truncated"] = threshold.Value{V: float64(val.Truncated)}
}

func (s *Summary) rateLimitValues(v map[string]threshold.Value) {
	rl := s.RateLimit
	if !rl.Checked {
		for _, k := range []string{"ratelimit_onset", "retry_after_ok", "ratelimit_recovered"} {
			v[k] = threshold.Value{State: threshold.StateOff}
		}
		return
	}
	v["ratelimit_onset"] = threshold.Value{V: rl.Onset, Ref: float64(rl.Reference())}
	if rl.Limited == 0 {
		v["ratelimit_onset"] = threshold.Value{State: threshold.StateNoData}
		v["retry_after_ok"] = threshold.Value{State: threshold.StateNoData}
	} else {
		bad := max(rl.BadRetryAfter, rl.NoLimitHeader)
		v["retry_after_ok"] = threshold.Value{V: float64(rl.Limited-min(bad, rl.Limited)) / float64(rl.Limited)}
	}
	switch {
	case !rl.Recovery.Checked:
		v["ratelimit_recovered"] = threshold.Value{State: threshold.StateNoData}
	case rl.Recovery.OK:
		v["ratelimit_recovered"] = threshold.Value{V: 1}
	default:
		v["ratelimit_recovered"] = threshold.Value{V: 0}
	}
}

func (s *Summary) deliveryValues(v map[string]threshold.Value) {
	dl := s.Delivery
	keys := []string{"dlr_complete", "dlr_missing", "dlr_duplicates", "dlr_unknown", "dlr_p50", "dlr_p95", "dlr_p99", "dlr_max",
		"callback_findings", "signature_failures"}
	if !dl.Enabled {
		for _, k := range keys {
			v[k] = threshold.Value{State: threshold.StateOff}
		}
		return
	}
	v["dlr_missing"], v["dlr_duplicates"], v["dlr_unknown"] = threshold.Value{V: float64(dl.Missing)}, threshold.Value{V: float64(dl.Duplicates)}, threshold.Value{V: float64(dl.Unknown)}
	var findings uint64
	for _, n := range dl.Findings {
		findings += n
	}
	v["callback_findings"], v["signature_failures"] = threshold.Value{V: float64(findings)}, threshold.Value{V: float64(dl.SignatureFailures)}
	if !dl.Verifying { // nothing was verified: no verdict on signatures
		v["signature_failures"] = threshold.Value{State: threshold.StateOff}
	}
	if dl.Accepted == 0 { // nothing was accepted, so nothing could go missing
		v["dlr_complete"], v["dlr_missing"] = threshold.Value{State: threshold.StateNoData}, threshold.Value{State: threshold.StateNoData}
	} else {
		v["dlr_complete"] = threshold.Value{V: float64(dl.Accepted-min(dl.Missing, dl.Accepted)) / float64(dl.Accepted)}
	}
	for k, x := range map[string]time.Duration{"dlr_p50": dl.P50, "dlr_p95": dl.P95, "dlr_p99": dl.P99, "dlr_max": dl.Max} {
		v[k] = threshold.Value{V: x.Seconds()}
		if dl.Terminal == 0 {
			v[k] = threshold.Value{State: threshold.StateNoData}
		}
	}
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

// ReadSummary reads dir/summary.json.
func ReadSummary(dir string) (*Summary, error) {
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

// codesSorted returns the status codes in numeric order.
func codesSorted(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i])
		b, _ := strconv.Atoi(out[j])
		return a < b
	})
	return out
}
