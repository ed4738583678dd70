package modicasim

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Header values every response carries, as the spec's components/headers
// describe them (and its examples show).
var (
	hvCSP        = []string{"frame-ancestors 'none'"}
	hvHSTS       = []string{"max-age=31536000; includeSubDomains; preload"}
	hvJSON       = []string{"application/json"}
	hvNoSniff    = []string{"nosniff"}
	hvOctet      = []string{"application/octet-stream"}
	hvRetryBelow = []string{"1"}
	hvWWWAuth    = []string{`Basic realm="wabcheck-sim"`}
)

// Canonical header keys, to set headers without canonicalising per request.
const (
	hCSP         = "Content-Security-Policy"
	hHSTS        = "Strict-Transport-Security"
	hRateLimit   = "X-Ratelimit-Limit" // http.CanonicalHeaderKey("X-RateLimit-Limit")
	hRetryAfter  = "Retry-After"
	hContentType = "Content-Type"
	hNoSniff     = "X-Content-Type-Options"
)

// setCommonHeaders sets the security and rate-limit headers (unless a
// fault drops them).
func (a *api) setCommonHeaders(h http.Header) {
	if !a.s.Hit(a.f.missingSecurityHeader) {
		h[hCSP] = hvCSP
		h[hHSTS] = hvHSTS
	}
	if !a.s.Hit(a.f.missingRateLimitHeader) {
		h[hRateLimit] = a.s.AdvertisedLimit()
	}
	h[hNoSniff] = hvNoSniff
}

// apiError is one item of an APIErrorResponse.
type apiError struct {
	Field       string `json:"field"`
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Stable error codes of the Modica wire's own checks (validation findings
// keep their validate.Code… codes; the core's are sim.Code…).
const (
	codeDestRefused   = "destination-refused"
	codeScheduleRange = "scheduled-out-of-range"
	codeBadMultipart  = "multipart-invalid"
	codeMediaType     = "media-type-unsupported"
)

// maxErrorItems is the spec's APIErrorResponse.errors maxItems.
const maxErrorItems = 50

// maxErrorText is the spec's maxLength of APIError field, code and
// description.
const maxErrorText = 100

// errText makes s satisfy APIError's patterns and maxLength: printable
// ASCII from space to '_' plus lower-case letters (and '.') for field and
// code; the description pattern also allows '`'. Other characters are
// mapped to look-alikes or '?'.
func errText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < maxErrorText; i++ {
		c := s[i]
		switch {
		case c >= ' ' && c <= '_', c >= 'a' && c <= 'z':
			b.WriteByte(c)
		case c == '{':
			b.WriteByte('(')
		case c == '}':
			b.WriteByte(')')
		case c == '|':
			b.WriteByte('/')
		case c == '~':
			b.WriteByte('-')
		case c == '\t' || c == '\n' || c == '\r':
			b.WriteByte(' ')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// errorsFromFindings maps request findings to APIError items (at most 50).
func errorsFromFindings(fs []validate.Finding) []apiError {
	out := make([]apiError, 0, min(len(fs), maxErrorItems))
	for _, f := range fs {
		if len(out) == maxErrorItems {
			break
		}
		msg := f.Message
		if f.Rule != "" && !strings.Contains(msg, f.Rule) {
			msg = f.Rule + ": " + msg
		}
		out = append(out, apiError{Field: f.Field(), Code: f.Code, Description: msg})
	}
	return out
}

// appendErrors appends {"errors":[...]} with every text made schema-valid.
func appendErrors(b []byte, errs []apiError) []byte {
	b = append(b, `{"errors":[`...)
	for i, e := range errs {
		if i == maxErrorItems {
			break
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = jsonw.AppendString(b, errText(e.Field))
		b = append(b, `,"code":`...)
		b = jsonw.AppendString(b, errText(e.Code))
		b = append(b, `,"description":`...)
		b = jsonw.AppendString(b, errText(e.Description))
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// writeErrors answers status with an APIErrorResponse.
func (a *api) writeErrors(w http.ResponseWriter, status int, errs ...apiError) {
	h := w.Header()
	a.setCommonHeaders(h)
	h[hContentType] = hvJSON
	bp := sim.GetBuf()
	b := appendErrors((*bp)[:0], errs)
	w.WriteHeader(status)
	_, _ = w.Write(b)
	*bp = b
	sim.PutBuf(bp)
	a.s.CountStatus(status)
}

// writeError answers status with one error item.
func (a *api) writeError(w http.ResponseWriter, status int, field, code, desc string) {
	a.writeErrors(w, status, apiError{Field: field, Code: code, Description: desc})
}

// writeJSON answers status with a prepared JSON body.
func (a *api) writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	a.setCommonHeaders(h)
	h[hContentType] = hvJSON
	w.WriteHeader(status)
	_, _ = w.Write(body)
	a.s.CountStatus(status)
}

// writeEmpty answers status without a body (PATCH, POST /source, healthz).
func (a *api) writeEmpty(w http.ResponseWriter, status int) {
	a.setCommonHeaders(w.Header())
	w.WriteHeader(status)
	a.s.CountStatus(status)
}

// itoaHeader is a one-value header slice for n.
func itoaHeader(n int) []string { return []string{strconv.Itoa(n)} }
