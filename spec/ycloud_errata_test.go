package spec

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pb33f/libopenapi"
)

// This file checks ycloud-api-v2.errata.yaml: that it is an OpenAPI Overlay
// 1.0.0 document whose every action cites a YCloud documentation page and
// applies to ycloud-api-v2.yaml, and that each erratum does what its
// description says: documented YCloud answers that the published spec
// cannot validate (it declares no 400/401/429 and no webhook) validate after
// the errata, and wrong ones are still rejected.

const ycloudErrataFile = "ycloud-api-v2.errata.yaml"

// ycloudWhatsAppOps are the operations that get 400 as well as 401 and 429.
var ycloudWhatsAppOps = []struct{ method, path string }{
	{"POST", "/whatsapp/messages"},
	{"POST", "/whatsapp/messages/sendDirectly"},
	{"GET", "/whatsapp/messages/{id}"},
	{"POST", "/whatsapp/inboundMessages/{id}/markAsRead"},
	{"POST", "/webhookEndpoints"},
	{"GET", "/webhookEndpoints"},
	{"GET", "/webhookEndpoints/{id}"},
	{"PATCH", "/webhookEndpoints/{id}"},
	{"DELETE", "/webhookEndpoints/{id}"},
	{"POST", "/webhookEndpoints/{id}/rotateSecret"},
}

// ycloudEvents are the webhook event types the errata declare as callbacks.
var ycloudEvents = []string{"whatsapp.message.updated", "whatsapp.inbound_message.received"}

var ycloudDocsURL = regexp.MustCompile(`https://docs\.ycloud\.com/\S+`)

// ycloudPatched loads the spec as published and with the errata applied,
// once for the package's tests (each load of the 250 KB spec costs about
// 2.5 s under -race; the tests only read the documents).
func ycloudPatched(t *testing.T) (published, patched *Doc) {
	t.Helper()
	ycloudDocs.once.Do(func() {
		ycloudDocs.published, ycloudDocs.err = Load(Options{File: ycloudSpecFile, Errata: ErrataNone})
		if ycloudDocs.err == nil {
			ycloudDocs.patched, ycloudDocs.err = Load(Options{File: ycloudSpecFile, Errata: ycloudErrataFile})
		}
	})
	if ycloudDocs.err != nil {
		t.Fatal(ycloudDocs.err)
	}
	if len(ycloudDocs.patched.Warnings) > 0 {
		t.Fatalf("kin-openapi rejects the errata-applied spec: %q", ycloudDocs.patched.Warnings)
	}
	return ycloudDocs.published, ycloudDocs.patched
}

// ycloudDocs holds ycloudPatched's documents.
var ycloudDocs struct {
	once               sync.Once
	published, patched *Doc
	err                error
}

func TestYCloudErrataEveryActionAppliesAndCitesTheDocs(t *testing.T) {
	data, err := ReadFile(ycloudErrataFile)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := libopenapi.NewOverlayDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Overlay != "1.0.0" || ov.Info == nil || ov.Info.Title == "" || ov.Info.Version == "" {
		t.Errorf("overlay header: %q %+v", ov.Overlay, ov.Info)
	}
	for i, a := range ov.Actions {
		// The errata only add; a removal is allowed only as the first half
		// of a replacement, the next action updating the removed node's
		// parent.
		replaced := a.Remove && i+1 < len(ov.Actions) && ov.Actions[i+1].Update != nil &&
			strings.HasPrefix(a.Target, ov.Actions[i+1].Target+".")
		if (a.Update == nil || a.Remove) && !replaced {
			t.Errorf("action %d (%s): want an update, or a removal the next action replaces", i, a.Target)
		}
		if !ycloudDocsURL.MatchString(a.Description) || len(strings.Fields(a.Description)) < 30 {
			t.Errorf("action %d (%s): description must say what and why and cite a docs.ycloud.com page: %q", i, a.Target, a.Description)
		}
		if want := "Y" + strconv.Itoa(i+1) + "."; !strings.HasPrefix(a.Description, want) {
			t.Errorf("action %d: description starts %q, want the id %q (YCLOUD-DEFECTS.md uses it)", i, firstWord(a.Description), want)
		}
	}
	_, patched := ycloudPatched(t)
	if n := len(patched.Errata.Applied); n != len(ov.Actions) || len(patched.Errata.Unmatched) > 0 {
		t.Errorf("applied %d of %d actions; unmatched %+v", n, len(ov.Actions), patched.Errata.Unmatched)
	}
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// ycloudOp returns an operation of doc, failing the test when it is absent.
func ycloudOp(t *testing.T, doc *Doc, method, path string) *openapi3.Operation {
	t.Helper()
	item := doc.T.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("no %s %s", method, path)
	}
	return item.GetOperation(method)
}

