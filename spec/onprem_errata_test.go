package spec_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// This file checks that each action of whatsapp-business-api-onprem.errata.yaml
// does what its description says: documented responses validate with the
// overlay, values the published schemas wrongly reject are accepted after it
// (and were rejected before), the tightened schemas reject what they should,
// and the webhook callbacks accept Meta's documented payloads.

// onpremCodes lists the finding codes of fs.
func onpremCodes(fs []validate.Finding) string {
	var c []string
	for _, f := range fs {
		c = append(c, f.Code+" "+f.Pointer)
	}
	return strings.Join(c, "; ")
}

// TestOnpremErrataResponses: R1-R10 declare the documented answers (and the
// 4XX/5XX error body), and the error body is not "anything goes".
func TestOnpremErrataResponses(t *testing.T) {
	_, v := onpremLoad(t, onpremErrata)
	bin := map[string][]string{"Content-Type": {"image/jpeg"}}
	cases := []struct {
		name, method, path string
		status             int
		body               string
		wantFail           bool
	}{
		{"R1 login", "POST", "/v1/users/login", 200, `{"users":[{"token":"eyJhbGciOHlXVCJ9.eyJ1c2VyIjoNTIzMDE2Nn0.mEoF0COaO00Z1cANo","expires_after":"2018-03-01 15:29:26+00:00"}]}`, false},
		{"R1 bad credentials", "POST", "/v1/users/login", 401, `{"errors":[{"code":1005,"title":"Access denied"}]}`, false},
		{"R2 send 201", "POST", "/v1/messages", 201, `{"messages":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU"}],"meta":{"api_status":"stable","version":"2.41.2"}}`, false},
		{"R2 send 200", "POST", "/v1/messages", 200, `{"messages":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU"}]}`, false},
		{"R2 messages not a list", "POST", "/v1/messages", 201, `{"messages":"gBEG"}`, true},
		{"A4 throughput error", "POST", "/v1/messages", 429, `{"meta":{"api_status":"stable","version":"2.41.2"},"errors":[{"code":130429,"title":"Rate limit hit","details":"too many messages"}]}`, false},
		{"A4 errors empty", "POST", "/v1/messages", 400, `{"errors":[]}`, true},
		{"A4 error without title", "POST", "/v1/messages", 500, `{"errors":[{"code":1014}]}`, true},
		{"A4 error body missing errors", "POST", "/v1/messages", 404, `{"meta":{"version":"2"}}`, true},
		{"R3 mark read", "PUT", "/v1/messages/ABGGFlA5FpafAgo6tHcNmNjXmuSf", 200, `{}`, false},
		{"R3 mark read null", "PUT", "/v1/messages/ABGGFlA5FpafAgo6tHcNmNjXmuSf", 200, `null`, false},
		{"R3 mark read not an object", "PUT", "/v1/messages/ABGGFlA5FpafAgo6tHcNmNjXmuSf", 200, `"ok"`, true},
		{"R4 contacts", "POST", "/v1/contacts", 200, `{"contacts":[{"input":"+1 631 555 1001","status":"valid","wa_id":"16315551001"},{"input":"6315551002","status":"invalid"},{"input":"+163155588","status":"failed"}]}`, false},
		{"R5 upload", "POST", "/v1/media", 201, `{"media":[{"id":"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68"}]}`, false},
		{"R6 download unknown id, no body", "GET", "/v1/media/nope", 404, ``, false},
		{"R6 download unknown id with a body", "GET", "/v1/media/nope", 404, `{"errors":[{"code":1006,"title":"Resource not found"}]}`, true},
		{"R7 delete", "DELETE", "/v1/media/f043afd0", 200, `{"meta":{"api_status":"stable","version":"2.41.2"}}`, false},
		{"R8 settings", "GET", "/v1/settings/application", 200, `{"settings":{"application":{"callback_backoff_delay_ms":3000,"callback_persist":true,"max_callback_backoff_delay_ms":900000,"media":{"auto_download":["image","video","voice","sticker","audio","document"]},"sent_status":false,"webhooks":{"url":"https://example.com/hook","max_concurrent_requests":12}}},"meta":{"api_status":"stable","version":"3.0.1"}}`, false},
		{"R8 settings without application", "GET", "/v1/settings/application", 200, `{"settings":{}}`, true},
		{"R9 patch settings", "PATCH", "/v1/settings/application", 200, `{"meta":{"api_status":"stable","version":"3.0.1"}}`, false},
		{"R9 patch settings null", "PATCH", "/v1/settings/application", 200, `null`, false},
		{"R9 patch settings list", "PATCH", "/v1/settings/application", 200, `[]`, true},
		{"R10 health single", "GET", "/v1/health", 200, `{"health":{"gateway_status":"connected"}}`, false},
		{"R10 health multiconnect", "GET", "/v1/health", 200, `{"health":{"host1:c1":{"gateway_status":"connected","role":"primary_master"},"host2:c2":{"gateway_status":"disconnected","role":"coreapp"}}}`, false},
		{"R10 health unknown status", "GET", "/v1/health", 200, `{"health":{"gateway_status":"fine"}}`, true},
	}
	for _, c := range cases {
		fs := v.Response(c.method, c.path, c.status, onpremJSON, []byte(c.body))
		if got := len(fs) > 0; got != c.wantFail {
			t.Errorf("%s: %s %s %d: findings [%s], want failure %v", c.name, c.method, c.path, c.status, onpremCodes(fs), c.wantFail)
		}
	}
	if fs := v.Response("GET", "/v1/media/x", 200, bin, []byte{0xff, 0xd8, 0xff}); len(fs) != 0 {
		t.Errorf("R6 download: %s", onpremCodes(fs))
	}
}

