package load

import "testing"

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
	if v := s.Values(); v["signature_failures"].State != StateOff {
		t.Errorf("without verification: %+v", v["signature_failures"])
	}
	ts, err := ParseThreshold("signature_failures == 0")
	if err != nil {
		t.Fatal(err)
	}
	s.Delivery.Verifying = true
	s.Evaluate([]Threshold{ts})
	if s.Pass {
		t.Error("signature_failures == 0 passed with 2 failures")
	}
}