// ycloudBody returns the application/json schema of a response.
func ycloudBody(t *testing.T, r *openapi3.ResponseRef) *openapi3.Schema {
	t.Helper()
	if r == nil || r.Value == nil || r.Value.Content.Get("application/json") == nil {
		t.Fatal("response has no application/json body")
	}
	return r.Value.Content.Get("application/json").Schema.Value
}

// visit validates a JSON document against a schema.
func visit(t *testing.T, s *openapi3.Schema, doc string) error {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("bad test JSON: %v", err)
	}
	return s.VisitJSON(v)
}

func TestYCloudErrataErrorResponsesOnEveryOperation(t *testing.T) {
	published, patched := ycloudPatched(t)
	wa := map[string]bool{}
	for _, op := range ycloudWhatsAppOps {
		wa[op.method+" "+op.path] = true
		if ycloudOp(t, published, op.method, op.path).Responses.Status(401) != nil {
			t.Errorf("%s %s: the published spec already declares 401; Y5 is not needed", op.method, op.path)
		}
	}
	for path, item := range patched.T.Paths.Map() {
		for method, op := range item.Operations() {
			for _, code := range []int{400, 401, 429} {
				r := op.Responses.Status(code)
				if code == 400 && !wa[method+" "+path] {
					continue
				}
				if r == nil || r.Value == nil || r.Value.Headers["YCloud-Request-ID"] == nil {
					t.Errorf("%s %s: no %d with YCloud-Request-ID", method, path, code)
				}
			}
			for code, r := range op.Responses.Map() {
				if h := r.Value.Headers["YCloud-Request-ID"]; h == nil || !h.Value.Required {
					t.Errorf("%s %s %s: YCloud-Request-ID not declared as required", method, path, code)
				}
			}
		}
	}
}

// The documented bodies (docs.ycloud.com "Authentication", "Handle WhatsApp
// errors"), and the same bodies with the wrong status.
const (
	ycloud401Body = `{"error": {"status": 401, "code": "UNAUTHORIZED", "message": "Authentication is required.", "requestId": "req_1KjtKI80IKoaJNa6n6p"}}`
	ycloud429Body = `{"error": {"status": 429, "code": "TOO_MANY_REQUESTS",
		"message": "(#131056) (Business Account, Consumer Account) pair rate limit hit",
		"target": "whatsappApiError", "docUrl": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes",
		"requestId": "req_1KjtKI80IKoaJNa6n6p",
		"whatsappApiError": {"message": "(#131056) (Business Account, Consumer Account) pair rate limit hit",
			"type": "OAuthException", "code": "131056", "fbtrace_id": "A4O5a8RAgePwbcGSu",
			"error_data": {"messaging_product": "whatsapp", "details": "too many messages"}}}}`
	ycloud400Body = `{"error": {"status": 400, "code": "PARAM_INVALID", "message": "Parameter 'limit' should be between 1 and 100.", "target": "limit", "requestId": "req_1KjtKI80IKoaJNa6n6p"}}`
)