// onpremSchema returns a component schema of doc, failing when absent.
func onpremSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	r := doc.Components.Schemas[name]
	if r == nil || r.Value == nil {
		t.Fatalf("schema %s missing", name)
	}
	return r.Value
}

func onpremValue(t *testing.T, js string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", js, err)
	}
	return v
}

// TestOnpremErrataEffects: for each schema erratum, a documented value the
// published schema rejects is accepted by the errata-applied schema.
func TestOnpremErrataEffects(t *testing.T) {
	strict, _ := onpremLoad(t, "none")
	patched, _ := onpremLoad(t, onpremErrata)
	cases := []struct{ id, schema, value string }{
		{"E1 single-instance health", "Check-Health-Response", `{"health":{"gateway_status":"connected"}}`},
		{"E2 contact failed", "Check-Contact", `{"input":"+163155588","status":"failed"}`},
		{"E3 status warning", "Webhook-Status", `{"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t8","status":"warning","timestamp":"1533332775","recipient_id":"12064001000"}`},
		{"E5 system message", "Webhook-Message", `{"from":"16315558011","id":"ABGGFlA5FpafAgo6tHcNmNjXmuSf","timestamp":"1521497875","type":"system","system":{"body":"+1 (650) 387-5246 added +1 (650) 644-8470","type":"group_user_joined"}}`},
		{"E6 auto_download", "Media", `{"auto_download":["image","video","voice","sticker","audio","document"]}`},
		{"E7 backoff numbers", "Application-Settings", `{"callback_backoff_delay_ms":3000,"max_callback_backoff_delay_ms":900000}`},
		{"E8 max_concurrent_requests", "Webhooks", `{"url":"https://example.com/hook","max_concurrent_requests":12}`},
		{"E10 expires_after", "User-Login-Response-Item", `{"token":"t","expires_after":"2018-03-01 15:29:26+00:00"}`},
		{"E11 bearer provider", "Config", `{"bearer":"your-bearer-token"}`},
		{"E12 day_of_week number", "Date-Time-Component", `{"day_of_week":5}`},
		{"E13 shards number", "Set-Shards-Request-Body", `{"cc":"1","phone_number":"6315551000","pin":"123456","shards":32}`},
		{"E14/E15 template send", "Send-Message-Request-Body", `{"to":"16315551234","type":"template","template":{"namespace":"your-namespace","name":"your-template-name","language":{"code":"en_US","policy":"deterministic"},"components":[{"type":"body","parameters":[{"type":"text","text":"your-text-string"}]}]}}`},
		{"E14/E15 interactive send", "Send-Message-Request-Body", `{"to":"16315551234","type":"interactive","interactive":{"type":"button","body":{"text":"Pick one"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}}}`},
		{"E16 ttl", "Send-Message-Request-Body", `{"to":"16315551234","type":"text","text":{"body":"hi"},"ttl":"P4D"}`},
		{"E17 image by link", "Send-Message-Request-Body", `{"to":"16315551234","type":"image","image":{"link":"https://example.com/cat.jpg"}}`},
		{"E17 image by id", "Send-Message-Request-Body", `{"to":"16315551234","type":"image","image":{"id":"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68"}}`},
		{"E17 document by id", "Send-Message-Request-Body", `{"to":"16315551234","type":"document","document":{"id":"f043afd0","caption":"Statement"}}`},
		{"E17 audio by link", "Send-Message-Request-Body", `{"to":"16315551234","type":"audio","audio":{"link":"https://example.com/a.mp3"}}`},
	}
	for _, c := range cases {
		val := onpremValue(t, c.value)
		if err := onpremSchema(t, strict.T, c.schema).VisitJSON(val); err == nil {
			t.Errorf("%s: the published %s accepts %s; the erratum is not needed", c.id, c.schema, c.value)
		}
		if err := onpremSchema(t, patched.T, c.schema).VisitJSON(val); err != nil {
			t.Errorf("%s: the errata-applied %s rejects %s: %v", c.id, c.schema, c.value, err)
		}
	}
}

