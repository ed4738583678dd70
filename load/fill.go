package load

import (
	"fmt"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/load/report"
	"github.com/wabcheck/wabcheck/load/summary"
)

// fillSummary copies the collector's measurements into s.
func fillSummary(s *summary.Summary, c *Collector, rate func(time.Duration) float64) {
	m := &c.Metrics
	s.Requests, s.Rate, s.Throughput, s.Success = m.Requests, m.Rate, m.Throughput, m.Success
	s.Latency = summary.Percentiles{Mean: m.Latencies.Mean, Min: m.Latencies.Min, P50: m.Latencies.P50,
		P90: m.Latencies.P90, P95: m.Latencies.P95, P99: m.Latencies.P99, Max: m.Latencies.Max}
	s.StatusCodes = m.StatusCodes
	s.ErrorCounts, s.ErrorsOther = c.Errors.Counts()
	s.Errors = make([]string, 0, len(s.ErrorCounts))
	for _, e := range s.ErrorCounts {
		s.Errors = append(s.Errors, e.Message)
	}
	fillHistogram(s, m.Histogram)
	fillLag(s, c)
	s.Timeline, s.TimelineStep = c.Timeline.Used(rate), c.Timeline.Step
	fillValidation(s, c)
	rl := &s.RateLimit
	rl.Advertised, rl.Changed, rl.Limited = c.RL.Advertised, c.RL.Changed, c.RL.Limited
	rl.BadRetryAfter, rl.NoLimitHeader, rl.MaxRetryAfter, rl.Examples = c.RL.BadRetryAfter, c.RL.NoLimitHeader, c.RL.MaxRetryAfter, c.RL.Examples
	s.DeriveOnset()
}

// fillHistogram copies the latency histogram; with no result at all
// vegeta never sized Counts, and every bucket is 0.
func fillHistogram(s *summary.Summary, h *vegeta.Histogram) {
	s.Histogram = s.Histogram[:0]
	for i, b := range h.Buckets {
		hb := summary.HistogramBucket{From: b}
		if i < len(h.Counts) {
			hb.Count = h.Counts[i]
		}
		if i+1 < len(h.Buckets) {
			hb.To = h.Buckets[i+1]
		}
		s.Histogram = append(s.Histogram, hb)
	}
}

// fillLag sets the schedule-lag percentiles, when any hit was late.
func fillLag(s *summary.Summary, c *Collector) {
	if c.lagged > 0 {
		l := &c.Lag
		s.ScheduleLag = &summary.Percentiles{Mean: time.Duration(float64(l.Total) / float64(c.lagged)), Min: l.Min,
			P50: l.Quantile(0.5), P90: l.Quantile(0.9), P95: l.Quantile(0.95), P99: l.Quantile(0.99), Max: l.Max}
	}
}

// fillValidation copies the validation counts and findings.
func fillValidation(s *summary.Summary, c *Collector) {
	c.Findings.mu.Lock()
	s.Validation.ByCode, s.Validation.Examples = c.Findings.ByCode, c.Findings.Examples
	c.Findings.mu.Unlock()
	s.Validation.Validated, s.Validation.Skipped, s.Validation.Truncated = c.Validated.Load(), c.Skipped.Load(), c.Truncated.Load()
	s.Validation.Violations = c.Findings.Total()
}

// plan records in s how many requests the pacer planned: all of them, or
// for an attack stopped stoppedAt after its start, those due by then.
func plan(s *summary.Summary, p *StagePacer, stoppedAt time.Duration) {
	if p.Unpaced() {
		s.PlannedNote = "rate 0 (as fast as possible) plans no number of requests"
		return
	}
	s.RequestsPlanned = p.Hits()
	if stoppedAt > 0 && stoppedAt < p.Total() {
		// vegeta may release a hit or two after Stop: never plan fewer than were sent
		s.RequestsPlanned = max(p.HitsBy(stoppedAt), s.Requests)
		s.PlannedNote = fmt.Sprintf("interrupted %s into the attack: planned counts the requests due by then", report.RoundDuration(stoppedAt))
	}
	s.SetSentRatio()
}
