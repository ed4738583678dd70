package onpremsim

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// TestCatalogue: the wire's faults and the core faults that are defects
// here; the lawful ones are not in it.
func TestCatalogue(t *testing.T) {
	names := wiretest.FaultNames(t, New(), "dlr-duplicate", "dlr-out-of-order", "dlr-illegal-transition")
	if missing := wiretest.Lacks(names, []string{"webhook-unsigned", "webhook-bad-signature", "batch-malformed-item", "failed-without-errors",
		"wrong-recipient-id", "token-accepted-after-expiry", "throughput-error-body-missing", "unknown-status-value",
		"dlr-drop", "dlr-late", "dlr-unknown-id", "callback-malformed-body", "server-error-burst", "latency-spike"}); len(missing) > 0 {
		t.Errorf("catalogue lacks %v", missing)
	}
}

// faultRun sends one message to `to` with fault on in format and returns
// the receiver once the message's walk is over and its POSTs are in.
func faultRun(t *testing.T, fault, format, to string) (*simulator, *simtest.Receiver, string) {
	t.Helper()
	rcv := simtest.NewReceiver(t)
	cfg := formatConfig(format, rcv)
	cfg.Faults = []sim.FaultSetting{{Name: fault, Ratio: 1}}
	sm := newSim(t, cfg)
	id := sm.send(t, to)
	simtest.WaitFor(t, "the walk's end", func() bool { return sm.State(sm.Get(mustID(t, sm, id))).Finished })
	simtest.WaitFor(t, "the POSTs", func() bool { return sm.Stats().Callbacks.Delivery.Delivered >= 1 })
	drained(t, sm.Server)
	if sm.Stats().FaultsFired[fault] == 0 {
		t.Errorf("fault %s never fired", fault)
	}
	return sm, rcv, id
}

// findings validates every POST as kind and returns "code pointer" pairs.
func findings(t *testing.T, rcv *simtest.Receiver, kind string) []string {
	t.Helper()
	_, v := testSpec.Get(t)
	var out []string
	for _, p := range rcv.All() {
		for _, f := range v.Callback(validate.Kind(kind), p.Header, p.Body) {
			out = append(out, f.Code+" "+f.Pointer)
		}
	}
	return out
}

// TestSignatureFaults: unsigned and wrongly signed cloud webhooks fail
// verification with the right code.
func TestSignatureFaults(t *testing.T) {
	for fault, code := range map[string]string{"webhook-unsigned": dialect.CodeSignatureMissing, "webhook-bad-signature": dialect.CodeSignatureInvalid} {
		t.Run(fault, func(t *testing.T) {
			_, rcv, _ := faultRun(t, fault, onprem.KindCloud, "+16315550100")
			for _, p := range rcv.All() {
				var se *dialect.SignatureError
				if err := onprem.New().Verify(p.Header, p.Body, testSecret, time.Now()); !errors.As(err, &se) || se.Code != code {
					t.Errorf("verify: %v, want %s", err, code)
				}
			}
			if fs := findings(t, rcv, onprem.KindCloud); len(fs) != 0 {
				t.Errorf("the body itself is fine, but: %v", fs)
			}
		})
	}
}

// TestItemFaults: each fault of a status item shows in the webhook as the
// defect it is (a schema finding at the item, or an event the harness
// can tell is wrong).
func TestItemFaults(t *testing.T) {
	for _, tc := range []struct {
		fault, to string
		check     func(t *testing.T, sm *simulator, rcv *simtest.Receiver, id string)
	}{
		{"batch-malformed-item", "+16315550100", func(t *testing.T, _ *simulator, rcv *simtest.Receiver, _ string) {
			fs := findings(t, rcv, onprem.KindOnprem)
			if !slices.ContainsFunc(fs, func(f string) bool { return strings.HasPrefix(f, "body-schema /statuses/") }) {
				t.Errorf("findings %v lack a body-schema finding at a status item", fs)
			}
		}},
		{"unknown-status-value", "+16315550100", func(t *testing.T, _ *simulator, rcv *simtest.Receiver, _ string) {
			if fs := findings(t, rcv, onprem.KindOnprem); !slices.Contains(fs, "body-schema /statuses/0/status") {
				t.Errorf("findings %v lack the status enum", fs)
			}
		}},
		{"failed-without-errors", MagicUndeliverable, func(t *testing.T, _ *simulator, rcv *simtest.Receiver, id string) {
			for _, e := range events(t, rcv, onprem.KindOnprem) {
				if e.MessageID == id && e.Status == onprem.Failed && len(e.Errors) != 0 {
					t.Errorf("failed status with errors %v", e.Errors)
				}
			}
			if got := statuses(t, rcv, onprem.KindOnprem, id); !slices.Contains(got, onprem.Failed) {
				t.Errorf("no failed status: %v", got)
			}
		}},
		{"wrong-recipient-id", "+16315550100", func(t *testing.T, _ *simulator, rcv *simtest.Receiver, id string) {
			for _, e := range events(t, rcv, onprem.KindOnprem) {
				if e.MessageID == id && e.Recipient == "16315550100" {
					t.Errorf("status %s names the right recipient", e.Status)
				}
			}
		}},
		{"dlr-unknown-id", "+16315550100", func(t *testing.T, sm *simulator, rcv *simtest.Receiver, id string) {
			evs := events(t, rcv, onprem.KindOnprem)
			if len(evs) == 0 {
				t.Fatal("no statuses")
			}
			for _, e := range evs {
				if e.MessageID == id {
					t.Errorf("a status with the issued id")
				}
				if mid, ok := sm.w.ParseID(e.MessageID); ok && sm.Get(mid) != nil {
					t.Errorf("status id %s is a known message", e.MessageID)
				}
			}
		}},
		{"dlr-drop", "+16315550100", func(t *testing.T, _ *simulator, rcv *simtest.Receiver, _ string) {
			if n := len(rcv.All()); n != 0 {
				t.Errorf("%d POSTs, want none", n)
			}
		}},
		{"callback-malformed-body", "+16315550100", func(t *testing.T, _ *simulator, rcv *simtest.Receiver, _ string) {
			fs := findings(t, rcv, onprem.KindOnprem)
			if len(fs) == 0 || !strings.HasPrefix(fs[0], "body-not-json") {
				t.Errorf("findings %v, want body-not-json", fs)
			}
		}},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			if tc.fault == "dlr-drop" {
				dropRun(t, tc.check)
				return
			}
			sm, rcv, id := faultRun(t, tc.fault, onprem.KindOnprem, tc.to)
			tc.check(t, sm, rcv, id)
		})
	}
}

