package validate

import (
	"net/http"
	"strings"
	"testing"
)

const msgPath = "/rest/wab/v1/messages"

// want is the one finding a case expects; specPtr is the spec JSON pointer
// the finding must locate, specText a fragment of that spec line.
type want struct {
	code, where, pointer, rule, specPtr, specText string
}

func checkOne(t *testing.T, v *Validator, got []Finding, w want) {
	t.Helper()
	if w.code == "" {
		if len(got) != 0 {
			t.Fatalf("expected no findings, got %d:\n%s", len(got), joinFindings(got))
		}
		return
	}
	if len(got) != 1 {
		t.Fatalf("expected exactly 1 finding (%s), got %d:\n%s", w.code, len(got), joinFindings(got))
	}
	f := got[0]
	if f.Code != w.code || f.Where != w.where || f.Pointer != w.pointer || f.Rule != w.rule {
		t.Errorf("expected code=%s where=%q pointer=%q rule=%q, got code=%s where=%q pointer=%q rule=%q",
			w.code, w.where, w.pointer, w.rule, f.Code, f.Where, f.Pointer, f.Rule)
	}
	if f.Message == "" || strings.Contains(f.Message, "\n") {
		t.Errorf("expected a one-line message, got %q", f.Message)
	}
	if w.specPtr != "" {
		if loc := v.doc.Locate(w.specPtr); f.Spec != loc {
			t.Errorf("expected spec location %v (%s), got %v", loc, w.specPtr, f.Spec)
		}
	}
	if f.Spec.Line <= 0 {
		t.Fatalf("expected a spec line, got %v", f.Spec)
	}
	if line := specLine(t, v, f.Spec.Line); !strings.Contains(line, w.specText) {
		t.Errorf("expected spec line %d to contain %q, got %q", f.Spec.Line, w.specText, line)
	}
}

func joinFindings(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}

// good202 returns the headers of a conformant 202, with overrides: a value
// of "" deletes the header.
func goodHeadersWith(kv ...string) http.Header {
	h := goodHeaders()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			h.Del(kv[i])
		} else {
			h.Set(kv[i], kv[i+1])
		}
	}
	return h
}

