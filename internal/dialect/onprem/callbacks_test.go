package onprem

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// batch is a real-shaped on-premises batch: statuses (one failed with
// errors[], one with conversation and pricing), an inbound text with its
// contact, and an error.
const batch = `{
 "statuses":[
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t8","status":"sent","timestamp":"1533332775","recipient_id":"16315550100"},
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t8","status":"delivered","timestamp":"1533332776","recipient_id":"16315550100",
   "conversation":{"id":"a75d17ad06104c51166f948319b03c6a","origin":{"type":"business_initiated"},"expiration_timestamp":"1533419176"},
   "pricing":{"billable":true,"pricing_model":"CBP","category":"business_initiated"}},
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t9","status":"failed","timestamp":"1533332778","recipient_id":"16315550102",
   "errors":[{"code":131026,"title":"Message Undeliverable"}]}],
 "contacts":[{"profile":{"name":"Kerry Fisher"},"wa_id":"16315551234"}],
 "messages":[{"from":"16315551234","id":"ABGGFlA5FpafAgo6tHcNmNjXmuSf","timestamp":"1518694235","type":"text","text":{"body":"Hello"}}],
 "errors":[{"code":1014,"title":"Internal error"}]}`

// cloudBatch is batch's objects in the Cloud API envelope, split over two
// changes.
func cloudBatch(t *testing.T) string {
	t.Helper()
	var b Batch
	if err := json.Unmarshal([]byte(batch), &b); err != nil {
		t.Fatal(err)
	}
	md := CloudMetadata{DisplayPhoneNumber: "16505551000", PhoneNumberID: "106540352242922"}
	first := Batch{Statuses: b.Statuses[:2]}
	second := Batch{Statuses: b.Statuses[2:], Contacts: b.Contacts, Messages: b.Messages, Errors: b.Errors}
	ev := Envelope(first, "102290129340398", md)
	ev.Entry[0].Changes = append(ev.Entry[0].Changes, Envelope(second, "", md).Entry[0].Changes[0])
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestCallbackPayloadsValid: the test payloads are real-shaped: each is
// valid against its callback in the spec with errata.
func TestCallbackPayloadsValid(t *testing.T) {
	v := testSpec.Validator(t)
	for kind, body := range map[string]string{KindOnprem: batch, KindCloud: cloudBatch(t)} {
		for _, f := range v.Callback(validate.Kind(kind), http.Header{"Content-Type": {"application/json"}}, []byte(body)) {
			t.Errorf("%s: %s", kind, f)
		}
	}
}

// TestEventsSplitABatch: one event per status, message and error, with
// the pointer of its item, in both formats.
func TestEventsSplitABatch(t *testing.T) {
	want := []dialect.Event{
		{Type: dialect.EventStatus, MessageID: "gBGGEgZHMlEfAgkM1RBkhDRr7t8", Status: "sent", Recipient: "16315550100",
			Time: time.Unix(1533332775, 0).UTC(), Pointer: "/statuses/0"},
		{Type: dialect.EventStatus, MessageID: "gBGGEgZHMlEfAgkM1RBkhDRr7t8", Status: "delivered", Recipient: "16315550100",
			Time: time.Unix(1533332776, 0).UTC(), Pointer: "/statuses/1"},
		{Type: dialect.EventStatus, MessageID: "gBGGEgZHMlEfAgkM1RBkhDRr7t9", Status: "failed", Recipient: "16315550102",
			Time: time.Unix(1533332778, 0).UTC(), Pointer: "/statuses/2", Errors: []string{"131026 Message Undeliverable"}},
		{Type: dialect.EventInbound, MessageID: "ABGGFlA5FpafAgo6tHcNmNjXmuSf", From: "16315551234", InboundType: "text",
			Time: time.Unix(1518694235, 0).UTC(), Pointer: "/messages/0"},
		{Type: dialect.EventError, Errors: []string{"1014 Internal error"}, Pointer: "/errors/0"},
	}
	cb := New().Callbacks()
	got, err := cb.Events(KindOnprem, []byte(batch), nil)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("onprem: %v\n got %+v\nwant %+v", err, got, want)
	}
	// The validator's decoded value gives the same events.
	decoded, _ := testSpec.Validator(t).CallbackValue(validate.Kind(KindOnprem), http.Header{"Content-Type": {"application/json"}}, []byte(batch))
	if got, err := cb.Events(KindOnprem, nil, decoded); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("from the decoded value: %v %+v", err, got)
	}
	cloudPtr := []string{"/entry/0/changes/0/value/statuses/0", "/entry/0/changes/0/value/statuses/1",
		"/entry/0/changes/1/value/statuses/0", "/entry/0/changes/1/value/messages/0", "/entry/0/changes/1/value/errors/0"}
	for i := range want {
		want[i].Pointer = cloudPtr[i]
	}
	got, err = cb.Events(KindCloud, []byte(cloudBatch(t)), nil)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("cloud: %v\n got %+v\nwant %+v", err, got, want)
	}
}

