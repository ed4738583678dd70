package callbacks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/spec"
)

// batchDialect is a vendor defined only here: batched status callbacks
// {"statuses": [{id, status, to}], "messages": [{id, from, type}]}, signed
// with X-Sig = hex HMAC-SHA256(secret, body), no ordering guarantee.
type batchDialect struct{}

var batchStatuses = dialect.NewStatusModel(dialect.StatusModel{
	Statuses: []dialect.Status{{Name: "sent", Rank: 1}, {Name: "delivered", Rank: 2, Final: true},
		{Name: "read", Rank: 3, Final: true}, {Name: "failed", Rank: 2, Final: true, Failure: true}},
})

func (batchDialect) Info() dialect.Info { return dialect.Info{Name: "batchy"} }
func (batchDialect) Spec() spec.Source  { return spec.Source{} }
func (batchDialect) NewAuth(dialect.Credentials, dialect.AuthEnv) (dialect.Auth, error) {
	return nil, errors.New("none")
}
func (batchDialect) Statuses() *dialect.StatusModel    { return batchStatuses }
func (batchDialect) Callbacks() dialect.CallbackModel  { return batchCallbacks{} }
func (batchDialect) RateLimit() dialect.RateLimitModel { return dialect.RateLimitModel{} }
func (batchDialect) SendRequest(*dialect.Request, *dialect.Message) error {
	return errors.New("none")
}
func (batchDialect) ReadSend(dialect.Answer) (dialect.Accepted, error) {
	return dialect.Accepted{}, errors.New("none")
}
func (batchDialect) SignatureHeader() string { return "X-Sig" }
func (batchDialect) Verify(h http.Header, body []byte, secret string, _ time.Time) error {
	got := h.Get("X-Sig")
	if got == "" {
		return &dialect.SignatureError{Code: dialect.CodeSignatureMissing, Message: "no X-Sig"}
	}
	if !hmac.Equal([]byte(got), []byte(batchSign(body, secret))) {
		return &dialect.SignatureError{Code: dialect.CodeSignatureInvalid, Message: "X-Sig does not match"}
	}
	return nil
}
func (batchDialect) Sign(body []byte, secret string, _ time.Time) string {
	return batchSign(body, secret)
}

func batchSign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

type batchCallbacks struct{}

func (batchCallbacks) Kinds() []dialect.CallbackKind {
	carries := []string{dialect.EventStatus, dialect.EventInbound}
	return []dialect.CallbackKind{{Name: "batch", Carries: carries, Signed: true}, {Name: "plain", Carries: carries}}
}
func (batchCallbacks) Classify(path string, _ http.Header, _ []byte) string {
	if path == "/plain" {
		return "plain"
	}
	return "batch"
}
func (batchCallbacks) Events(_ string, body []byte, _ any) ([]dialect.Event, error) {
	var b struct {
		Statuses []struct {
			ID, Status, To string
			Errors         []string
		}
		Messages []struct{ ID, From, Type string }
		Errors   []struct{ Title string }
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, err
	}
	var out []dialect.Event
	for i, s := range b.Statuses {
		out = append(out, dialect.Event{Type: dialect.EventStatus, MessageID: s.ID, Status: s.Status, Recipient: s.To,
			Pointer: fmt.Sprintf("/statuses/%d", i), Errors: s.Errors})
	}
	for i, m := range b.Messages {
		out = append(out, dialect.Event{Type: dialect.EventInbound, MessageID: m.ID, From: m.From, InboundType: m.Type,
			Pointer: fmt.Sprintf("/messages/%d", i)})
	}
	for _, e := range b.Errors {
		out = append(out, dialect.Event{Type: dialect.EventError, Errors: []string{e.Title}})
	}
	return out, nil
}
func (batchCallbacks) ReferenceEcho() int      { return dialect.EchoNone }
func (batchCallbacks) Ack() (int, http.Header) { return http.StatusOK, nil }

