package ycloud

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

var (
	vOnce sync.Once
	testV *validate.Validator
)

// validator is a validator of the embedded spec with errata, compiling the
// dialect's callback kinds.
func validator(t testing.TB) *validate.Validator {
	t.Helper()
	vOnce.Do(func() {
		v, err := validate.New(MustDoc(), validate.Callbacks(New().Callbacks().Kinds()))
		if err != nil {
			panic(err)
		}
		testV = v
	})
	return testV
}

// checkRequest validates a dialect request against the spec: zero findings.
func checkRequest(t *testing.T, r dialect.Request) {
	t.Helper()
	v := validator(t)
	req := httptest.NewRequest(r.Method, "/v2"+r.Path, bytes.NewReader(r.Body))
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	req.Header.Set(HeaderAPIKey, "k")
	if op, ok := v.OperationID(r.Method, "/v2"+r.Path); !ok || op != r.Operation {
		t.Errorf("%s %s: spec operation %q, request says %q", r.Method, r.Path, op, r.Operation)
	}
	for _, f := range v.Request(req, r.Body) {
		t.Errorf("%s %s: %s\nbody: %s", r.Method, r.Path, f, r.Body)
	}
}

// jsonHeader is the header of a JSON callback.
func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

// fakeDoer records requests and answers from a list.
type fakeDoer struct {
	answers []dialect.Answer
	err     error
	got     []dialect.Request
}

func (f *fakeDoer) Do(_ context.Context, r dialect.Request) (dialect.Answer, error) {
	f.got = append(f.got, r)
	if f.err != nil {
		return dialect.Answer{}, f.err
	}
	if len(f.answers) == 0 {
		return dialect.Answer{Status: http.StatusInternalServerError}, nil
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a, nil
}
