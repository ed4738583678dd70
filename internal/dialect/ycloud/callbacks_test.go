package ycloud

import (
	"slices"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Payloads shaped after the examples on docs.ycloud.com ("Configure
// webhooks": a failed message; "Webhook Events & Payloads": an inbound
// text), completed with the fields the spec defines.
const (
	failedPayload = `{"id":"evt_eEVCy8eNqD9EvcFI","type":"whatsapp.message.updated","apiVersion":"v2","createTime":"2023-02-22T12:00:00.000Z",
"whatsappMessage":{"id":"63f5d602367ea403f8175a6c","wamid":"wamid.BgNODYxN...","wabaId":"whatsapp-business-account-id","from":"+16315551111",
"to":"+16315551112","type":"text","text":{"body":"hi"},"status":"failed","errorCode":"100","errorMessage":"Parameter Invalid",
"whatsappApiError":{"message":"(#100) Invalid parameter","type":"OAuthException","code":"100","error_data":{"messaging_product":"whatsapp","details":"Parameter Invalid"},"fbtrace_id":"AVGjJ7ia2zJkrHG"},
"createTime":"2023-02-22T12:00:00.000Z","updateTime":"2023-02-22T12:00:01.000Z","bizType":"whatsapp"}}`
	deliveredPayload = `{"id":"evt_eEVCy8eNqD9EvcF2","type":"whatsapp.message.updated","apiVersion":"v2","createTime":"2023-02-22T12:00:03.000Z",
"whatsappMessage":{"id":"63f5d602367ea403f8175a6d","wamid":"wamid.BgNODYxO...","wabaId":"whatsapp-business-account-id","from":"+16315551111",
"to":"+16315551112","type":"text","externalId":"order-42","status":"delivered","createTime":"2023-02-22T12:00:00.000Z",
"updateTime":"2023-02-22T12:00:03.000Z","sendTime":"2023-02-22T12:00:01.000Z","deliverTime":"2023-02-22T12:00:02.500Z",
"totalPrice":0.05,"currency":"USD","regionCode":"US","pricingCategory":"service"}}`
	inboundPayload = `{"id":"evt_eBttMrYvJhzLpzzX","type":"whatsapp.inbound_message.received","apiVersion":"v2","createTime":"2023-02-22T12:00:05.000Z",
"whatsappInboundMessage":{"id":"63f71fb8741c165b434292bb","wamid":"wamid.HBgNODYxN...","wabaId":"whatsapp-business-account-id",
"from":"+447901614024","customerProfile":{"name":"Joe"},"to":"+16315551111","sendTime":"2023-02-22T12:00:04.000Z","type":"text","text":{"body":"Hello"}}}`
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Real-shaped events validate against the errata's callbacks, classify by
// type and become the neutral events the harness correlates.
func TestEventsFromRealShapedPayloads(t *testing.T) {
	tests := []struct {
		name, body, kind string
		want             dialect.Event
	}{
		{"failed", failedPayload, EventMessageUpdated, dialect.Event{Type: dialect.EventStatus, EventID: "evt_eEVCy8eNqD9EvcFI",
			MessageID: "63f5d602367ea403f8175a6c", Status: Failed, Recipient: "+16315551112", Time: ts("2023-02-22T12:00:01Z"),
			Errors: []string{"100: Parameter Invalid", "whatsapp 100: (#100) Invalid parameter (Parameter Invalid)"}}},
		{"delivered", deliveredPayload, EventMessageUpdated, dialect.Event{Type: dialect.EventStatus, EventID: "evt_eEVCy8eNqD9EvcF2",
			MessageID: "63f5d602367ea403f8175a6d", Status: Delivered, Recipient: "+16315551112", Reference: "order-42",
			Time: ts("2023-02-22T12:00:02.5Z")}},
		{"inbound", inboundPayload, EventInboundReceived, dialect.Event{Type: dialect.EventInbound, EventID: "evt_eBttMrYvJhzLpzzX",
			MessageID: "63f71fb8741c165b434292bb", From: "+447901614024", InboundType: "text", Time: ts("2023-02-22T12:00:04Z")}},
	}
	cb := New().Callbacks()
	v := testSpec.Validator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := cb.Classify("/hook", jsonHeader(), []byte(tt.body))
			if kind != tt.kind {
				t.Fatalf("Classify = %q, want %q", kind, tt.kind)
			}
			decoded, fs := v.CallbackValue(validate.Kind(kind), jsonHeader(), []byte(tt.body))
			for _, f := range fs {
				t.Errorf("finding: %s", f)
			}
			for _, in := range []any{decoded, nil} { // from the validator's value, and from the body
				evs, err := cb.Events(kind, []byte(tt.body), in)
				if err != nil || len(evs) != 1 {
					t.Fatalf("Events = %v, %v", evs, err)
				}
				if !eventEqual(evs[0], tt.want) {
					t.Errorf("event %+v\nwant  %+v", evs[0], tt.want)
				}
			}
		})
	}
}