// TestOnpremErrataKeepLimits: the errata do not open the schemas wider than
// the documented values.
func TestOnpremErrataKeepLimits(t *testing.T) {
	patched, _ := onpremLoad(t, onpremErrata)
	cases := []struct{ id, schema, value string }{
		{"E4 status needs id", "Webhook-Status", `{"status":"read","timestamp":"1533332775","recipient_id":"1"}`},
		{"E4 status value", "Webhook-Status", `{"id":"x","status":"seen","timestamp":"1","recipient_id":"1"}`},
		{"E5 message type", "Webhook-Message", `{"from":"1","id":"x","timestamp":"1","type":"telepathy"}`},
		{"E5 outbound type unchanged", "Send-Message-Request-Body", `{"to":"1","type":"system"}`},
		{"E6 auto_download typo gone", "Media", `{"auto_download":["image."]}`},
		{"E7 backoff not text", "Application-Settings", `{"callback_backoff_delay_ms":"soon"}`},
		{"E8 max_concurrent_requests values", "Webhooks", `{"max_concurrent_requests":7}`},
		{"E10 expires_after still a timestamp", "User-Login-Response-Item", `{"expires_after":"next week"}`},
		{"E1 health map of strings", "Check-Health-Response", `{"health":{"gateway_status":"connected","extra":"x"}}`},
		{"E11 config neither form", "Config", `{"token":"x"}`},
		{"E12 day_of_week range", "Date-Time-Component", `{"day_of_week":8}`},
		{"E13 shards values", "Set-Shards-Request-Body", `{"cc":"1","phone_number":"1","pin":"1","shards":3}`},
		{"E15 template needs a name", "Send-Message-Request-Body", `{"to":"1","type":"template","template":{"language":{"code":"en","policy":"deterministic"}}}`},
		{"E15 interactive needs a type", "Send-Message-Request-Body", `{"to":"1","type":"interactive","interactive":{"body":{"text":"x"}}}`},
		{"E16 ttl not an object", "Send-Message-Request-Body", `{"to":"1","ttl":{"days":4}}`},
		{"E17 media needs an id or a link", "Send-Message-Request-Body", `{"to":"1","type":"image","image":{"caption":"a cat"}}`},
		{"E17 media not both", "Send-Message-Request-Body", `{"to":"1","type":"video","video":{"id":"v1","link":"https://example.com/v.mp4"}}`},
		{"E18 mark read only", "Mark-Message-As-Read-Request-Body", `{"status":"delivered"}`},
		{"E19 to names someone", "Send-Message-Request-Body", `{"to":"","type":"text","text":{"body":"hi"}}`},
	}
	for _, c := range cases {
		if err := onpremSchema(t, patched.T, c.schema).VisitJSON(onpremValue(t, c.value)); err == nil {
			t.Errorf("%s: the errata-applied %s accepts %s", c.id, c.schema, c.value)
		}
	}
	if err := onpremSchema(t, patched.T, "Config").VisitJSON(onpremValue(t, `{"basic":{"username":"u","password":"p"}}`)); err != nil {
		t.Errorf("E11: the basic provider form is rejected after the errata: %v", err)
	}
	if ct := patched.T.Paths.Find("/media").Post.RequestBody.Value.Content; ct.Get("audio/aac") == nil || ct.Get("audio/acc") == nil {
		t.Error("E9: POST /media must declare audio/aac and keep the published audio/acc")
	}
}

// onpremCallback returns the request body schema and the operation of a
// PATCH /settings/application callback.
func onpremCallback(t *testing.T, doc *openapi3.T, name string) (*openapi3.Schema, *openapi3.Operation) {
	t.Helper()
	const expr = "{$request.body#/webhooks/url}"
	cb := doc.Paths.Find("/settings/application").Patch.Callbacks[name]
	if cb == nil || cb.Value == nil || cb.Value.Value(expr) == nil || cb.Value.Value(expr).Post == nil {
		t.Fatalf("callback %s with expression %s and a POST missing", name, expr)
	}
	op := cb.Value.Value(expr).Post
	if op.Responses.Value("200") == nil {
		t.Errorf("callback %s: no 200 response", name)
	}
	return op.RequestBody.Value.Content.Get("application/json").Schema.Value, op
}