func TestResponseModica(t *testing.T) {
	v := modica(t)
	tooMany := `{"errors":[{"field":"rate","code":"too-many","description":"slow down"}]}`
	cases := []struct {
		name   string
		status int
		h      http.Header
		body   string
		want   want
	}{
		{"good 202", 202, goodHeaders(), good202, want{}},
		{"good 202 with charset", 202, goodHeadersWith("Content-Type", "application/json; charset=utf-8"), good202, want{}},
		{"missing message_id is allowed by the spec (no required)", 202, goodHeaders(), `{"status":"accepted"}`, want{}},
		{"non-UUID message_id", 202, goodHeaders(), `{"message_id":"not-a-uuid","status":"accepted"}`,
			want{CodeBodySchema, "body", "/message_id", `pattern: ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, "/components/schemas/Uuid/pattern", "pattern:"}},
		{"unknown status value", 202, goodHeaders(), `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"queued"}`,
			want{CodeBodySchema, "body", "/status", "enum: [accepted]", "/components/responses/ResponseMessagesPost/content/application~1json/schema/properties/status/enum", "enum:"}},
		{"status of wrong type", 202, goodHeaders(), `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":7}`,
			want{CodeBodySchema, "body", "/status", "enum: [accepted]", "", "enum:"}},
		{"missing X-RateLimit-Limit", 202, goodHeadersWith("X-RateLimit-Limit", ""), good202,
			want{CodeHeaderMissing, "header X-RateLimit-Limit", "", "", "/components/responses/ResponseMessagesPost/headers/X-RateLimit-Limit", "X-RateLimit-Limit:"}},
		{"X-RateLimit-Limit over maximum", 202, goodHeadersWith("X-RateLimit-Limit", "101"), good202,
			want{CodeHeaderInvalid, "header X-RateLimit-Limit", "", "maximum: 100", "/components/headers/X-RateLimit-Limit/schema/maximum", "maximum: 100"}},
		{"X-RateLimit-Limit not an integer", 202, goodHeadersWith("X-RateLimit-Limit", "ten"), good202,
			want{CodeHeaderInvalid, "header X-RateLimit-Limit", "", "type: integer", "/components/headers/X-RateLimit-Limit/schema/type", "type: integer"}},
		{"HSTS malformed", 202, goodHeadersWith("Strict-Transport-Security", "max-age=abc"), good202,
			want{CodeHeaderInvalid, "header Strict-Transport-Security", "", "pattern: ^max-age=[0-9]+(; includeSubDomains)?(; preload)?$", "/components/headers/Strict-Transport-Security/schema/pattern", "pattern:"}},
		{"good 429", 429, goodHeadersWith("Retry-After", "30"), tooMany, want{}},
		{"Retry-After under range", 429, goodHeadersWith("Retry-After", "5"), tooMany,
			want{CodeHeaderInvalid, "header Retry-After", "", "minimum: 10", "/components/headers/RetryAfter/schema/minimum", "minimum: 10"}},
		{"Retry-After over range", 429, goodHeadersWith("Retry-After", "1001"), tooMany,
			want{CodeHeaderInvalid, "header Retry-After", "", "maximum: 1000", "/components/headers/RetryAfter/schema/maximum", "maximum: 1000"}},
		{"Retry-After missing on 429", 429, goodHeaders(), tooMany,
			want{CodeHeaderMissing, "header Retry-After", "", "", "/components/responses/TooManyRequests/headers/Retry-After", "Retry-After:"}},
		{"200 instead of 202", 200, goodHeaders(), good202,
			want{CodeStatusUndeclared, "status", "", "", "/paths/~1messages/post/responses", "responses:"}},
		{"4XX range covers 404", 404, goodHeaders(), `{"errors":[]}`, want{}},
		{"wrong content type", 202, goodHeadersWith("Content-Type", "text/plain"), good202,
			want{CodeContentTypeMismatch, "header Content-Type", "", "", "/components/responses/ResponseMessagesPost/content", "content:"}},
		{"no content type", 202, goodHeadersWith("Content-Type", ""), good202,
			want{CodeContentTypeMismatch, "header Content-Type", "", "", "/components/responses/ResponseMessagesPost/content", "content:"}},
		{"body not JSON", 202, goodHeaders(), `{"message_id":`,
			want{CodeBodyNotJSON, "body", "", "", "/components/responses/ResponseMessagesPost/content/application~1json/schema", "schema:"}},
		{"empty body", 202, goodHeaders(), ``,
			want{CodeBodyMissing, "body", "", "", "/components/responses/ResponseMessagesPost/content", "content:"}},
		{"APIError with extra property", 400, goodHeaders(), `{"errors":[{"field":"a","code":"b","description":"c","hint":"d"}]}`,
			want{CodeBodySchema, "body", "/errors/0", "additionalProperties: false", "/components/schemas/APIError/additionalProperties", "additionalProperties: false"}},
		{"APIError missing description", 400, goodHeaders(), `{"errors":[{"field":"a","code":"b"}]}`,
			want{CodeBodySchema, "body", "/errors/0/description", "required: description", "/components/schemas/APIError/required/2", "- description"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := v.Response(http.MethodPost, msgPath, c.status, c.h, []byte(c.body))
			checkOne(t, v, got, c.want)
			for _, f := range got {
				if f.Operation != "PostMessages" || f.Method != "POST" || f.Path != "/messages" || f.Status != c.status {
					t.Errorf("expected PostMessages POST /messages %d, got %s %s %s %d", c.status, f.Operation, f.Method, f.Path, f.Status)
				}
			}
		})
	}
}

