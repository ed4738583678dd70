package ycloud

import (
	"context"
	"net/http"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// testSpec is the embedded spec with errata and its validator, with the
// dialect's callback kinds.
var testSpec = simtest.NewSpec(MustDoc, New())

// checkRequest validates a dialect request against the spec: zero findings.
func checkRequest(t *testing.T, r dialect.Request) {
	t.Helper()
	testSpec.CheckRequest(t, "/v2", r, http.Header{HeaderAPIKey: {"k"}})
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