// onpremBatch is an on-premises batch with every status the errata allow
// and an inbound message of every type the page's schemas model.
const onpremBatch = `{
 "contacts":[{"profile":{"name":"Kerry Fisher"},"wa_id":"16315551234"}],
 "messages":[
  {"from":"16315551234","id":"m1","timestamp":"1518694235","type":"text","text":{"body":"Hello this is an answer"}},
  {"from":"16315551234","id":"m2","timestamp":"1518694235","type":"image","image":{"id":"b1c68f38","mime_type":"image/jpeg","sha256":"29ed","caption":"Check out my new phone!"}},
  {"from":"16315551234","id":"m3","timestamp":"1518694235","type":"audio","audio":{"id":"a1","mime_type":"audio/mpeg","sha256":"ab"}},
  {"from":"16315551234","id":"m4","timestamp":"1518694235","type":"video","video":{"id":"v1","mime_type":"video/mp4","sha256":"ab"}},
  {"from":"16315551234","id":"m5","timestamp":"1518694235","type":"voice","voice":{"id":"463eb7ec","mime_type":"audio/ogg; codecs=opus","sha256":"fa9e"}},
  {"from":"16315551234","id":"m6","timestamp":"1518694235","type":"document","document":{"id":"fc233119","mime_type":"application/pdf","sha256":"3b11","caption":"80skaraokesonglistartist","filename":"list.pdf"}},
  {"from":"16315551234","id":"m7","timestamp":"1521497875","type":"location","location":{"address":"Main Street Beach, Santa Cruz, CA","latitude":38.9806263495,"longitude":-131.9428612257,"name":"Main Street Beach","url":"https://foursquare.com/v/4d7031d35b5df7744"}},
  {"from":"16315551234","id":"m8","timestamp":"1521497875","type":"contacts","contacts":[{"name":{"formatted_name":"John Smith","first_name":"John"},"phones":[{"phone":"+1 (650) 555-1234","type":"WORK","wa_id":"16505551234"}]}]},
  {"from":"16315558011","id":"m9","timestamp":"1521497875","type":"system","system":{"body":"+1 (650) 387-5246 added +1 (650) 644-8470","type":"group_user_joined"}},
  {"from":"16315551234","id":"m10","timestamp":"1521497875","type":"unknown","errors":[{"code":501,"title":"Unknown message type"}]}],
 "statuses":[
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t8","status":"sent","timestamp":"1533332775","recipient_id":"12064001000"},
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t8","status":"delivered","timestamp":"1533332776","recipient_id":"12064001000","conversation":{"id":"a75d17ad06104c51166f948319b03c6a","origin":{"type":"business_initiated"},"expiration_timestamp":"1533419176"},"pricing":{"billable":true,"pricing_model":"CBP","category":"business_initiated"}},
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t8","status":"read","timestamp":"1533332777","recipient_id":"12064001000"},
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t9","status":"failed","timestamp":"1533332778","recipient_id":"12064001000","errors":[{"code":131047,"title":"Re-engagement message"}]},
  {"id":"ABGGFlA5FpafAgo6tHcNmNjXmuSf","status":"deleted","timestamp":"1533332779","recipient_id":"16315551234"},
  {"id":"gBGGEgZHMlEfAgkM1RBkhDRr7t0","status":"warning","timestamp":"1533332780","recipient_id":"12064001000"}],
 "errors":[{"code":1014,"title":"Internal error"}]}`

// TestOnpremCallbackOnprem: C1's onprem callback accepts a batch of every
// status and inbound type, and rejects a status it should not.
func TestOnpremCallbackOnprem(t *testing.T) {
	patched, _ := onpremLoad(t, onpremErrata)
	body, _ := onpremCallback(t, patched.T, "onprem")
	if err := body.VisitJSON(onpremValue(t, onpremBatch)); err != nil {
		t.Errorf("documented batch rejected: %v", err)
	}
	bad := strings.Replace(onpremBatch, `"status":"warning"`, `"status":"seen"`, 1)
	if err := body.VisitJSON(onpremValue(t, bad)); err == nil {
		t.Error("a status seen is accepted")
	}
}

