package ycloudsim

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// faultRun is a message sent with one fault on at ratio 1, its events
// received and the queue drained.
type faultRun struct {
	s      *sim.Server
	rcv    *simtest.Receiver
	id     string
	secret string
}

func runWithFault(t *testing.T, fault string, wantHooks int) faultRun {
	t.Helper()
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	s, _ := newServer(t, cfg)
	_, secret := register(t, s, rcv.URL) // before the fault: the registration answer is clean
	s.SetFaults([]sim.FaultSetting{{Name: fault, Ratio: 1}})
	id := send(t, s, ycloud.SimRecipient, "ref-1")
	simtest.WaitFor(t, "events", func() bool { return len(rcv.All()) >= wantHooks })
	drained(t, s)
	if n := len(rcv.All()); n != wantHooks {
		t.Fatalf("%d webhooks, want %d", n, wantHooks)
	}
	return faultRun{s: s, rcv: rcv, id: id, secret: secret}
}

// fired asserts that fault fired.
func fired(t *testing.T, s *sim.Server, fault string) {
	t.Helper()
	if got := s.Stats().FaultsFired[fault]; got == 0 {
		t.Errorf("fault %s not counted as fired", fault)
	}
}

// callbackFindings validates a webhook as a whatsapp.message.updated.
func callbackFindings(t *testing.T, h simtest.Post) []validate.Finding {
	_, v := testSpec.Get(t)
	return v.Callback(ycloud.EventMessageUpdated, h.Header, h.Body)
}

func hasFinding(fs []validate.Finding, code, pointer string) bool {
	return slices.ContainsFunc(fs, func(f validate.Finding) bool {
		return f.Code == code && (pointer == "" || f.Pointer == pointer)
	})
}

// Each event fault at ratio 1 shows the defect it simulates, as the
// dialect and the validator see it.
func TestEventFaults(t *testing.T) {
	d := ycloud.New()
	sigCode := func(r faultRun, h simtest.Post) string {
		var se *dialect.SignatureError
		if err := d.Verify(h.Header, h.Body, r.secret, h.At); errors.As(err, &se) {
			return se.Code
		}
		return ""
	}
	tests := []struct {
		fault string
		hooks int
		check func(t *testing.T, r faultRun, h simtest.Post)
	}{
		{"bad-signature", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			if c := sigCode(r, h); c != dialect.CodeSignatureInvalid {
				t.Errorf("signature %q, want invalid", c)
			}
		}},
		{"missing-signature", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			if c := sigCode(r, h); c != dialect.CodeSignatureMissing {
				t.Errorf("signature %q, want missing", c)
			}
		}},
		{"stale-signature", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			if c := sigCode(r, h); c != dialect.CodeSignatureStale {
				t.Errorf("signature %q, want stale", c)
			}
		}},
		{"wrong-event-type", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			if k := d.Callbacks().Classify("/", h.Header, h.Body); k != "" {
				t.Errorf("classified as %q", k)
			}
			if !hasFinding(callbackFindings(t, h), validate.CodeBodySchema, "/type") {
				t.Errorf("no finding on /type: %s", h.Body)
			}
		}},
		{"unknown-status", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			evs, _ := d.Callbacks().Events(ycloud.EventMessageUpdated, h.Body, nil)
			if len(evs) != 1 || d.Statuses().Known(evs[0].Status) {
				t.Errorf("events %+v", evs)
			}
			if !hasFinding(callbackFindings(t, h), validate.CodeBodySchema, "/whatsappMessage/status") {
				t.Errorf("no finding on the status: %s", h.Body)
			}
		}},
		{"wrong-to", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			evs, _ := d.Callbacks().Events(ycloud.EventMessageUpdated, h.Body, nil)
			if len(evs) != 1 || evs[0].Recipient == ycloud.SimRecipient || evs[0].MessageID != r.id {
				t.Errorf("events %+v", evs)
			}
		}},
		{"non-rfc3339-times", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			if !hasFinding(callbackFindings(t, h), validate.CodeBodySchema, "/createTime") {
				t.Errorf("no finding on createTime: %s", h.Body)
			}
		}},
		{"dlr-unknown-id", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			evs, _ := d.Callbacks().Events(ycloud.EventMessageUpdated, h.Body, nil)
			if len(evs) != 1 || evs[0].MessageID == r.id {
				t.Errorf("events %+v", evs)
			}
		}},
		{"callback-malformed-body", 2, func(t *testing.T, r faultRun, h simtest.Post) {
			if !hasFinding(callbackFindings(t, h), validate.CodeBodyNotJSON, "") {
				t.Errorf("body %s is JSON", h.Body)
			}
		}},
		{"no-events", 0, nil},
		{"dlr-drop", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			r := runWithFault(t, tt.fault, tt.hooks)
			for _, h := range r.rcv.All() {
				tt.check(t, r, h)
			}
			if st := retrieve(t, r.s, r.id)["status"]; st != "delivered" {
				t.Errorf("the message is %v, want delivered", st)
			}
			fired(t, r.s, tt.fault)
		})
	}
}