func signed(body, secret string) http.Header {
	return http.Header{"X-Sig": {batchSign([]byte(body), secret)}, "Content-Type": {"application/json"}}
}

// One POST of a batching vendor carries several events: each status goes
// to its message, the inbound message to the replies, a vendor error is
// counted.
func TestBatchIsSplitIntoEvents(t *testing.T) {
	r := NewReceiver(nil, batchDialect{}, Options{Secret: "s3cret"})
	t0 := time.Now()
	r.ExpectTo("a", "", "+15550001", t0)
	r.ExpectTo("b", "", "+15550002", t0)
	body := `{"statuses":[{"id":"a","status":"sent","to":"15550001"},{"id":"b","status":"delivered","to":"+15550002"}],
	          "messages":[{"id":"in1","from":"15559999","type":"text"}],"errors":[{"title":"oops"}]}`
	r.Ingest("/hook", signed(body, "s3cret"), []byte(body))
	if evs := r.Events("a"); len(evs) != 1 || evs[0].Status != "sent" || len(evs[0].Findings) != 0 {
		t.Errorf("a: %+v", evs)
	}
	if evs := r.Events("b"); len(evs) != 1 || evs[0].Status != "delivered" || len(evs[0].Findings) != 0 {
		t.Errorf("b: %+v", evs)
	}
	if reps := r.Replies(); len(reps) != 1 || reps[0].MessageID != "in1" || reps[0].InboundType != "text" {
		t.Errorf("replies: %+v", reps)
	}
	sum := r.Summary()
	if sum.Findings[CodeRecipientMismatch] != 0 || sum.Unknown != 0 {
		t.Errorf("summary: %+v", sum)
	}
}

// A status keeps the errors its vendor attached and the size of the batch
// that brought it, in the lean mode of load runs too; the summary counts
// POSTs, batched POSTs and the largest batch (the accounting of batched
// webhooks).
func TestBatchSizeAndStatusErrorsKept(t *testing.T) {
	for _, lean := range []bool{false, true} {
		r := NewReceiver(nil, batchDialect{}, Options{Lean: lean})
		r.ExpectTo("a", "", "", time.Now())
		r.ExpectTo("b", "", "", time.Now())
		batch := `{"statuses":[{"id":"a","status":"sent"},{"id":"b","status":"failed","errors":["131026 Message Undeliverable"]},{"id":"a","status":"delivered"}]}`
		r.Ingest("/plain", nil, []byte(batch))
		r.Ingest("/plain", nil, []byte(`{"statuses":[{"id":"a","status":"read"}]}`))
		b := r.Events("b")
		if len(b) != 1 || b[0].Batch != 3 || len(b[0].Errors) != 1 || b[0].Errors[0] != "131026 Message Undeliverable" {
			t.Errorf("lean %v: b: %+v", lean, b)
		}
		a := r.Events("a")
		if len(a) != 3 || a[0].Batch != 3 || a[2].Batch != 1 || len(a[0].Errors) != 0 {
			t.Errorf("lean %v: a: %+v", lean, a)
		}
		if sum := r.Summary(); sum.Posts != 2 || sum.BatchedPosts != 1 || sum.MaxBatch != 3 || sum.DLRTotal != 4 {
			t.Errorf("lean %v: posts %d batched %d max %d dlrs %d", lean, sum.Posts, sum.BatchedPosts, sum.MaxBatch, sum.DLRTotal)
		}
	}
}

// A finding about a whole batched POST (a bad signature) is on every event
// it carries, not only the first: each message's receipts show it.
func TestSignatureFindingOnEveryEventOfABatch(t *testing.T) {
	r := NewReceiver(nil, batchDialect{}, Options{Secret: "s3cret"})
	r.ExpectTo("a", "", "", time.Now())
	r.ExpectTo("b", "", "", time.Now())
	body := `{"statuses":[{"id":"a","status":"sent"},{"id":"b","status":"sent"}]}`
	r.Ingest("/hook", signed(body, "another"), []byte(body))
	for _, id := range []string{"a", "b"} {
		evs := r.Events(id)
		if len(evs) != 1 || len(evs[0].Findings) != 1 || evs[0].Findings[0].Code != dialect.CodeSignatureInvalid {
			t.Errorf("%s: %+v", id, evs)
		}
	}
	if n := r.Summary().SignatureFailures; n != 1 {
		t.Errorf("SignatureFailures %d, want 1 (one POST)", n)
	}
}