func TestYCloudErrataErrorBodies(t *testing.T) {
	_, patched := ycloudPatched(t)
	send := ycloudOp(t, patched, "POST", "/whatsapp/messages/sendDirectly")
	list := ycloudOp(t, patched, "GET", "/webhookEndpoints")
	for name, tc := range map[string]struct {
		op   *openapi3.Operation
		code int
		body string
		ok   bool
	}{
		"documented 401":           {send, 401, ycloud401Body, true},
		"documented 429":           {send, 429, ycloud429Body, true},
		"documented 400":           {list, 400, ycloud400Body, true},
		"401 body on a 429":        {send, 429, ycloud401Body, false},
		"429 body on a 401":        {send, 401, ycloud429Body, false},
		"unwrapped error":          {send, 401, `{"status": 401, "code": "UNAUTHORIZED"}`, false},
		"error without code":       {send, 400, `{"error": {"status": 400}}`, false},
		"whatsappApiError no code": {send, 429, `{"error": {"status": 429, "code": "TOO_MANY_REQUESTS", "whatsappApiError": {"message": "x"}}}`, false},
	} {
		t.Run(name, func(t *testing.T) {
			err := visit(t, ycloudBody(t, tc.op.Responses.Status(tc.code)), tc.body)
			if (err == nil) != tc.ok {
				t.Errorf("valid = %v, want %v (%v)", err == nil, tc.ok, err)
			}
		})
	}
	if h := send.Responses.Status(429).Value.Headers["Retry-After"]; h == nil || h.Value.Required {
		t.Error("429 has no optional Retry-After")
	}
}

// ycloudCallback returns the POST of a callback of POST /webhookEndpoints.
func ycloudCallback(t *testing.T, doc *Doc, event string) *openapi3.Operation {
	t.Helper()
	cb := ycloudOp(t, doc, "POST", "/webhookEndpoints").Callbacks[event]
	if cb == nil || cb.Value == nil {
		t.Fatalf("no callback %q", event)
	}
	item := cb.Value.Value("{$request.body#/url}")
	if item == nil || item.Post == nil || cb.Value.Len() != 1 {
		t.Fatalf("callback %q: want exactly one expression, {$request.body#/url}, with a post", event)
	}
	return item.Post
}

