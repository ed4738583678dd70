package steps

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud/ycloudsim"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// signedEnv is an Env of a vendor that signs its callbacks (YCloud), whose
// receiver verifies them with secret ("" for none).
func signedEnv(t *testing.T, secret string) *Env {
	t.Helper()
	d := ycloud.New()
	ycloudOnce.Do(func() {
		ycloudDoc = ycloud.MustDoc()
		ycloudV, ycloudErr = validate.New(ycloudDoc, validate.Callbacks(d.Callbacks().Kinds()))
	})
	if ycloudErr != nil {
		t.Fatal(ycloudErr)
	}
	doc, v := ycloudDoc, ycloudV
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &Env{Dialect: d, Auth: dialect.NewHeaderKeyAuth(ycloud.HeaderAPIKey, "k"), BaseURL: "http://127.0.0.1:1/v2",
		To: []string{"+16315550100"}, Client: http.DefaultClient, Doc: doc, Validator: v, DLRTimeout: time.Second,
		Receiver: callbacks.NewReceiver(v, d, callbacks.Options{Secret: secret, Now: func() time.Time { return now }}),
		Now:      func() time.Time { return now }}
}

var (
	ycloudOnce sync.Once
	ycloudDoc  *spec.Doc
	ycloudV    *validate.Validator
	ycloudErr  error
)

const testMsgID = "0123456789abcdef0123456789abcdef"

// event is a whatsapp.message.updated event of testMsgID at status st.
func event(st, to string) []byte {
	return []byte(`{"id":"evt_` + st + `","type":"whatsapp.message.updated","apiVersion":"v2","createTime":"2026-03-01T12:00:00.000Z",` +
		`"whatsappMessage":{"id":"` + testMsgID + `","wabaId":"w","from":"+16315551111","to":"` + to + `","type":"text",` +
		`"status":"` + st + `","createTime":"2026-03-01T12:00:00.000Z","updateTime":"2026-03-01T12:00:00.000Z","bizType":"whatsapp"}}`)
}

func ingest(e *Env, secret string, body []byte) {
	var h http.Header
	if secret != "" {
		h = http.Header{}
		h.Set(ycloud.HeaderSignature, e.Dialect.(dialect.Verifier).Sign(body, secret, e.Now()))
	}
	e.Receiver.Ingest("/", h, body)
}

// Signed receipts pass; one signed with another secret fails the step and
// carries the signature-invalid finding the fault scenarios look for; with
// no secret to verify with, or a vendor that signs nothing, the step skips.
func TestReceiptsSigned(t *testing.T) {
	e := signedEnv(t, "whsec_good")
	s := New(e)
	s.expectMessage(testMsgID, "", "+16315550100")
	ingest(e, "whsec_good", event("sent", "+16315550100"))
	if err := s.receiptsSigned(); err != nil {
		t.Errorf("signed receipts: %v", err)
	}
	if err := s.receiptsHaveFinding(dialect.CodeSignatureInvalid); err == nil {
		t.Error("a well-signed receipt has the finding signature-invalid")
	}
	ingest(e, "whsec_other", event("delivered", "+16315550100"))
	if err := s.receiptsSigned(); err == nil || !strings.Contains(err.Error(), dialect.CodeSignatureInvalid) {
		t.Errorf("a receipt signed with another secret: %v", err)
	}
	for _, env := range []*Env{signedEnv(t, ""), testEnv(t)} {
		s := New(env)
		s.expectMessage(testMsgID, "", "+16315550100")
		ingest(env, "", event("sent", "+16315550100"))
		if err := s.receiptsSigned(); !errors.Is(err, godog.ErrSkip) {
			t.Errorf("%s without a secret: %v, want a skip", env.Dialect.Info().Name, err)
		}
	}
}

