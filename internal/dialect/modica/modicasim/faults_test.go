package modicasim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

const textBody = `{"destination":"+6421555020","type":"text","text":{"body":"hi"}}`

// findingCodes returns the validator's finding codes for a response.
func findingCodes(t *testing.T, method, path string, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	_, v := testSpec.Get(t)
	var codes []string
	for _, f := range v.Response(method, path, rec.Code, rec.Header(), rec.Body.Bytes()) {
		codes = append(codes, f.Code+" "+f.Where)
	}
	return codes
}

// TestResponseFaults switches each response fault on with ratio 1 and
// checks that the validator sees the defect it simulates.
func TestResponseFaults(t *testing.T) {
	tests := []struct {
		fault, method, path, body string
		rateLimit                 int
		want                      string // a finding "code where" prefix expected
	}{
		{"wrong-success-status", "POST", "/messages", textBody, 0, "status-undeclared"},
		{"missing-message-id", "POST", "/messages", textBody, 0, ""},
		{"non-uuid-message-id", "POST", "/messages", textBody, 0, "body-schema"},
		{"unknown-status-value", "POST", "/messages", textBody, 0, "body-schema"},
		{"missing-security-header", "GET", "/healthz", "", 0, "header-missing header Content-Security-Policy"},
		{"missing-ratelimit-header", "GET", "/healthz", "", 0, "header-missing header X-RateLimit-Limit"},
		{"retry-after-missing", "GET", "/healthz", "", 1, "header-missing header Retry-After"},
		{"retry-after-out-of-range", "GET", "/healthz", "", 1, "header-invalid header Retry-After"},
		{"server-error-burst", "GET", "/healthz", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			cfg := testConfig()
			cfg.RateLimit = tt.rateLimit
			cfg.Faults = []sim.FaultSetting{{Name: tt.fault, Ratio: 1}}
			s := newServer(t, cfg)
			var rec *httptest.ResponseRecorder
			for range 2 { // the second request trips a rate limit of 1/s
				rec = call(t, s, tt.method, base+tt.path, "application/json", []byte(tt.body))
			}
			codes := findingCodes(t, tt.method, base+tt.path, rec)
			switch tt.fault {
			case "missing-message-id":
				if strings.Contains(rec.Body.String(), "message_id") {
					t.Errorf("body still has message_id: %s", rec.Body.String())
				}
			case "server-error-burst":
				if rec.Code != 500 {
					t.Errorf("status %d, want 500", rec.Code)
				}
			default:
				if !slices.ContainsFunc(codes, func(c string) bool { return strings.HasPrefix(c, tt.want) }) {
					t.Errorf("findings %v lack %q (status %d, headers %v)", codes, tt.want, rec.Code, rec.Header())
				}
			}
			if got := s.Stats().FaultsFired[tt.fault]; got == 0 {
				t.Errorf("fault %s not counted as fired", tt.fault)
			}
		})
	}
}

