package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

func testEnv(t testing.TB) *Env {
	t.Helper()
	doc := modicaspec.MustDoc()
	d := modica.New()
	v, err := validate.New(doc, validate.Callbacks(d.Callbacks().Kinds()))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &Env{Dialect: d, Auth: dialect.NewBasicAuth("wabcheck", "wabcheck"),
		BaseURL: "http://127.0.0.1:1/rest/wab/v1", To: []string{"+64211000001"}, Client: http.DefaultClient,
		Doc: doc, Validator: v, Receiver: callbacks.NewReceiver(v, d, callbacks.Options{}), DLRTimeout: time.Second,
		Now: func() time.Time { return now }}
}

func TestExpand(t *testing.T) {
	s := New(testEnv(t))
	s.expectMessage("3fa85f64-5717-4562-b3fc-2c963f66afa6", "r", "+64211000001")
	tests := []struct{ in, want, err string }{
		{"{{to}}", "+64211000001", ""},
		{"{{from}}", "102046588645210", ""}, // the simulator's business number
		{"{{ref}}", s.Reference(), ""},
		{"{{ message_id }}", "3fa85f64-5717-4562-b3fc-2c963f66afa6", ""},
		{"{{now+30d}}", "2026-03-31T12:00:00Z", ""},
		{"{{3 x}}", "xxx", ""},
		{"{{media_id}}", "", "unknown placeholder {{media_id}}"},
		{"{{nope}}", "", "unknown placeholder {{nope}}"},
	}
	for _, tt := range tests {
		got, err := s.expand(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("expand(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestSplitWarnsOnlyForMissingRange(t *testing.T) {
	e := testEnv(t)
	strict, err := modicaspec.Load("", spec.ErrataNone) // no E10: broadcast declares no 4XX
	if err != nil {
		t.Fatal(err)
	}
	e.Doc = strict
	undeclared := func(op string, status int) validate.Finding {
		return validate.Finding{Code: validate.CodeStatusUndeclared, Operation: op, Status: status}
	}
	tests := []struct {
		f    validate.Finding
		warn bool
	}{
		{undeclared("messages_broadcast_post", 400), true}, // no 4XX declared: DEFECTS.md omission
		{undeclared("messages_broadcast_post", 200), false},
		{undeclared("PostMessages", 200), false},
		{undeclared("messages_broadcast_post", 503), false},
		{validate.Finding{Code: validate.CodeHeaderMissing, Operation: "messages_broadcast_post", Status: 400}, false},
	}
	for _, tt := range tests {
		fail, warn := e.split([]validate.Finding{tt.f})
		if (len(warn) == 1) != tt.warn || len(fail)+len(warn) != 1 {
			t.Errorf("%s %s %d: fail %d warn %d, want warn=%v", tt.f.Code, tt.f.Operation, tt.f.Status, len(fail), len(warn), tt.warn)
		}
	}
}

func TestCallbackAuth(t *testing.T) {
	var passed int
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { passed++ })
	a := NewCallbackAuth(next, modica.New().Callbacks(), "cb", "p@ss", nil)
	post := func(user, pass string) int {
		req := httptest.NewRequest(http.MethodPost, "/status", strings.NewReader(`{"id":"m1","status":"sent"}`))
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		return w.Code
	}
	if code := post("cb", "p@ss"); code != http.StatusOK {
		t.Errorf("right credentials: %d, want 200", code)
	}
	if code := post("cb", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d, want 401", code)
	}
	if code := post("", ""); code != http.StatusUnauthorized {
		t.Errorf("no credentials: %d, want 401", code)
	}
	if good, bad := a.Seen("m1"); good != 1 || bad != 2 || passed != 1 {
		t.Errorf("Seen = %d good, %d bad, %d passed on; want 1, 2, 1", good, bad, passed)
	}
}

func TestJSONField(t *testing.T) {
	body := []byte(`{"a":{"b":[{"c":"x"}]},"n":3}`)
	for path, want := range map[string]any{"a.b.0.c": "x", "n": 3.0} {
		v, ok, err := jsonField(body, path)
		if err != nil || !ok || v != want {
			t.Errorf("%s = %v %v %v, want %v", path, v, ok, err, want)
		}
	}
	if _, ok, _ := jsonField(body, "a.b.1.c"); ok {
		t.Error("a.b.1.c found, want absent")
	}
	if _, _, err := jsonField([]byte("{"), "a"); err == nil {
		t.Error("malformed JSON: no error")
	}
}

// BenchmarkValidateResponse is the cost of validating one response (a
// POST /messages 202 with headers and body), as every step does.
func BenchmarkValidateResponse(b *testing.B) {
	e := testEnv(b)
	h := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Limit": {"100"},
		"Content-Security-Policy": {"frame-ancestors 'none'"}, "Strict-Transport-Security": {"max-age=31536000; includeSubDomains"}}
	body := []byte(`{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`)
	b.ReportAllocs()
	for b.Loop() {
		if fs := e.Validator.Response("POST", "/rest/wab/v1/messages", 202, h, body); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
}

// TestNoUnknownCallbacksCountsThoseNotKept is issue 13 item 2: when the
// receiver keeps only some of a flood of unknown callbacks, the step still
// fails and says how many more there were.
func TestNoUnknownCallbacksCountsThoseNotKept(t *testing.T) {
	e := testEnv(t)
	e.Receiver = callbacks.NewReceiver(nil, modica.New(), callbacks.Options{MaxUnknown: 2})
	s := New(e)
	for i := range 5 {
		body := `{"id":"3fa85f64-5717-4562-b3fc-00000000000` + string(rune('0'+i)) + `","reference":"r","status":"sent"}`
		e.Receiver.Ingest("/status", http.Header{}, []byte(body))
	}
	err := s.noUnknownCallbacks(context.Background())
	if err == nil || !strings.Contains(err.Error(), "and 3 more not kept") || strings.Count(err.Error(), "status callback at") != 2 {
		t.Fatalf("expected two listed and 3 more not kept, got %v", err)
	}
}