// Each answer fault shows its defect.
func TestAnswerFaults(t *testing.T) {
	d := ycloud.New()
	t.Run("stale-retrieve", func(t *testing.T) {
		r := runWithFault(t, "stale-retrieve", 2)
		if got := statuses(r.rcv, r.id); !slices.Equal(got, []string{"sent", "delivered"}) {
			t.Fatalf("events %v", got)
		}
		rec := call(t, r.s, "GET", base+"/whatsapp/messages/"+r.id, "")
		got, err := d.ReadRetrieve(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
		if err != nil || got.Status != ycloud.Accepted {
			t.Errorf("retrieve %+v, %v: want accepted, behind the delivered event", got, err)
		}
		fired(t, r.s, "stale-retrieve")
	})
	for _, tt := range []struct {
		fault, method, path, body string
		want                      func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool
	}{
		{"missing-id", "POST", "/whatsapp/messages", textBody("+16315550102", ""), func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool {
			_, err := d.ReadSend(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
			return err != nil && strings.Contains(err.Error(), "no id") && hasFinding(fs, validate.CodeBodySchema, "")
		}},
		{"missing-id", "POST", "/whatsapp/messages/sendDirectly", textBody("+16315550102", ""), func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool {
			return !strings.Contains(rec.Body.String(), `"id"`) && hasFinding(fs, validate.CodeBodySchema, "")
		}},
		{"unwrapped-error-body", "POST", "/whatsapp/messages", `{"from":1}`, func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool {
			return rec.Code == 400 && strings.HasPrefix(rec.Body.String(), `{"status":400`) && hasFinding(fs, validate.CodeBodySchema, "")
		}},
		{"unwrapped-error-body", "GET", "/whatsapp/messages/0", "", func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool {
			return rec.Code == 404 && hasFinding(fs, validate.CodeBodySchema, "")
		}},
		{"non-rfc3339-times", "POST", "/whatsapp/messages", textBody("+16315550102", ""), func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool {
			return hasFinding(fs, validate.CodeBodySchema, "/createTime")
		}},
		{"server-error-burst", "GET", "/webhookEndpoints", "", func(rec *httptest.ResponseRecorder, fs []validate.Finding) bool {
			return rec.Code == 500 && hasFinding(fs, validate.CodeStatusUndeclared, "")
		}},
	} {
		t.Run(tt.fault+" "+tt.path, func(t *testing.T) {
			cfg := testConfig()
			cfg.Faults = []sim.FaultSetting{{Name: tt.fault, Ratio: 1}}
			s, _ := newServer(t, cfg)
			rec := call(t, s, tt.method, base+tt.path, tt.body)
			fs := testSpec.ResponseFindings(t, tt.method, base+tt.path, rec)
			if !tt.want(rec, fs) {
				t.Errorf("%d %s: findings %v", rec.Code, rec.Body.String(), fs)
			}
			fired(t, s, tt.fault)
		})
	}
}

// The catalogue: the core faults that are defects for YCloud (not the
// lawful duplicates, reversals and early reads), then the wire's own,
// each described; all switch on through the admin API.
func TestFaultCatalogue(t *testing.T) {
	names := wiretest.FaultNames(t, New(), "dlr-duplicate", "dlr-out-of-order", "dlr-illegal-transition")
	if missing := wiretest.Lacks(names, []string{"bad-signature", "missing-signature", "wrong-event-type", "unknown-status", "dlr-unknown-id",
		"wrong-to", "stale-retrieve", "missing-id", "unwrapped-error-body", "non-rfc3339-times", "no-events"}); len(missing) > 0 {
		t.Errorf("catalogue lacks %v", missing)
	}
	if len(names) != 17 {
		t.Errorf("%d faults: %v", len(names), names)
	}
	s, _ := newServer(t, testConfig())
	rec := call(t, s, "PUT", "/_sim/faults/wrong-to", "")
	if rec.Code != http.StatusOK || len(s.ActiveFaults()) != 1 {
		t.Errorf("PUT fault: %d %s", rec.Code, rec.Body.String())
	}
}
