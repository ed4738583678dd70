package onprem

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// testSpec is the embedded spec with errata and its validator, with this
// dialect's callback kinds.
var testSpec = simtest.NewSpec(onpremspec.MustDoc, New())

// checkRequest validates a dialect request against the spec with errata:
// zero findings, and the operation id the request names.
func checkRequest(t *testing.T, r dialect.Request) {
	t.Helper()
	testSpec.CheckRequest(t, "/v1", r, nil)
}

// answer is a dialect.Answer with a JSON body.
func answer(status int, body string) dialect.Answer {
	return dialect.Answer{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
