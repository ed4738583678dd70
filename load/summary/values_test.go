package summary

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/load/threshold"
)

// callback_findings adds up the callbacks' findings; signature_failures
// counts only when signatures were verified, else it is off (skipped).
func TestCallbackFindingAndSignatureValues(t *testing.T) {
	s := &Summary{Delivery: DeliverySummary{Enabled: true, Accepted: 2, Findings: map[string]uint64{"signature-invalid": 2, "body-schema": 1},
		SignatureFailures: 2, Verifying: true}}
	v := s.Values()
	if v["callback_findings"].V != 3 || v["signature_failures"].V != 2 || v["signature_failures"].State != "" {
		t.Errorf("values %+v %+v", v["callback_findings"], v["signature_failures"])
	}
	s.Delivery.Verifying = false
	if v := s.Values(); v["signature_failures"].State != threshold.StateOff {
		t.Errorf("without verification: %+v", v["signature_failures"])
	}
	ts, err := threshold.Parse("signature_failures == 0")
	if err != nil {
		t.Fatal(err)
	}
	s.Delivery.Verifying = true
	s.Evaluate([]threshold.Threshold{ts})
	if s.Pass {
		t.Error("signature_failures == 0 passed with 2 failures")
	}
}

// TestCountsOverNothingAreNoData (issue 13 item 9, neighbouring metrics):
// with no response at all, errors == 0 or status_5xx == 0 would pass on
// data never measured; with nothing accepted, so would dlr_missing == 0.
func TestCountsOverNothingAreNoData(t *testing.T) {
	s := &Summary{Delivery: DeliverySummary{Enabled: true}}
	v := s.Values()
	for _, k := range []string{"errors", "status_429", "status_5xx", "dlr_missing", "dlr_complete", "success", "p99"} {
		if v[k].State != threshold.StateNoData {
			t.Errorf("%s with no response = %+v, want no data", k, v[k])
		}
	}
	s.Requests, s.StatusCodes = 10, map[string]int{"202": 10}
	if v := s.Values(); v["errors"].State != "" || v["errors"].V != 0 {
		t.Errorf("errors with 10 responses = %+v, want a measured 0", v["errors"])
	}
}

func TestSentRatioValues(t *testing.T) {
	paced := []StageSummary{{Duration: time.Second, From: 10, To: 10}}
	for name, c := range map[string]struct {
		s    Summary
		want threshold.Value
	}{
		"measured":  {Summary{Stages: paced, RequestsPlanned: 10, SentRatio: 0.9}, threshold.Value{V: 0.9}},
		"no plan":   {Summary{Stages: paced}, threshold.Value{State: threshold.StateNoData}},
		"unpaced":   {Summary{Stages: []StageSummary{{Duration: time.Second}}}, threshold.Value{State: threshold.StateOff}},
		"ramp half": {Summary{Stages: []StageSummary{{Duration: time.Second, To: 10}}, RequestsPlanned: 5, SentRatio: 1}, threshold.Value{V: 1}},
	} {
		if got := c.s.Values()["sent_ratio"]; got != c.want {
			t.Errorf("%s: %+v, want %+v", name, got, c.want)
		}
	}
}

// A vendor that advertises no limit is measured against the documented
// one (the profile's ratelimit.limit, else the dialect's: see
// TestRateLimitLimitParses in load/profiles).
func TestDocumentedLimitIsTheReference(t *testing.T) {
	s := &Summary{RateLimit: RateLimitSummary{Checked: true, Documented: 50, Onset: 52, Limited: 3}}
	if v := s.Values()["ratelimit_onset"]; v.Ref != 50 {
		t.Errorf("reference %v, want the documented 50", v.Ref)
	}
	s.RateLimit.Advertised = 100
	if v := s.Values()["ratelimit_onset"]; v.Ref != 100 {
		t.Errorf("reference %v, want the advertised 100", v.Ref)
	}
}

// TestValuesNameEveryMetric: Values measures exactly the metrics a
// threshold may name, so no threshold reads a metric nobody fills.
func TestValuesNameEveryMetric(t *testing.T) {
	for _, s := range []*Summary{{}, {Requests: 1, Validation: ValidationSummary{Enabled: true}, RateLimit: RateLimitSummary{Checked: true},
		Delivery: DeliverySummary{Enabled: true}}} {
		got := slices.Sorted(maps.Keys(s.Values()))
		if want := threshold.Metrics(); !slices.Equal(got, want) {
			t.Errorf("Values names %v;\nthresholds may name %v", got, want)
		}
	}
}