// TestAcceptInvalidE164 accepts a bad number only with the fault on.
func TestAcceptInvalidE164(t *testing.T) {
	body := []byte(`{"destination":"0211234567","type":"text","text":{"body":"hi"}}`)
	s := newServer(t, testConfig())
	if rec := call(t, s, "POST", base+"/messages", "application/json", body); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"destination"`) {
		t.Fatalf("without fault: %d %s, want 400 naming destination", rec.Code, rec.Body.String())
	}
	s.SetFaults([]sim.FaultSetting{{Name: "accept-invalid-e164", Ratio: 1}})
	if rec := call(t, s, "POST", base+"/messages", "application/json", body); rec.Code != 202 {
		t.Fatalf("with fault: %d, want 202", rec.Code)
	}
	// Other problems are still rejected.
	if rec := call(t, s, "POST", base+"/messages", "application/json", []byte(`{"destination":"0211","type":"text"}`)); rec.Code != 400 {
		t.Fatalf("with fault, missing text: %d, want 400", rec.Code)
	}
}

// TestBroadcastShortResults drops the last item but still sends to all.
func TestBroadcastShortResults(t *testing.T) {
	cfg := testConfig()
	cfg.Faults = []sim.FaultSetting{{Name: "broadcast-short-results", Ratio: 1}}
	s := newServer(t, cfg)
	rec := call(t, s, "POST", base+"/messages/broadcast", "application/json",
		[]byte(`{"destination":["+6421555030","+6421555031","+6421555032"],"type":"text","text":{"body":"hi"}}`))
	var items []map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &items)
	if len(items) != 2 {
		t.Fatalf("items = %d, want 2 (one short)", len(items))
	}
	if got := s.Stats().Accepted; got != 3 {
		t.Errorf("accepted = %d, want 3", got)
	}
}

// TestLatencySpike holds the response for sim.Config.LatencySpike.
func TestLatencySpike(t *testing.T) {
	cfg := testConfig()
	cfg.LatencySpike = 50 * time.Millisecond
	cfg.Faults = []sim.FaultSetting{{Name: "latency-spike", Ratio: 1}}
	s := newServer(t, cfg)
	start := time.Now()
	call(t, s, "GET", base+"/healthz", "", nil)
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Errorf("response after %v, want >= 50ms", el)
	}
}

// TestCallbackFaults checks each DLR fault's effect on what the receiver
// gets.
func TestCallbackFaults(t *testing.T) {
	tests := []struct {
		fault string
		check func(t *testing.T, id string, rcv *simtest.Receiver, v *validate.Validator)
	}{
		{"dlr-drop", func(t *testing.T, id string, rcv *simtest.Receiver, _ *validate.Validator) {
			if got := statuses(rcv, id); len(got) != 0 {
				t.Errorf("DLRs %v, want none", got)
			}
		}},
		{"dlr-duplicate", func(t *testing.T, id string, rcv *simtest.Receiver, _ *validate.Validator) {
			simtest.WaitFor(t, "6 DLRs", func() bool { return len(statuses(rcv, id)) == 6 })
			if got := statuses(rcv, id); !slices.Equal(got, []string{"submitted", "submitted", "sent", "sent", "received", "received"}) {
				t.Errorf("DLRs %v", got)
			}
		}},
		{"dlr-out-of-order", func(t *testing.T, id string, rcv *simtest.Receiver, _ *validate.Validator) {
			simtest.WaitFor(t, "3 DLRs", func() bool { return len(statuses(rcv, id)) == 3 })
			if got := statuses(rcv, id); !slices.Equal(got, []string{"submitted", "received", "sent"}) {
				t.Errorf("DLRs %v", got)
			}
		}},
		{"dlr-illegal-transition", func(t *testing.T, id string, rcv *simtest.Receiver, _ *validate.Validator) {
			simtest.WaitFor(t, "4 DLRs", func() bool { return len(statuses(rcv, id)) == 4 })
			if got := statuses(rcv, id); !slices.Equal(got, []string{"submitted", "read", "sent", "received"}) {
				t.Errorf("DLRs %v", got)
			}
		}},
		{"dlr-unknown-id", func(t *testing.T, id string, rcv *simtest.Receiver, _ *validate.Validator) {
			simtest.WaitFor(t, "3 callbacks", func() bool { return len(rcv.Delivered()) == 3 })
			if got := statuses(rcv, id); len(got) != 0 {
				t.Errorf("DLRs with the real id: %v, want none", got)
			}
		}},
		{"callback-malformed-body", func(t *testing.T, id string, rcv *simtest.Receiver, v *validate.Validator) {
			simtest.WaitFor(t, "3 callbacks", func() bool { return len(rcv.Delivered()) == 3 })
			for _, c := range rcv.Delivered() {
				if len(v.Callback(validate.Kind(modica.KindStatus), c.Header, c.Body)) == 0 {
					t.Errorf("callback %s is valid, want malformed", c.Body)
				}
			}
		}},
	}
	_, v := testSpec.Get(t)
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			rcv := simtest.NewReceiver(t)
			cfg := testConfig()
			cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
			cfg.Faults = []sim.FaultSetting{{Name: tt.fault, Ratio: 1}}
			s := newServer(t, cfg)
			id := send(t, s, "+6421555040", "")
			simtest.WaitFor(t, "received", func() bool { return status(t, s, id) == "received" })
			simtest.WaitFor(t, "queue drained", func() bool { d := s.Stats().Callbacks.Delivery; return d.QueueDepth == 0 && d.InFlight == 0 })
			tt.check(t, id, rcv, v)
		})
	}
}

// TestDLRLate holds the final DLR back by LateDLRDelay (fake clock).
func TestDLRLate(t *testing.T) {
	clk := simtest.NewClock()
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
	cfg.Faults = []sim.FaultSetting{{Name: "dlr-late", Ratio: 1}}
	s := newServer(t, cfg)
	id := send(t, s, "+6421555050", "")
	simtest.WaitFor(t, "sent DLR", func() bool { return len(statuses(rcv, id)) == 2 })
	if status(t, s, id) != "received" {
		t.Fatal("not received")
	}
	clk.Advance(34 * time.Second)
	s.Kick()
	if got := statuses(rcv, id); len(got) != 2 {
		t.Fatalf("DLRs before the delay: %v", got)
	}
	clk.Advance(time.Second)
	s.Kick()
	simtest.WaitFor(t, "late received DLR", func() bool { return len(statuses(rcv, id)) == 3 })
}

// TestFaultCatalogue: every fault name parses, and the admin API switches
// faults on and off.
func TestFaultCatalogue(t *testing.T) {
	if names := wiretest.FaultNames(t, New()); len(names) != 19 {
		t.Errorf("%d faults, Modica has 19: %v", len(names), names)
	}
	for _, bad := range []string{"dlr-drop=0", "dlr-drop=2", "dlr-drop=x", "=1"} {
		if _, err := sim.ParseFault(bad); err == nil {
			t.Errorf("sim.ParseFault(%q) accepted", bad)
		}
	}
	if err := sim.CheckFaults(New(), []sim.FaultSetting{{Name: "nope", Ratio: 1}}); err == nil {
		t.Error("CheckFaults accepted an unknown fault")
	}
	s := newServer(t, testConfig())
	rec := call(t, s, "PUT", "/_sim/faults", "application/json", []byte(`[{"name":"dlr-drop","ratio":0.5},{"name":"latency-spike"}]`))
	if rec.Code != http.StatusOK || len(s.ActiveFaults()) != 2 {
		t.Fatalf("PUT faults: %d %s", rec.Code, rec.Body.String())
	}
	rec = call(t, s, "DELETE", "/_sim/faults/latency-spike", "", nil)
	if rec.Code != http.StatusOK || len(s.ActiveFaults()) != 1 {
		t.Fatalf("DELETE one fault: %d %s", rec.Code, rec.Body.String())
	}
	rec = call(t, s, "PUT", "/_sim/faults/missing-message-id", "", nil)
	if rec.Code != http.StatusOK || !slices.Contains(s.ActiveFaults(), sim.FaultSetting{Name: "missing-message-id", Ratio: 1}) {
		t.Fatalf("PUT one fault: %d %s", rec.Code, rec.Body.String())
	}
	if rec := call(t, s, "PUT", "/_sim/faults", "application/json", []byte(`[{"name":"bogus"}]`)); rec.Code != 400 {
		t.Errorf("PUT unknown fault: %d, want 400", rec.Code)
	}
	call(t, s, "DELETE", "/_sim/faults", "", nil)
	if len(s.ActiveFaults()) != 0 {
		t.Errorf("DELETE /_sim/faults left %v", s.ActiveFaults())
	}
}

// TestServerErrorBurstEndsWhenSwitchedOff: the rest of a burst of 500s used
// to reach requests made after server-error-burst was switched off.
func TestServerErrorBurstEndsWhenSwitchedOff(t *testing.T) {
	cfg := testConfig()
	cfg.Faults = []sim.FaultSetting{{Name: "server-error-burst", Ratio: 1}}
	s := newServer(t, cfg)
	if rec := call(t, s, "GET", base+"/healthz", "", nil); rec.Code != 500 {
		t.Fatalf("first request: status %d, want 500", rec.Code)
	}
	s.SetFaults([]sim.FaultSetting{{Name: "missing-security-header", Ratio: 0.0001}})
	for i := range cfg.ErrorBurst {
		if rec := call(t, s, "GET", base+"/healthz", "", nil); rec.Code != 200 {
			t.Fatalf("request %d after switching the fault off: status %d, want 200", i, rec.Code)
		}
	}
}