// Every receipt must have the finding for the step to pass.
func TestReceiptsHaveFinding(t *testing.T) {
	e := signedEnv(t, "whsec_good")
	s := New(e)
	s.expectMessage(testMsgID, "", "+16315550100")
	ingest(e, "", event("sent", "+16315550100"))
	if err := s.receiptsHaveFinding(dialect.CodeSignatureMissing); err != nil {
		t.Errorf("unsigned receipt: %v", err)
	}
	ingest(e, "whsec_good", event("delivered", "+16315550100"))
	if err := s.receiptsHaveFinding(dialect.CodeSignatureMissing); err == nil {
		t.Error("one receipt without the finding passed")
	}
}

// A retrieve behind the receipts fails; level or ahead passes (a receipt
// may still be on its way); failed outranks delivered, as YCloud reports.
func TestRetrievedNotBehind(t *testing.T) {
	for _, tc := range []struct {
		receipts []string
		got      string
		ok       bool
	}{
		{[]string{"sent", "delivered"}, "delivered", true},
		{[]string{"sent", "delivered"}, "read", true},
		{[]string{"sent", "delivered"}, "accepted", false},
		{[]string{"delivered", "sent"}, "sent", false},
		{[]string{"delivered", "failed"}, "failed", true},
		{[]string{"delivered", "failed"}, "delivered", false},
		{nil, "accepted", true},
	} {
		e := signedEnv(t, "")
		s := New(e)
		s.expectMessage(testMsgID, "", "+16315550100")
		for _, st := range tc.receipts {
			ingest(e, "", event(st, "+16315550100"))
		}
		s.last = &response{method: "GET", path: "/whatsapp/messages/x", status: 200,
			body: []byte(`{"id":"` + testMsgID + `","to":"+16315550100","status":"` + tc.got + `"}`)}
		if err := s.retrievedNotBehind(); (err == nil) != tc.ok {
			t.Errorf("receipts %v, retrieve %s: %v, want ok %v", tc.receipts, tc.got, err, tc.ok)
		}
	}
}

// Disorder and duplicates are flagged on the receipts (the scenario that
// forces them asserts they were seen, and that nothing failed).
func TestSomeDuplicateAndDisorder(t *testing.T) {
	e := signedEnv(t, "")
	s := New(e)
	s.expectMessage(testMsgID, "", "+16315550100")
	ingest(e, "", event("delivered", "+16315550100"))
	if s.someDuplicate() == nil || s.someDisorder() == nil {
		t.Error("flags seen on a single receipt")
	}
	ingest(e, "", event("sent", "+16315550100"))
	ingest(e, "", event("sent", "+16315550100"))
	if err := s.someDuplicate(); err != nil {
		t.Error(err)
	}
	if err := s.someDisorder(); err != nil {
		t.Error(err)
	}
	if err := s.receiptsLegal(); err != nil {
		t.Errorf("lawful disorder failed the order step: %v", err)
	}
}