func TestResponseReportsEveryViolation(t *testing.T) {
	v := modica(t)
	got := v.Response(http.MethodPost, msgPath, 202, goodHeadersWith("X-RateLimit-Limit", ""), []byte(`{"message_id":"nope","status":"queued"}`))
	want := []string{CodeHeaderMissing, CodeBodySchema, CodeBodySchema}
	if strings.Join(codes(got), ",") != strings.Join(want, ",") {
		t.Fatalf("expected %v, got:\n%s", want, joinFindings(got))
	}
	if got[1].Pointer != "/message_id" || got[2].Pointer != "/status" {
		t.Errorf("expected pointers /message_id, /status; got %q, %q", got[1].Pointer, got[2].Pointer)
	}
}

func TestResponseRouting(t *testing.T) {
	v := modica(t)
	cases := []struct {
		method, path string
		want         string
	}{
		{"GET", "/rest/wab/v1/nowhere", CodePathUnknown},
		{"DELETE", "/rest/wab/v1/messages", CodeMethodNotAllowed},
		{"GET", "http-less/relative", CodePathUnknown},
	}
	for _, c := range cases {
		got := v.Response(c.method, c.path, 200, goodHeaders(), nil)
		if len(got) != 1 || got[0].Code != c.want {
			t.Errorf("%s %s: expected %s, got:\n%s", c.method, c.path, c.want, joinFindings(got))
		}
	}
	// The healthz 200 declares no content: a body is a finding, none is fine.
	h := goodHeadersWith("Content-Type", "")
	if got := v.Response("GET", "/rest/wab/v1/healthz?x=1", 200, h, nil); len(got) != 0 {
		t.Errorf("healthz without body: expected no findings, got:\n%s", joinFindings(got))
	}
	if got := v.Response("GET", "/rest/wab/v1/healthz", 200, h, []byte("ok")); len(got) != 1 || got[0].Code != CodeBodyUndeclared {
		t.Errorf("healthz with body: expected %s, got:\n%s", CodeBodyUndeclared, joinFindings(got))
	}
}

func TestOperationID(t *testing.T) {
	v := modica(t)
	cases := []struct {
		method, path, id string
		ok               bool
	}{
		{"POST", "/rest/wab/v1/messages", "PostMessages", true},
		{"post", "/messages?x=1", "PostMessages", true},
		{"GET", "/rest/wab/v1/media", "GetMedia", true},
		{"POST", "/rest/wab/v1/messages/broadcast", "messages_broadcast_post", true},
		{"GET", "/rest/wab/v1/healthz", "GetHealthz", true},
		{"DELETE", "/rest/wab/v1/messages", "", false},
		{"GET", "/rest/wab/v1/nope", "", false},
		{"GET", "/rest/wab/v1messages", "", false},
	}
	for _, c := range cases {
		id, ok := v.OperationID(c.method, c.path)
		if id != c.id || ok != c.ok {
			t.Errorf("OperationID(%s, %s): expected %q %v, got %q %v", c.method, c.path, c.id, c.ok, id, ok)
		}
	}
	if got := strings.Join(v.Allowed("/rest/wab/v1/messages"), ","); got != "GET,PATCH,POST" {
		t.Errorf("Allowed(/messages): expected GET,PATCH,POST, got %s", got)
	}
}

// TestConcurrentUse runs the validator from many goroutines (run with
// -race): caches (spec locations, last good header values) are shared.
func TestConcurrentUse(t *testing.T) {
	v := modica(t)
	done := make(chan []Finding)
	for g := 0; g < 8; g++ {
		go func(g int) {
			var out []Finding
			for i := 0; i < 50; i++ {
				h := goodHeadersWith("X-RateLimit-Limit", []string{"100", "101"}[(g+i)%2])
				out = append(out, v.Response(http.MethodPost, msgPath, 202, h, []byte(good202))...)
				out = append(out, v.Callback(kindStatus, hdr("Content-Type", "application/json"), []byte(`{"id":"x"}`))...)
			}
			done <- out
		}(g)
	}
	total := 0
	for g := 0; g < 8; g++ {
		total += len(<-done)
	}
	// Half the responses carry X-RateLimit-Limit 101 (one finding each),
	// and every callback has a bad id (one finding each).
	if want := 8*25 + 8*50; total != want {
		t.Fatalf("expected %d findings, got %d", want, total)
	}
}