// dropRun is faultRun for dlr-drop, where no POST ever comes.
func dropRun(t *testing.T, check func(*testing.T, *simulator, *simtest.Receiver, string)) {
	rcv := simtest.NewReceiver(t)
	cfg := formatConfig(onprem.KindOnprem, rcv)
	cfg.Faults = []sim.FaultSetting{{Name: "dlr-drop", Ratio: 1}}
	sm := newSim(t, cfg)
	id := sm.send(t, "+16315550100")
	simtest.WaitFor(t, "the walk's end", func() bool { return sm.State(sm.Get(mustID(t, sm, id))).Finished })
	simtest.WaitFor(t, "both drops", func() bool { return sm.Stats().FaultsFired["dlr-drop"] == 2 })
	check(t, sm, rcv, id)
}

// TestTokenAcceptedAfterExpiry: the fault lets an expired token through.
func TestTokenAcceptedAfterExpiry(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Options[OptTokenTTL] = "1m"
	sm := newSim(t, cfg)
	clk.Advance(time.Minute)
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 401 {
		t.Fatalf("without the fault: %d", rec.Code)
	}
	sm.SetFaults([]sim.FaultSetting{{Name: "token-accepted-after-expiry", Ratio: 1}})
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 200 {
		t.Errorf("with the fault: %d", rec.Code)
	}
	if rec := simtest.Serve(sm.Server, bearer("never-issued")); rec.Code != 401 {
		t.Errorf("a token never issued: %d", rec.Code)
	}
}

func bearer(tok string) *http.Request {
	req, _ := http.NewRequest("GET", "/v1/health", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	return req
}

// TestThroughputErrorBodyMissing: the 130429 answer lacks errors[]; the
// spec check sees it.
func TestThroughputErrorBodyMissing(t *testing.T) {
	cfg := testConfig()
	cfg.Options[OptThroughput] = "1"
	cfg.Faults = []sim.FaultSetting{{Name: "throughput-error-body-missing", Ratio: 1}}
	sm := newSim(t, cfg)
	sendTo(sm, "16315550100")
	rec := sm.call("POST", "/v1/messages", "application/json", strings.Replace(textTo, "%s", "16315550101", 1))
	if rec.Code != 400 || onprem.HasCode(rec.Body.Bytes(), onprem.CodeThroughput) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	_, v := testSpec.Get(t)
	fs := v.Response("POST", "/v1/messages", rec.Code, rec.Header(), rec.Body.Bytes())
	if len(fs) == 0 {
		t.Error("the spec check accepts a 400 without errors[]")
	}
}

// TestServerErrorBurst: the core's 500s come in Meta's error shape.
func TestServerErrorBurst(t *testing.T) {
	sm := newSim(t, testConfig())
	sm.SetFaults([]sim.FaultSetting{{Name: "server-error-burst", Ratio: 1}})
	rec := sm.call("GET", "/v1/health", "", "")
	if rec.Code != 500 || !onprem.HasCode(rec.Body.Bytes(), onprem.CodeInternal) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "GET", "/v1/health", rec)
}

// TestDLRLate: the final status is held back until the clock passes
// LateDLRDelay.
func TestDLRLate(t *testing.T) {
	clk := simtest.NewClock()
	rcv := simtest.NewReceiver(t)
	cfg := formatConfig(onprem.KindOnprem, rcv)
	cfg.Now, cfg.LateDLRDelay = clk.Now, time.Minute
	cfg.Faults = []sim.FaultSetting{{Name: "dlr-late", Ratio: 1}}
	sm := newSim(t, cfg)
	id := sm.send(t, "+16315550100")
	sm.Kick()
	simtest.WaitFor(t, "sent", func() bool { return len(statuses(t, rcv, onprem.KindOnprem, id)) == 1 })
	if got := statuses(t, rcv, onprem.KindOnprem, id); !slices.Equal(got, []string{"sent"}) {
		t.Fatalf("before the delay: %v", got)
	}
	clk.Advance(time.Minute)
	sm.Kick()
	simtest.WaitFor(t, "the late delivered", func() bool { return len(statuses(t, rcv, onprem.KindOnprem, id)) == 2 })
}

// TestLatencySpikeFires: the wire applies the core's request faults to
// the operations it routes (the core tests the delay itself).
func TestLatencySpikeFires(t *testing.T) {
	cfg := testConfig()
	cfg.LatencySpike = time.Millisecond
	sm := newSim(t, cfg)
	sm.SetFaults([]sim.FaultSetting{{Name: "latency-spike", Ratio: 1}})
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 200 {
		t.Fatalf("health: %d", rec.Code)
	}
	if n := sm.Stats().FaultsFired["latency-spike"]; n != 1 {
		t.Errorf("latency-spike fired %d times, want 1", n)
	}
}