// A vendor without an ordering guarantee repeats and reorders lawfully:
// counted, flagged, never a finding; the last status is the furthest one.
func TestLawfulDisorderIsCountedNotAFinding(t *testing.T) {
	r := NewReceiver(nil, batchDialect{}, Options{})
	r.ExpectTo("m", "", "", time.Now())
	for _, st := range []string{"delivered", "sent", "delivered", "read"} {
		body := `{"statuses":[{"id":"m","status":"` + st + `"}]}`
		r.Ingest("/hook", nil, []byte(body))
	}
	evs := r.Events("m")
	if len(evs) != 4 || !evs[1].Disorder || !evs[2].Duplicate || evs[1].Illegal {
		t.Fatalf("events: %+v", evs)
	}
	sum := r.Summary()
	if len(sum.Findings) != 0 || sum.Illegal != 0 || sum.Duplicates != 1 || sum.Disorder != 1 || sum.Terminal != 1 {
		t.Errorf("summary: %+v", sum)
	}
}

// Signatures are verified with the secret: a missing or wrong one is a
// finding on the callback's events, which are still recorded.
func TestSignaturesAreVerified(t *testing.T) {
	r := NewReceiver(nil, batchDialect{}, Options{Secret: "s3cret"})
	r.ExpectTo("m", "", "", time.Now())
	body := `{"statuses":[{"id":"m","status":"sent"}]}`
	r.Ingest("/hook", nil, []byte(body))
	r.Ingest("/hook", signed(body, "another"), []byte(body))
	r.Ingest("/hook", signed(body, "s3cret"), []byte(body))
	evs := r.Events("m")
	if len(evs) != 3 {
		t.Fatalf("events: %+v", evs)
	}
	codes := []string{}
	for _, e := range evs {
		c := ""
		if len(e.Findings) > 0 {
			c = e.Findings[0].Code
		}
		codes = append(codes, c)
	}
	if codes[0] != dialect.CodeSignatureMissing || codes[1] != dialect.CodeSignatureInvalid || codes[2] != "" {
		t.Errorf("finding codes %q", codes)
	}
}

// Callbacks of an unsigned kind are not verified, even with a secret set
// (the on-premises format, beside its signed cloud format).
func TestUnsignedKindsAreNotVerified(t *testing.T) {
	r := NewReceiver(nil, batchDialect{}, Options{Secret: "s3cret"})
	r.ExpectTo("m", "", "", time.Now())
	r.Ingest("/plain", nil, []byte(`{"statuses":[{"id":"m","status":"sent"}]}`))
	evs := r.Events("m")
	if len(evs) != 1 || len(evs[0].Findings) != 0 {
		t.Fatalf("events: %+v", evs)
	}
	if n := r.Summary().SignatureFailures; n != 0 {
		t.Errorf("signature failures %d", n)
	}
}

// A status naming another recipient than the message was sent to is a
// finding.
func TestRecipientMismatch(t *testing.T) {
	r := NewReceiver(nil, batchDialect{}, Options{})
	r.ExpectTo("m", "", "+15550001", time.Now())
	r.Ingest("/hook", nil, []byte(`{"statuses":[{"id":"m","status":"sent","to":"15550009"}]}`))
	if evs := r.Events("m"); len(evs) != 1 || len(evs[0].Findings) != 1 || evs[0].Findings[0].Code != CodeRecipientMismatch {
		t.Errorf("events: %+v", evs)
	}
}
