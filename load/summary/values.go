package summary

import (
	"time"

	"github.com/wabcheck/wabcheck/load/threshold"
)

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
