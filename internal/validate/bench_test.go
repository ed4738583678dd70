package validate

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

func benchValidator(b *testing.B) *Validator {
	b.Helper()
	v, err := New(modicaspec.MustDoc(), Callbacks(modicaKinds))
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// goodHeaders are the headers a conformant 202 carries.
func goodHeaders() http.Header {
	return http.Header{
		"Content-Type":              {"application/json"},
		"Content-Security-Policy":   {"frame-ancestors 'none'"},
		"Strict-Transport-Security": {"max-age=31536000; includeSubDomains; preload"},
		"X-Ratelimit-Limit":         {"100"},
	}
}

const (
	goodPostText = `{"destination":"+64211234567","type":"text","reference":"load-000001","text":{"body":"Hello from wabcheck"}}`
	good202      = `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`
	goodDLR      = `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","reference":"ref-abc123","status":"received"}`
)

func BenchmarkRequestPostMessagesText(b *testing.B) {
	v := benchValidator(b)
	r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080/rest/wab/v1/messages", nil)
	r.Header.Set("Content-Type", "application/json")
	body := []byte(goodPostText)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if f := v.Request(r, body); len(f) != 0 {
			b.Fatal(f)
		}
	}
}

func BenchmarkResponse202(b *testing.B) {
	v := benchValidator(b)
	h := goodHeaders()
	body := []byte(good202)
	b.ReportAllocs()
	for b.Loop() {
		if f := v.Response(http.MethodPost, "/rest/wab/v1/messages", 202, h, body); len(f) != 0 {
			b.Fatal(f)
		}
	}
}

func BenchmarkCallbackStatus(b *testing.B) {
	v := benchValidator(b)
	h := http.Header{"Content-Type": {"application/json"}}
	body := []byte(goodDLR)
	b.ReportAllocs()
	for b.Loop() {
		if f := v.Callback(kindStatus, h, body); len(f) != 0 {
			b.Fatal(f)
		}
	}
}

// BenchmarkKinBaselinePostMessages is what Request's body check costs
// without the fast path: encoding/json into any, then kin-openapi's
// VisitJSON with FailFast, for comparison.
func BenchmarkKinBaselinePostMessages(b *testing.B) {
	v := benchValidator(b)
	s := v.exact["/messages"].ops["POST"].body.media[0].schema
	body := []byte(goodPostText)
	b.ReportAllocs()
	for b.Loop() {
		var val any
		if err := json.Unmarshal(body, &val); err != nil {
			b.Fatal(err)
		}
		if err := s.VisitJSON(val, v.fast...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResponseInvalid202 is the failing path: the fast check fails,
// kin-openapi collects every violation, findings are located in the spec.
func BenchmarkResponseInvalid202(b *testing.B) {
	v := benchValidator(b)
	h := goodHeaders()
	body := []byte(`{"message_id":"nope","status":"queued"}`)
	b.ReportAllocs()
	for b.Loop() {
		if f := v.Response(http.MethodPost, "/rest/wab/v1/messages", 202, h, body); len(f) != 2 {
			b.Fatal(f)
		}
	}
}
