package onprem

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/internal/validate"
)

var (
	vOnce sync.Once
	testV *validate.Validator
)

// validator is a validator of the embedded spec with errata, with this
// dialect's callback kinds.
func validator(t testing.TB) *validate.Validator {
	t.Helper()
	vOnce.Do(func() {
		v, err := validate.New(onpremspec.MustDoc(), validate.Callbacks(New().Callbacks().Kinds()))
		if err != nil {
			panic(err)
		}
		testV = v
	})
	return testV
}

// checkRequest validates a dialect request against the spec with errata:
// zero findings, and the operation id the request names.
func checkRequest(t *testing.T, r dialect.Request) {
	t.Helper()
	hr := httptest.NewRequest(r.Method, "http://client.local/v1"+r.Path, bytes.NewReader(r.Body))
	if r.ContentType != "" {
		hr.Header.Set("Content-Type", r.ContentType)
	}
	v := validator(t)
	if id, ok := v.OperationID(r.Method, hr.URL.Path); !ok || id != r.Operation {
		t.Errorf("%s %s: operation %q (%v), request names %q", r.Method, r.Path, id, ok, r.Operation)
	}
	for _, f := range v.Request(hr, r.Body) {
		t.Errorf("%s %s %s: %s", r.Method, r.Path, r.Body, f)
	}
}

// answer is a dialect.Answer with a JSON body.
func answer(status int, body string) dialect.Answer {
	return dialect.Answer{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