// TestOnpremCallbackCloud: C1's cloud callback accepts the batch's objects
// in the Cloud API envelope, requires the envelope's fixed values, and its
// X-Hub-Signature-256 parameter accepts exactly sha256=<64 lower-case hex>.
func TestOnpremCallbackCloud(t *testing.T) {
	patched, _ := onpremLoad(t, onpremErrata)
	body, op := onpremCallback(t, patched.T, "cloud")
	value := strings.TrimSuffix(strings.TrimPrefix(onpremBatch, "{"), "}")
	env := `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},` + value + `}}]}]}`
	if err := body.VisitJSON(onpremValue(t, env)); err != nil {
		t.Errorf("Cloud envelope rejected: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(env, `"whatsapp_business_account"`, `"page"`, 1),
		strings.Replace(env, `"messaging_product":"whatsapp"`, `"messaging_product":"sms"`, 1),
		strings.Replace(env, `"phone_number_id":"106540352242922"`, `"phone":"1"`, 1),
	} {
		if err := body.VisitJSON(onpremValue(t, bad)); err == nil {
			t.Errorf("accepted a bad envelope: %.120s", bad)
		}
	}
	p := op.Parameters.GetByInAndName("header", "X-Hub-Signature-256")
	if p == nil || !p.Required {
		t.Fatal("cloud callback: required header X-Hub-Signature-256 missing")
	}
	re := regexp.MustCompile(p.Schema.Value.Pattern)
	mac := hmac.New(sha256.New, []byte("app-secret"))
	mac.Write([]byte(env))
	sig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !re.MatchString(sig) {
		t.Errorf("pattern %s rejects a real signature %s", re, sig)
	}
	for _, bad := range []string{strings.TrimPrefix(sig, "sha256="), "sha1=" + sig[7:47], sig[:len(sig)-1], strings.ToUpper(sig)} {
		if re.MatchString(bad) {
			t.Errorf("pattern %s accepts %q", re, bad)
		}
	}
}

// TestOnpremErrataRequests: the sends a harness makes (text, template,
// interactive, media by id) pass request validation with the overlay, and a
// template send is refused by the page as published (E14).
func TestOnpremErrataRequests(t *testing.T) {
	_, strict := onpremLoad(t, "none")
	_, v := onpremLoad(t, onpremErrata)
	sends := map[string]string{
		"text":        `{"to":"16315551234","type":"text","text":{"body":"hello"}}`,
		"template":    `{"to":"16315551234","type":"template","template":{"namespace":"ns","name":"hello_world","language":{"code":"en","policy":"deterministic"}}}`,
		"interactive": `{"to":"16315551234","type":"interactive","interactive":{"type":"list","body":{"text":"Pick"},"action":{"button":"Menu","sections":[{"rows":[{"id":"1","title":"One"}]}]}}}`,
		"image":       `{"to":"16315551234","type":"image","image":{"id":"f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68","caption":"a cat"}}`,
	}
	for name, body := range sends {
		r := httptest.NewRequest("POST", "http://client.local/v1/messages", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if fs := v.Request(r, []byte(body)); len(fs) != 0 {
			t.Errorf("%s send refused with the overlay: %s", name, onpremCodes(fs))
		}
	}
	r := httptest.NewRequest("POST", "http://client.local/messages", strings.NewReader(sends["template"]))
	r.Header.Set("Content-Type", "application/json")
	if fs := strict.Request(r, []byte(sends["template"])); len(fs) == 0 {
		t.Error("the published spec accepts type template; E14 is not needed")
	}
}

// TestOnpremErrataNarrow: the errata that close a schema the client does
// not honour (E18, E19) are needed: the published schema takes the value
// the errata-applied one refuses.
func TestOnpremErrataNarrow(t *testing.T) {
	strict, _ := onpremLoad(t, "none")
	patched, _ := onpremLoad(t, onpremErrata)
	for _, c := range []struct{ id, schema, value string }{
		{"E18 mark read only", "Mark-Message-As-Read-Request-Body", `{"status":"delivered"}`},
		{"E19 empty to", "Send-Message-Request-Body", `{"to":""}`},
	} {
		val := onpremValue(t, c.value)
		if err := onpremSchema(t, strict.T, c.schema).VisitJSON(val); err != nil {
			t.Errorf("%s: the published %s already rejects %s: %v", c.id, c.schema, c.value, err)
		}
		if err := onpremSchema(t, patched.T, c.schema).VisitJSON(val); err == nil {
			t.Errorf("%s: the errata-applied %s accepts %s", c.id, c.schema, c.value)
		}
	}
}
