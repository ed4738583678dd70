package ycloudsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// checkHooks validates every webhook received against the spec's
// callback of its kind (zero findings), verifies its signature with
// secret and checks X-Webhook-Endpoint-ID.
func checkHooks(t *testing.T, rcv *simtest.Receiver, endpointID, secret string) {
	t.Helper()
	_, v := testSpec.Get(t)
	d := ycloud.New()
	for _, h := range rcv.All() {
		kind := d.Callbacks().Classify("/", h.Header, h.Body)
		if kind == "" {
			t.Errorf("unclassified webhook %s", h.Body)
			continue
		}
		for _, f := range v.Callback(validate.Kind(kind), h.Header, h.Body) {
			t.Errorf("%s: %s\nbody: %s", kind, f, h.Body)
		}
		if err := d.Verify(h.Header, h.Body, secret, h.At); err != nil {
			t.Errorf("signature of %s: %v (header %q)", h.Body, err, h.Header.Get("YCloud-Signature"))
		}
		if got := h.Header.Get("X-Webhook-Endpoint-ID"); got != endpointID {
			t.Errorf("X-Webhook-Endpoint-ID %q, want %q", got, endpointID)
		}
	}
}

// Each path (magic numbers) posts its events in order (disorder off),
// GET reports the last status with its time fields, failed events carry
// the reason, and every event is valid and signed.
func TestLifecyclePaths(t *testing.T) {
	tests := []struct {
		to    string
		want  []string
		final string
	}{
		{ycloud.SimRecipient, []string{"sent", "delivered"}, "delivered"},
		{MagicFailed, []string{"failed"}, "failed"},
		{MagicSentFailed, []string{"sent", "failed"}, "failed"},
		{MagicStaysSent, []string{"sent"}, "sent"},
		{MagicDeliveredFailed, []string{"sent", "delivered", "failed"}, "failed"},
		{MagicRead, []string{"sent", "delivered", "read"}, "read"},
		{MagicRefused, []string{"failed"}, "failed"},
	}
	rcv := simtest.NewReceiver(t)
	s, _ := newServer(t, testConfig())
	epID, secret := register(t, s, rcv.URL+"/hook")
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			id := send(t, s, tt.to, "ref-"+tt.to[1:])
			simtest.WaitFor(t, "events of "+tt.to, func() bool { return len(statuses(rcv, id)) >= len(tt.want) })
			drained(t, s)
			if got := statuses(rcv, id); !slices.Equal(got, tt.want) {
				t.Errorf("events %v, want %v", got, tt.want)
			}
			m := retrieve(t, s, id)
			if m["status"] != tt.final {
				t.Errorf("GET status %v, want %s", m["status"], tt.final)
			}
			// What a harness takes as the latest event is what GET reports.
			if l, _ := ycloud.New().Statuses().Latest(statuses(rcv, id)); l.Name != tt.final {
				t.Errorf("latest event %s, GET %s", l.Name, tt.final)
			}
			for _, st := range tt.want {
				field := map[string]string{"sent": "sendTime", "delivered": "deliverTime", "read": "readTime"}[st]
				if _, ok := m[field]; field != "" && !ok {
					t.Errorf("GET lacks %s: %v", field, m)
				}
			}
			if tt.final == "failed" && (m["errorCode"] == nil || m["whatsappApiError"] == nil) {
				t.Errorf("a failed message without errorCode and whatsappApiError: %v", m)
			}
		})
	}
	checkHooks(t, rcv, epID, secret)
	for _, e := range events(rcv) {
		if !strings.HasPrefix(e.Reference, "ref-") || e.Recipient != "+"+e.Reference[4:] || e.Time.IsZero() || e.EventID == "" {
			t.Errorf("event %+v: reference, recipient, time or id missing", e)
		}
		if e.Status == ycloud.Failed && len(e.Errors) != 2 {
			t.Errorf("failed event without its errors: %+v", e)
		}
	}
}

// sendDirectly answers with a wamid; the message walks as an enqueued one.
func TestSendDirectly(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	s, _ := newServer(t, testConfig())
	register(t, s, rcv.URL)
	rec := call(t, s, "POST", base+"/whatsapp/messages/sendDirectly", textBody(MagicRead, ""))
	var m struct{ ID, Wamid, Status string }
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || rec.Code != 200 || m.Wamid != "wamid."+m.ID || m.Status != "accepted" {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	simtest.WaitFor(t, "read", func() bool { return slices.Contains(statuses(rcv, m.ID), "read") })
}

// The admin API injects a customer message of every type the spec's
// WhatsappInboundMessageType has; each event is valid and signed, and the
// message can be marked read.
func TestInboundEveryType(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	s, w := newServer(t, testConfig())
	epID, secret := register(t, s, rcv.URL)
	if len(w.inboundTypes) != 15 {
		t.Fatalf("inbound types %v", w.inboundTypes)
	}
	ids := map[string]string{}
	for _, typ := range w.inboundTypes {
		rec := call(t, s, "POST", "/_sim/reply", `{"type":"`+typ+`"}`)
		var out struct{ ID string }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusAccepted {
			t.Fatalf("%s: %d %s", typ, rec.Code, rec.Body.String())
		}
		ids[out.ID] = typ
	}
	simtest.WaitFor(t, "inbound events", func() bool { return len(rcv.All()) == len(ids) })
	checkHooks(t, rcv, epID, secret)
	for _, e := range events(rcv) {
		if e.Type != dialect.EventInbound || ids[e.MessageID] != e.InboundType || e.From != ycloud.SimRecipient {
			t.Errorf("event %+v", e)
		}
	}
	for id := range ids {
		rec := call(t, s, "POST", base+"/whatsapp/inboundMessages/"+id+"/markAsRead", "")
		if rec.Code != 200 {
			t.Fatalf("mark %s read: %d %s", id, rec.Code, rec.Body.String())
		}
	}
	if rec := call(t, s, "POST", "/_sim/reply", `{"type":"poll"}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), "request_welcome") {
		t.Errorf("unknown inbound type: %d %s", rec.Code, rec.Body.String())
	}
	// The business reading a customer's message posts no status event.
	drained(t, s)
	for _, e := range events(rcv) {
		if e.Type == dialect.EventStatus {
			t.Errorf("status event for an inbound message: %+v", e)
		}
	}
}