func eventEqual(a, b dialect.Event) bool {
	return a.Type == b.Type && a.EventID == b.EventID && a.MessageID == b.MessageID && a.Status == b.Status &&
		a.Recipient == b.Recipient && a.Reference == b.Reference && a.Time.Equal(b.Time) && a.From == b.From &&
		a.InboundType == b.InboundType && slices.Equal(a.Errors, b.Errors)
}

// The kinds are the errata's callbacks; a body of another type, or none,
// is no kind; an envelope without its payload is an error.
func TestClassifyAndBadEvents(t *testing.T) {
	cb := New().Callbacks()
	kinds := cb.Kinds()
	v := testSpec.Validator(t)
	for _, k := range kinds {
		if k.SpecCallback != k.Name || !v.HasCallback(validate.Kind(k.Name)) {
			t.Errorf("kind %+v is not a callback of the spec", k)
		}
	}
	for _, body := range []string{`{"type":"whatsapp.template.reviewed"}`, `{"id":"x"}`, `not json`, `[]`} {
		if k := cb.Classify("/", nil, []byte(body)); k != "" {
			t.Errorf("Classify(%s) = %q, want none", body, k)
		}
	}
	// Cut short after its type (the simulator's callback-malformed-body),
	// an event is of its kind; cut before, of none.
	if k := cb.Classify("/", nil, []byte(`{"id":"evt_1","type":"whatsapp.message.updated","whatsappMessage":{"id":"m","sta`)); k != EventMessageUpdated {
		t.Errorf("an event cut short after its type: Classify = %q", k)
	}
	if k := cb.Classify("/", nil, []byte(`{"id":"evt_1","ty`)); k != "" {
		t.Errorf("an event cut short before its type: Classify = %q", k)
	}
	for _, tt := range []struct{ kind, body string }{
		{EventMessageUpdated, `{"id":"evt_1","type":"whatsapp.message.updated"}`},
		{EventInboundReceived, `{"id":"evt_1","type":"whatsapp.inbound_message.received","whatsappMessage":{}}`},
		{EventMessageUpdated, `[1]`},
		{"sms.message.updated", `{}`},
	} {
		if _, err := cb.Events(tt.kind, []byte(tt.body), nil); err == nil {
			t.Errorf("Events(%s, %s) gave no error", tt.kind, tt.body)
		}
	}
	if _, err := cb.Events(EventMessageUpdated, nil, []any{}); err == nil {
		t.Error("a decoded array gave no error")
	}
	// A time that is not RFC 3339 leaves Time zero rather than guessing.
	evs, err := cb.Events(EventMessageUpdated, []byte(`{"id":"e","whatsappMessage":{"id":"m","status":"sent","sendTime":"22/02/2023 12:00"}}`), nil)
	if err != nil || !evs[0].Time.IsZero() {
		t.Errorf("non-RFC 3339 time: %+v, %v", evs, err)
	}
	if cb.ReferenceEcho() != dialect.EchoIfSent {
		t.Error("externalId is echoed when sent")
	}
	if st, h := cb.Ack(); st != 200 || len(h) != 0 {
		t.Errorf("Ack = %d %v", st, h)
	}
}
