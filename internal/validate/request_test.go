package validate

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func newReq(t testing.TB, method, target, ct string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, "http://127.0.0.1:8080"+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	return r
}

func TestRequestModica(t *testing.T) {
	v := modica(t)
	const js = "application/json"
	cases := []struct {
		name, method, target, ct, body string
		want                           want
	}{
		{"text", "POST", msgPath, js, goodPostText, want{}},
		{"template", "POST", msgPath, js, `{"destination":"+64211234567","type":"template","template":{"name":"hello_world","language":"en_US"}}`, want{}},
		{"media", "POST", msgPath, js, `{"destination":"+64211234567","type":"media","media":{"type":"image","url":"https://example.com/a.png"}}`, want{}},
		{"source with errata pattern", "POST", msgPath, js, `{"destination":"+64211234567","source":"102046588645210","type":"text","text":{"body":"hi"}}`, want{}},
		{"text without body", "POST", msgPath, js, `{"destination":"+64211234567","type":"text","text":{}}`,
			want{CodeBodySchema, "body", "/text/body", "required: body", "/components/schemas/MessageText/allOf/2/properties/text/required/0", "- body"}},
		{"destination not E.164", "POST", msgPath, js, `{"destination":"0211234567","type":"text","text":{"body":"hi"}}`,
			want{CodeBodySchema, "body", "/destination", `pattern: ^\+[1-9]\d{1,14}$`, "/components/schemas/E164/pattern", "pattern:"}},
		{"media type not in enum (closest branch: media)", "POST", msgPath, js, `{"destination":"+64211234567","type":"media","media":{"type":"gif","url":"https://example.com/a.gif"}}`,
			want{CodeBodySchema, "body", "/media/type", "enum: [audio, document, image, video]", "/components/schemas/MessageMedia/allOf/2/properties/media/properties/type/enum", "enum:"}},
		{"message type missing", "POST", msgPath, js, `{"destination":"+64211234567","text":{"body":"hi"}}`,
			want{CodeBodySchema, "body", "/type", "required: type", "/components/schemas/MessageCommon/required/0", "- type"}},
		{"not JSON", "POST", msgPath, js, `destination=+64211234567`,
			want{CodeBodyNotJSON, "body", "", "", "/components/requestBodies/RequestMessagesPost/content/application~1json/schema", "schema:"}},
		{"form content type", "POST", msgPath, "application/x-www-form-urlencoded", goodPostText,
			want{CodeContentTypeMismatch, "header Content-Type", "", "", "/components/requestBodies/RequestMessagesPost/content", "content:"}},
		{"GET message by id", "GET", msgPath + "?id=3fa85f64-5717-4562-b3fc-2c963f66afa6", "", "", want{}},
		{"GET message without id", "GET", msgPath, "", "",
			want{CodeParamMissing, "query id", "", "", "/paths/~1messages/get/parameters/0", "- name: id"}},
		{"GET message with bad id", "GET", msgPath + "?id=42", "", "",
			want{CodeParamInvalid, "query id", "", `pattern: ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, "/components/schemas/Uuid/pattern", "pattern:"}},
		{"GET media bad id", "GET", "/rest/wab/v1/media?media_id=a-b", "", "",
			want{CodeParamInvalid, "query media_id", "", "pattern: ^[a-zA-Z0-9]+$", "/paths/~1media/get/parameters/0/schema/pattern", "pattern:"}},
		{"PATCH mark read", "PATCH", msgPath, js, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`, want{}},
		{"PATCH without id", "PATCH", msgPath, js, `{}`,
			want{CodeBodySchema, "body", "/message_id", "required: message_id", "/components/requestBodies/RequestMessagesPatch/content/application~1json/schema/required/0", "- message_id"}},
		{"unknown path", "POST", "/rest/wab/v1/mesages", js, goodPostText,
			want{CodePathUnknown, "path", "", "", "/paths", "paths:"}},
		{"wrong method", "PUT", msgPath, js, goodPostText,
			want{CodeMethodNotAllowed, "method", "", "", "/paths/~1messages", "/messages:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := v.Request(newReq(t, c.method, c.target, c.ct), []byte(c.body))
			checkOne(t, v, got, c.want)
		})
	}
}

func TestRequestMethodNotAllowedListsMethods(t *testing.T) {
	v := modica(t)
	got := v.Request(newReq(t, "DELETE", msgPath, ""), nil)
	if len(got) != 1 || !strings.Contains(got[0].Message, "GET, PATCH, POST") {
		t.Fatalf("expected method-not-allowed naming GET, PATCH, POST; got:\n%s", joinFindings(got))
	}
}

func TestRequestValueReturnsBody(t *testing.T) {
	v := modica(t)
	val, fs := v.RequestValue(newReq(t, "POST", msgPath, "application/json"), []byte(goodPostText))
	m, ok := val.(map[string]any)
	if len(fs) != 0 || !ok || m["type"] != "text" {
		t.Fatalf("expected the decoded text message and no findings, got %v %v", val, fs)
	}
}

func TestCallbackModica(t *testing.T) {
	v := modica(t)
	js := hdr("Content-Type", "application/json")
	cases := []struct {
		name string
		kind Kind
		h    http.Header
		body string
		want want
	}{
		{"good DLR", kindStatus, js, goodDLR, want{}},
		{"DLR id not a UUID", kindStatus, js, `{"id":"12345","reference":"r","status":"sent"}`,
			want{CodeBodySchema, "body", "/id", "format: uuid", "/components/schemas/StatusCallback/properties/id/format", "format: uuid"}},
		{"DLR unknown status", kindStatus, js, `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"delivered"}`,
			want{CodeBodySchema, "body", "/status", "enum: [accepted, submitted, sent, received, read, frozen, rejected, failed, dead, expired]", "/components/schemas/StatusCallback/properties/status/enum", "enum:"}},
		{"DLR not JSON", kindStatus, js, `id=1`,
			want{CodeBodyNotJSON, "body", "", "", "/components/schemas/StatusCallback", "StatusCallback:"}},
		{"DLR wrong content type", kindStatus, hdr("Content-Type", "text/plain"), goodDLR,
			want{CodeContentTypeMismatch, "header Content-Type", "", "", "/components/requestBodies/RequestMessageStatusCallback/content", "content:"}},
		{"good MO", kindReply, js, `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","source":"64123456789","destination":"102046588645210","content":{"type":"text","text":{"body":"hi"}}}`, want{}},
		{"MO unknown content type", kindReply, js, `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","content":{"type":"location"}}`,
			want{CodeBodySchema, "body", "/content/type", "enum: [audio, button, document, image, sticker, text, video, interactive, system]", "/components/schemas/ReplyCallbackContent/properties/type/enum", "enum:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := v.Callback(c.kind, c.h, []byte(c.body))
			checkOne(t, v, got, c.want)
			for _, f := range got {
				if f.Operation != c.kind.Operation() {
					t.Errorf("expected operation %s, got %s", c.kind.Operation(), f.Operation)
				}
			}
		})
	}
	if !v.HasCallback(kindStatus) || !v.HasCallback(kindReply) {
		t.Fatal("expected the Modica spec to declare status and reply callbacks")
	}
}

// TestSpecExamplesValidate: every example in the Modica spec (with errata)
// validates against the schema beside it, through the fast path and
// through kin-openapi.
func TestSpecExamplesValidate(t *testing.T) {
	v := modica(t)
	n := 0
	forEachExample(v.doc.T, func(where string, s *openapi3.Schema, value any) {
		n++
		if err := v.visit(s, value); err != nil {
			t.Errorf("%s: expected the example to validate, got:\n%s", where, joinFindings(v.schemaFindings(err, Finding{Code: CodeBodySchema}, "")))
		}
		if err := s.VisitJSON(value, v.full...); err != nil {
			t.Errorf("%s: kin-openapi rejects the example: %v", where, err)
		}
	})
	t.Logf("%d examples", n)
	if n < 20 {
		t.Fatalf("expected at least 20 examples in the spec, found %d", n)
	}
}

// forEachExample calls fn for every example and examples value of every
// media type in components and paths (callbacks included).
func forEachExample(doc *openapi3.T, fn func(where string, s *openapi3.Schema, value any)) {
	visit := func(where string, c openapi3.Content) {
		for mt, m := range c {
			if m == nil || m.Schema == nil || m.Schema.Value == nil {
				continue
			}
			if m.Example != nil {
				fn(where+" "+mt+" example", m.Schema.Value, normalize(m.Example))
			}
			names := make([]string, 0, len(m.Examples))
			for name := range m.Examples {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				if ex := m.Examples[name]; ex != nil && ex.Value != nil {
					fn(where+" "+mt+" examples/"+name, m.Schema.Value, normalize(ex.Value.Value))
				}
			}
		}
	}
	for name, rb := range doc.Components.RequestBodies {
		visit("requestBodies/"+name, rb.Value.Content)
	}
	for name, r := range doc.Components.Responses {
		visit("responses/"+name, r.Value.Content)
	}
}

// normalize round-trips a value through encoding/json, so it has the types
// a decoded body has.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return v
	}
	return out
}

