package onpremsim

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// simVersion is meta.version of every answer.
const simVersion = "wabcheck-sim"

// metaJSON is the meta object every answer carries.
const metaJSON = `{"api_status":"stable","version":"` + simVersion + `"}`

var (
	hvJSON    = []string{"application/json"}
	hvBearerC = []string{`Bearer realm="wabcheck-sim"`}
)

// maxErrorItems bounds errors[] of one answer.
const maxErrorItems = 20

// errorBody is Meta's error body {meta, errors: [...]}.
func errorBody(errs []onprem.APIError) []byte {
	b, _ := json.Marshal(struct {
		Meta   json.RawMessage   `json:"meta"`
		Errors []onprem.APIError `json:"errors"`
	}{json.RawMessage(metaJSON), errs})
	return b
}

// writeErrors answers status with errors.
func (a *api) writeErrors(w http.ResponseWriter, status int, errs ...onprem.APIError) {
	if status == http.StatusUnauthorized {
		w.Header()["Www-Authenticate"] = hvBearerC
	}
	a.writeJSON(w, status, errorBody(errs))
}

// writeError answers status with one error of code.
func (a *api) writeError(w http.ResponseWriter, status, code int, details string) {
	a.writeErrors(w, status, onprem.APIError{Code: code, Title: onprem.Title(code), Details: details})
}

// writeJSON answers status with a prepared JSON body.
func (a *api) writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = hvJSON
	w.WriteHeader(status)
	_, _ = w.Write(body)
	a.s.CountStatus(status)
}

// writeMeta answers 200 {meta}, the answer of calls without payload.
func (a *api) writeMeta(w http.ResponseWriter) {
	a.writeJSON(w, http.StatusOK, []byte(`{"meta":`+metaJSON+`}`))
}

// coreCodes maps the core's error codes to Meta's.
var coreCodes = map[string]int{
	sim.CodeUnauthorized: onprem.CodeAccessDenied, sim.CodeNotFound: onprem.CodeNotFound,
	sim.CodeMethodNotAllowed: onprem.CodeNotFound, sim.CodeServerError: onprem.CodeInternal,
	sim.CodeStoreFull: onprem.CodeTooManyRequests, sim.CodeRateLimited: onprem.CodeTooManyRequests,
	sim.CodeTooLarge: onprem.CodeParamInvalid, sim.CodeUnsupportedMedia: onprem.CodeParamInvalid,
	sim.CodeBodyNotJSON: onprem.CodeParamInvalid, sim.CodeInvalid: onprem.CodeParamInvalid,
}

// WriteError implements sim.Wire: the core's errors in Meta's shape.
func (a *api) WriteError(w http.ResponseWriter, e sim.Error) {
	code, ok := coreCodes[e.Code]
	if !ok {
		code = onprem.CodeGeneric
	}
	details := e.Message
	if e.Status == http.StatusUnauthorized {
		details = "missing, invalid or expired credentials: log in with POST /v1/users/login (HTTP Basic) and send Authorization: Bearer <token>"
	}
	a.writeError(w, e.Status, code, details)
}

// errorsFromFindings maps request findings to Meta errors: a missing
// value is 1008, any other 1009.
func errorsFromFindings(fs []validate.Finding) []onprem.APIError {
	out := make([]onprem.APIError, 0, min(len(fs), maxErrorItems))
	for _, f := range fs {
		if len(out) == maxErrorItems {
			break
		}
		code := onprem.CodeParamInvalid
		if f.Code == validate.CodeParamMissing || f.Code == validate.CodeBodyMissing || strings.HasPrefix(f.Rule, "required") {
			code = onprem.CodeParamMissing
		}
		where := strings.Trim(f.Pointer, "/")
		if where == "" {
			where = f.Where
		}
		msg := f.Message
		if f.Rule != "" {
			msg += " [" + f.Rule + "]"
		}
		out = append(out, onprem.APIError{Code: code, Title: onprem.Title(code), Details: strings.ReplaceAll(where, "/", ".") + ": " + msg})
	}
	return out
}
