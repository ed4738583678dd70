package load

import (
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/threshold"
	"strings"
	"testing"
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

// A vendor that advertises no limit is measured against the documented
// one: the profile's ratelimit.limit, else the dialect's; relative rates
// are multiples of it.
func TestDocumentedLimitIsTheReference(t *testing.T) {
	p, err := profiles.Parse("t.yaml", []byte("name: t\nstages:\n  - duration: 1s\n    from: 1x\n    to: 2x\nmix:\n  send: 1\nratelimit:\n  limit: 50\n  recovery: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.RateLimit.Limit != 50 {
		t.Fatalf("limit %d", p.RateLimit.Limit)
	}
	s := &Summary{RateLimit: RateLimitSummary{Checked: true, Documented: 50, Onset: 52, Limited: 3}}
	if v := s.Values()["ratelimit_onset"]; v.Ref != 50 {
		t.Errorf("reference %v, want the documented 50", v.Ref)
	}
	s.RateLimit.Advertised = 100
	if v := s.Values()["ratelimit_onset"]; v.Ref != 100 {
		t.Errorf("reference %v, want the advertised 100", v.Ref)
	}
	if _, err := profiles.Parse("t.yaml", []byte("name: t\nstages:\n  - duration: 1s\n    rate: 1\nmix:\n  send: 1\nratelimit:\n  limit: none\n")); err == nil || !strings.Contains(err.Error(), "ratelimit.limit") {
		t.Errorf("a bad limit: %v", err)
	}
}