// A kept field is a placeholder; 429 answers' fields are checked one by
// one; a field matches a regular expression.
func TestKeepMatchAnd429Field(t *testing.T) {
	s := New(testEnv(t))
	s.last = &response{method: "POST", path: "/x", status: 200, body: []byte(`{"id":"wh123","n":7,"o":{}}`)}
	if err := s.keepField("id", "endpoint"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.expand("/webhookEndpoints/{{endpoint}}"); err != nil || got != "/webhookEndpoints/wh123" {
		t.Errorf("expand: %q, %v", got, err)
	}
	if err := s.keepField("o", "x"); err == nil {
		t.Error("kept an object")
	}
	if err := s.fieldMatchesRegexp("id", `^wh[0-9]+$`); err != nil {
		t.Error(err)
	}
	if err := s.fieldMatchesRegexp("id", `^whsec_`); err == nil {
		t.Error("a non-matching field passed")
	}
	s.burst = []*response{{status: 200}, {status: 429, body: []byte(`{"error":{"code":"TOO_MANY_REQUESTS"}}`)}}
	if err := s.every429Field("error.code", "TOO_MANY_REQUESTS"); err != nil {
		t.Error(err)
	}
	s.burst = append(s.burst, &response{status: 429, body: []byte(`{"code":"TOO_MANY_REQUESTS"}`)})
	if err := s.every429Field("error.code", "TOO_MANY_REQUESTS"); err == nil {
		t.Error("an unwrapped 429 body passed")
	}
}

// ycloudSimEnv starts the YCloud simulator in-process (no webhooks) and
// returns an Env pointing at it.
func ycloudSimEnv(t *testing.T) *Env {
	t.Helper()
	env := signedEnv(t, "")
	cfg := sim.DefaultConfig()
	cfg.Disorder = &sim.Disorder{Duplicate: 0.05}
	r, err := sim.Start(context.Background(), env.Doc, env.Validator, ycloudsim.New(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = r.Close(context.Background()) })
	env.BaseURL, env.AdminURL = r.URL, r.Root+"/_sim"
	env.Auth = dialect.NewHeaderKeyAuth(ycloud.HeaderAPIKey, r.Config().APIKey)
	env.Now = nil
	return env
}

// The run-time option, fault and disorder steps change the simulator and
// Restore puts each back: past a per-sender limit of 2/s, sends in a row
// get YCloud's 429 body; the fault is listed while on.
func TestOptionFaultAndDisorderStepsThenRestore(t *testing.T) {
	ctx := context.Background()
	s := New(ycloudSimEnv(t))
	if err := s.optionIs(ctx, "enqueue-rate", "2"); err != nil {
		t.Fatal(err)
	}
	if err := s.faultOn(ctx, "missing-signature"); err != nil {
		t.Fatal(err)
	}
	if err := s.disorderIs(ctx, 1, 0.5, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.sendInARow(ctx, 5, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.some429(); err != nil {
		t.Fatal(err)
	}
	if err := s.every429Field("error.code", "TOO_MANY_REQUESTS"); err != nil {
		t.Error(err)
	}
	var cfg struct {
		Options  map[string]string  `json:"options"`
		Disorder map[string]float64 `json:"disorder"`
	}
	if err := s.admin(ctx, http.MethodGet, "/config", nil, &cfg); err != nil || cfg.Options["enqueue-rate"] != "2" || cfg.Disorder["duplicate"] != 1 {
		t.Fatalf("config %+v, %v", cfg, err)
	}
	if f, _, _ := simState(t, s); f != "missing-signature" {
		t.Errorf("active faults %q", f)
	}
	if err := s.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.admin(ctx, http.MethodGet, "/config", nil, &cfg); err != nil || cfg.Options["enqueue-rate"] != "200" || cfg.Disorder["duplicate"] != 0.05 || cfg.Disorder["reorder"] != 0 {
		t.Errorf("after Restore: %+v, %v", cfg, err)
	}
	if f, _, _ := simState(t, s); f != "" {
		t.Errorf("after Restore active faults %q", f)
	}
	if err := s.optionIs(ctx, "colour", "red"); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("an unknown option: %v", err)
	}
}

// Bodies kept for the report never hold a webhook secret: the create
// answer's secret is masked in the exchange.
func TestExchangeBodiesMaskSecrets(t *testing.T) {
	env := ycloudSimEnv(t)
	s := New(env)
	if err := s.jsonRequest(context.Background(), http.MethodPost, "/webhookEndpoints",
		&godog.DocString{Content: `{"url":"http://127.0.0.1:9/x","enabledEvents":["whatsapp.template.reviewed"]}`}); err != nil {
		t.Fatal(err)
	}
	if err := s.fieldMatchesRegexp("secret", `^whsec_[0-9a-f]+$`); err != nil {
		t.Fatal(err)
	}
	xs := s.Exchanges()
	if len(xs) != 1 || strings.Contains(xs[0].ResponseBody, "whsec_") || !strings.Contains(xs[0].ResponseBody, `"secret":"REDACTED"`) {
		t.Errorf("kept answer: %+v", xs)
	}
}