func TestYCloudErrataCallbacksAreTheHandledEventTypes(t *testing.T) {
	published, patched := ycloudPatched(t)
	if n := len(ycloudOp(t, published, "POST", "/webhookEndpoints").Callbacks); n != 0 {
		t.Errorf("published spec has %d callbacks", n)
	}
	got := ycloudOp(t, patched, "POST", "/webhookEndpoints").Callbacks
	if len(got) != len(ycloudEvents) {
		t.Errorf("callbacks %v, want exactly %v", keys(got), ycloudEvents)
	}
	for _, ev := range ycloudEvents {
		post := ycloudCallback(t, patched, ev)
		if post.Responses.Status(200) == nil {
			t.Errorf("%s: no 200 response", ev)
		}
		if post.RequestBody == nil || !post.RequestBody.Value.Required {
			t.Errorf("%s: request body not required", ev)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

const (
	ycloudMessage = `{"id": "63e5e2b1c2f0a1", "wabaId": "waba-1", "from": "+16315551111", "to": "+16315552222", "status": "delivered"}`
	ycloudInbound = `{"id": "in_1", "wabaId": "waba-1", "from": "+16315552222", "to": "+16315551111", "type": "text", "text": {"body": "hi"}}`
)

func ycloudEvent(typ, payloadKey, payload string) string {
	body := `{"id": "evt_eEkn4wRdjYSM3Ijy", "type": "` + typ + `", "apiVersion": "v2", "createTime": "2023-02-22T12:00:00.000Z"`
	if payloadKey != "" {
		body += `, "` + payloadKey + `": ` + payload
	}
	return body + "}"
}

func TestYCloudErrataCallbackBodies(t *testing.T) {
	_, patched := ycloudPatched(t)
	body := func(ev string) *openapi3.Schema {
		return ycloudCallback(t, patched, ev).RequestBody.Value.Content.Get("application/json").Schema.Value
	}
	const upd, inb = "whatsapp.message.updated", "whatsapp.inbound_message.received"
	for name, tc := range map[string]struct {
		event, body string
		ok          bool
	}{
		"status event":                   {upd, ycloudEvent(upd, "whatsappMessage", ycloudMessage), true},
		"inbound event":                  {inb, ycloudEvent(inb, "whatsappInboundMessage", ycloudInbound), true},
		"status event without payload":   {upd, ycloudEvent(upd, "", ""), false},
		"inbound event without payload":  {inb, ycloudEvent(inb, "", ""), false},
		"inbound payload on status":      {upd, ycloudEvent(upd, "whatsappInboundMessage", ycloudInbound), false},
		"wrong type in status callback":  {upd, ycloudEvent(inb, "whatsappMessage", ycloudMessage), false},
		"unknown type":                   {upd, ycloudEvent("whatsapp.message.created", "whatsappMessage", ycloudMessage), false},
		"message without id":             {upd, ycloudEvent(upd, "whatsappMessage", `{"wabaId": "w", "from": "+1", "to": "+2"}`), false},
		"unknown status":                 {upd, ycloudEvent(upd, "whatsappMessage", strings.Replace(ycloudMessage, "delivered", "seen", 1)), false},
		"envelope without createTime":    {upd, `{"id": "evt_eEkn4wRdjYSM3Ijy", "type": "whatsapp.message.updated", "apiVersion": "v2", "whatsappMessage": ` + ycloudMessage + `}`, false},
		"inbound without its message id": {inb, ycloudEvent(inb, "whatsappInboundMessage", `{"from": "+2", "type": "text"}`), false},
	} {
		t.Run(name, func(t *testing.T) {
			if err := visit(t, body(tc.event), tc.body); (err == nil) != tc.ok {
				t.Errorf("valid = %v, want %v (%v)", err == nil, tc.ok, err)
			}
		})
	}
}

func TestYCloudErrataSignatureHeader(t *testing.T) {
	_, patched := ycloudPatched(t)
	for _, ev := range ycloudEvents {
		var sig *openapi3.Parameter
		for _, p := range ycloudCallback(t, patched, ev).Parameters {
			if p.Value.In == "header" && p.Value.Name == "YCloud-Signature" {
				sig = p.Value
			}
		}
		if sig == nil || !sig.Required {
			t.Fatalf("%s: YCloud-Signature is not a required header parameter", ev)
		}
		const hex = "8eb70f2acb056c2119acbee8fdd98a889021d9c268bc9ad248a4182c40e31119" // docs.ycloud.com "Test webhooks" example
		for value, ok := range map[string]bool{
			"t=1654084800,s=" + hex:                  true,
			"t=1654084800,s=" + strings.ToUpper(hex): true,
			"s=" + hex + ",t=1654084800":             false,
			"t=1654084800":                           false,
			"t=2022-06-01,s=" + hex:                  false,
			"t=1654084800,s=" + hex[:40]:             false,
			"t=1654084800,s=" + hex + "00":           false,
			"sha256=" + hex:                          false,
		} {
			if err := sig.Schema.Value.VisitJSON(value); (err == nil) != ok {
				t.Errorf("%s: %q valid = %v, want %v", ev, value, err == nil, ok)
			}
		}
	}
}

func TestYCloudErrataCreateWebhookAnswerCarriesSecret(t *testing.T) {
	published, patched := ycloudPatched(t)
	const (
		withSecret    = `{"id": "wh627c8640675de8fc689ab9d9", "url": "https://example.com/hook", "enabledEvents": ["whatsapp.message.updated"], "status": "active", "secret": "whsec_abc4147651944f02baf3be1eb45d33f1"}`
		withoutSecret = `{"id": "wh627c8640675de8fc689ab9d9", "url": "https://example.com/hook", "status": "active"}`
		withoutID     = `{"secret": "whsec_abc4147651944f02baf3be1eb45d33f1"}`
	)
	create := func(d *Doc) *openapi3.Schema {
		return ycloudBody(t, ycloudOp(t, d, "POST", "/webhookEndpoints").Responses.Status(200))
	}
	if err := visit(t, create(published), withoutSecret); err != nil {
		t.Errorf("published spec rejects an answer without secret (Y11/Y12 not needed?): %v", err)
	}
	for body, ok := range map[string]bool{withSecret: true, withoutSecret: false, withoutID: false} {
		if err := visit(t, create(patched), body); (err == nil) != ok {
			t.Errorf("%s: valid = %v, want %v (%v)", body, err == nil, ok, err)
		}
	}
	get := ycloudBody(t, ycloudOp(t, patched, "GET", "/webhookEndpoints/{id}").Responses.Status(200))
	if err := visit(t, get, withoutSecret); err != nil {
		t.Errorf("Y12 must not change the other answers: %v", err)
	}
}
