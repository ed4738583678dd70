package ycloudsim

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Header keys, canonical, to set headers without canonicalising per
// request.
const (
	hRequestID   = "Ycloud-Request-Id" // http.CanonicalHeaderKey("YCloud-Request-ID")
	hContentType = "Content-Type"
)

var hvJSON = []string{"application/json"}

// YCloud's error codes ("Handle errors" catalog; notes in
// ../shared/notes/vendors.md).
const (
	codeBadRequest       = "BAD_REQUEST"
	codeUnauthorized     = "UNAUTHORIZED"
	codeNotFound         = "NOT_FOUND"
	codeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	codeTooMany          = "TOO_MANY_REQUESTS"
	codeInternal         = "INTERNAL_SERVER_ERROR"
)

// codeFor is the YCloud code of an HTTP status.
func codeFor(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return codeUnauthorized
	case http.StatusNotFound:
		return codeNotFound
	case http.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case http.StatusTooManyRequests:
		return codeTooMany
	case http.StatusBadRequest:
		return codeBadRequest
	}
	return codeInternal
}

// requestIDs makes request ids: "req_", a random prefix per server and a
// counter, unique without a lock.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() requestIDs { return requestIDs{prefix: "req_" + sim.NewMediaID()[:10]} }

// next returns a new request id as a one-value header.
func (r *requestIDs) next() []string {
	b := make([]byte, 0, 32)
	b = append(b, r.prefix...)
	b = strconv.AppendUint(b, r.n.Add(1), 36)
	return []string{string(b)}
}

// apiErr is one error answer.
type apiErr struct {
	status         int
	code, message  string
	target         string
	whatsappAPIErr *failure // the WhatsApp error behind a refused send
	retryAfterSecs int
}

// writeError answers e with YCloud's error body {"error": {status, code,
// message, target?, requestId, whatsappApiError?}} (unwrapped when the
// fault says so) and the request id header.
func (a *api) writeError(w http.ResponseWriter, e apiErr) {
	h := w.Header()
	rid := a.reqIDs.next()
	h[hRequestID] = rid
	h[hContentType] = hvJSON
	if e.retryAfterSecs > 0 {
		h["Retry-After"] = []string{strconv.Itoa(e.retryAfterSecs)}
	}
	bp := sim.GetBuf()
	b := (*bp)[:0]
	wrapped := !a.s.Hit(a.f.unwrappedErrorBody)
	if wrapped {
		b = append(b, `{"error":`...)
	}
	b = appendErrorObject(b, e, rid[0])
	if wrapped {
		b = append(b, '}')
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(b)
	*bp = b
	sim.PutBuf(bp)
	a.s.CountStatus(e.status)
}

func appendErrorObject(b []byte, e apiErr, requestID string) []byte {
	b = append(b, `{"status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, `,"code":`...)
	b = jsonw.AppendString(b, e.code)
	b = append(b, `,"message":`...)
	b = jsonw.AppendString(b, e.message)
	if e.target != "" {
		b = append(b, `,"target":`...)
		b = jsonw.AppendString(b, e.target)
	}
	b = append(b, `,"requestId":`...)
	b = jsonw.AppendString(b, requestID)
	if e.whatsappAPIErr != nil {
		b = append(b, `,"whatsappApiError":`...)
		b = e.whatsappAPIErr.appendAPIError(b)
	}
	return append(b, '}')
}

// badRequest answers 400 naming the field at fault.
func (a *api) badRequest(w http.ResponseWriter, target, message string) {
	a.writeError(w, apiErr{status: http.StatusBadRequest, code: codeBadRequest, target: target, message: message})
}

// findingsError answers 400 for request findings: the first one, its
// field as the target (YCloud reports one error per answer).
func (a *api) findingsError(w http.ResponseWriter, fs []validate.Finding) {
	f := fs[0]
	msg := f.Message
	if f.Rule != "" && !strings.Contains(msg, f.Rule) {
		msg += " [" + f.Rule + "]"
	}
	a.badRequest(w, f.Field(), msg)
}

// writeJSON answers status with a prepared JSON body.
func (a *api) writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h[hRequestID] = a.reqIDs.next()
	h[hContentType] = hvJSON
	w.WriteHeader(status)
	_, _ = w.Write(body)
	a.s.CountStatus(status)
}

// writeEmpty answers status without a body.
func (a *api) writeEmpty(w http.ResponseWriter, status int) {
	w.Header()[hRequestID] = a.reqIDs.next()
	w.WriteHeader(status)
	a.s.CountStatus(status)
}

// rfc3339Millis is YCloud's time format ("2022-06-01T12:00:00.000Z").
const rfc3339Millis = "2006-01-02T15:04:05.000Z07:00"

// badTimeFormat is what the non-rfc3339-times fault writes instead.
const badTimeFormat = "2006-01-02 15:04:05"

// appendTime appends t (unix seconds) as a JSON string in UTC.
func appendTime(b []byte, unix int64, bad bool) []byte {
	if bad {
		b = append(b, '"')
		b = time.Unix(unix, 0).UTC().AppendFormat(b, badTimeFormat)
		return append(b, '"')
	}
	b = append(b, '"')
	b = appendRFC3339Millis(b, unix)
	return append(b, '"')
}

// appendRFC3339Millis appends unix (seconds, UTC) as
// "2006-01-02T15:04:05.000Z" without going through time.Time formatting:
// events and answers carry several times each, on the hot path.
func appendRFC3339Millis(b []byte, unix int64) []byte {
	days, secs := unix/86400, unix%86400
	if secs < 0 {
		days, secs = days-1, secs+86400
	}
	y, m, d := civil(days)
	if y < 0 || y > 9999 {
		return time.Unix(unix, 0).UTC().AppendFormat(b, rfc3339Millis)
	}
	b = append4(b, int(y))
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, 'T')
	b = append2(b, int(secs/3600))
	b = append(b, ':')
	b = append2(b, int(secs/60%60))
	b = append(b, ':')
	b = append2(b, int(secs%60))
	return append(b, ".000Z"...)
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's civil_from_days).
func civil(days int64) (year int64, month, day int) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	month = int(mp + 3)
	if month > 12 {
		month -= 12
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

func append4(b []byte, n int) []byte {
	return append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}