// TestAPIErrorFitsSpec: an error body built from findings of bad requests
// validates against the spec's own APIErrorResponse (with errata).
func TestAPIErrorFitsSpec(t *testing.T) {
	v := modica(t)
	var items []map[string]string
	for _, body := range []string{
		`{"destination":"0211234567","type":"text","text":{"body":"` + strings.Repeat("x", 300) + `"}}`,
		`{"destination":"+64211234567","type":"media","media":{"type":"gif","url":"u"}}`,
		`{"to":"+6421~{|}é","type":"bogus"}`,
	} {
		for _, f := range v.Request(newReq(t, "POST", msgPath, "application/json"), []byte(body)) {
			field, code, desc := f.APIError()
			items = append(items, map[string]string{"field": field, "code": code, "description": desc})
		}
	}
	for _, f := range v.Request(newReq(t, "GET", msgPath+"?id=1", ""), nil) {
		field, code, desc := f.APIError()
		if field != "id" {
			t.Errorf("expected field id for a query parameter finding, got %q", field)
		}
		items = append(items, map[string]string{"field": field, "code": code, "description": desc})
	}
	if len(items) < 5 {
		t.Fatalf("expected several findings, got %d", len(items))
	}
	body, err := json.Marshal(map[string]any{"errors": items})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Response("POST", msgPath, 400, goodHeaders(), body); len(got) != 0 {
		t.Fatalf("expected the error body to conform, got:\n%s\nbody: %s", joinFindings(got), body)
	}
}

// TestFindingField: the field a finding names, as simulators put it in
// their error answers.
func TestFindingField(t *testing.T) {
	for _, tt := range []struct {
		f    Finding
		want string
	}{
		{Finding{Pointer: "/template/language/code", Where: "body"}, "template.language.code"},
		{Finding{Where: "query media_id"}, "media_id"},
		{Finding{Where: "header Content-Type"}, "Content-Type"},
		{Finding{Where: "body"}, "body"},
	} {
		if got := tt.f.Field(); got != tt.want {
			t.Errorf("%+v: Field() = %q, want %q", tt.f, got, tt.want)
		}
	}
}