// TestEventsOddItems: items that are not objects, changes of other fields
// and numeric timestamps; bodies that yield nothing are errors.
func TestEventsOddItems(t *testing.T) {
	cb := New().Callbacks()
	got, err := cb.Events(KindOnprem, []byte(`{"statuses":["x",{"id":"a","status":"read","timestamp":1533332775}]}`), nil)
	if err != nil || len(got) != 2 || got[0].Type != dialect.EventOther || got[0].Pointer != "/statuses/0" ||
		got[1].Time.Unix() != 1533332775 {
		t.Errorf("odd onprem: %v %+v", err, got)
	}
	got, err = cb.Events(KindCloud, []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}`), nil)
	if err != nil || len(got) != 1 || got[0].Type != dialect.EventOther || got[0].Pointer != "/entry/0/changes/0" {
		t.Errorf("other field: %v %+v", err, got)
	}
	for kind, body := range map[string]string{KindOnprem: `[1]`, KindCloud: `{"object":"whatsapp_business_account"}`, "status": `{}`} {
		if _, err := cb.Events(kind, []byte(body), nil); err == nil {
			t.Errorf("%s %s: no error", kind, body)
		}
	}
	if _, err := cb.Events(KindOnprem, []byte(`{"statuses":[{"id":`), nil); err == nil {
		t.Error("truncated body: no error")
	}
}

// TestClassify: by the body's shape, even when it does not parse.
func TestClassify(t *testing.T) {
	cb := New().Callbacks()
	signed := http.Header{"X-Hub-Signature-256": {"sha256=00"}}
	for _, tc := range []struct {
		h    http.Header
		body string
		want string
	}{
		{nil, batch, KindOnprem},
		{nil, `{}`, KindOnprem},
		{nil, cloudBatch(t), KindCloud},
		{nil, cloudBatch(t)[:40], KindCloud},
		{signed, `{"entry":[`, KindCloud},
		{nil, `{"statuses":[{"id":`, KindOnprem},
		{nil, `[1,2]`, ""},
		{nil, `hello`, ""},
		{nil, ``, ""},
	} {
		if got := cb.Classify("/hook", tc.h, []byte(tc.body)); got != tc.want {
			t.Errorf("Classify(%.40q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestKindsNameTheOverlayCallbacks: each kind's spec callback is declared
// (the validator compiled it).
func TestKindsNameTheOverlayCallbacks(t *testing.T) {
	for _, k := range New().Callbacks().Kinds() {
		if !testSpec.Validator(t).HasCallback(validate.Kind(k.Name)) {
			t.Errorf("kind %s: spec callback %q not found", k.Name, k.SpecCallback)
		}
	}
	if st, h := New().Callbacks().Ack(); st != 200 || len(h) != 0 {
		t.Errorf("Ack %d %v", st, h)
	}
	if !strings.Contains(cloudBatch(t), `"messaging_product":"whatsapp"`) {
		t.Error("envelope lacks messaging_product")
	}
}
