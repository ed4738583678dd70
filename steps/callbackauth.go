package steps

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// maxCallbackBody bounds a callback body CallbackAuth reads, the same
// bound as the receiver's (callbacks.Options.MaxBody): a longer one is
// answered 413 and recorded, never cut and passed on.
const maxCallbackBody = 1 << 20

// maxTooLargeKept bounds the over-limit callbacks CallbackAuth keeps a
// record of (all are counted).
const maxTooLargeKept = 20

// CallbackAuth wraps a callback handler (the receiver's) and requires the
// HTTP Basic credentials the callback URL carries (https://user:p%40ss@…):
// callbacks without them are answered 401 and not passed on. It counts, per
// message id, the callbacks that carried them and those that did not. A
// body over maxCallbackBody is answered 413 and recorded (TooLarge).
type CallbackAuth struct {
	user, pass string
	next       http.Handler
	now        func() time.Time
	model      dialect.CallbackModel // reads the message ids a callback names

	mu       sync.Mutex
	good     map[string]int
	bad      map[string]int
	tooLarge int
	kept     []report.Callback
}

// NewCallbackAuth wraps next so that it only sees callbacks carrying user
// and pass; model reads the message ids a callback names (for Seen); now
// stamps the over-limit ones (nil: time.Now).
func NewCallbackAuth(next http.Handler, model dialect.CallbackModel, user, pass string, now func() time.Time) *CallbackAuth {
	if now == nil {
		now = time.Now
	}
	return &CallbackAuth{user: user, pass: pass, next: next, now: now, model: model, good: map[string]int{}, bad: map[string]int{}}
}

// User is the user name required.
func (a *CallbackAuth) User() string { return a.user }

// Seen returns how many callbacks for message id carried the credentials
// (good) and how many were refused (bad).
func (a *CallbackAuth) Seen(id string) (good, bad int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.good[id], a.bad[id]
}

// TooLarge returns how many callbacks carrying the credentials were
// answered 413 for a body over the limit, and the records of the first
// ones (a body-too-large finding each; the body was not read).
func (a *CallbackAuth) TooLarge() (int, []report.Callback) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tooLarge, append([]report.Callback(nil), a.kept...)
}

// ServeHTTP checks the credentials, then the size, counts the callback
// and passes it on.
func (a *CallbackAuth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b httpc.Body
	if r.ContentLength <= maxCallbackBody {
		var err error
		if b, err = httpc.ReadBody(r.Body, maxCallbackBody); err != nil {
			http.Error(w, `{"errors":[{"field":"body","code":"unreadable","description":"cannot read the body"}]}`, http.StatusBadRequest)
			return
		}
	}
	over := r.ContentLength > maxCallbackBody || b.Truncated
	if !a.authorized(r, a.ids(r, b.Data, over), over) {
		w.Header().Set("WWW-Authenticate", `Basic realm="wabcheck callbacks"`)
		writeJSONError(w, http.StatusUnauthorized, "Authorization", "unauthorized", "the credentials of the callback URL are required")
		return
	}
	if over {
		a.recordTooLarge(r)
		writeJSONError(w, http.StatusRequestEntityTooLarge, "body", "too_large", fmt.Sprintf("callback bodies are read up to %d bytes", maxCallbackBody))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(b.Data))
	a.next.ServeHTTP(w, r)
}

// ids are the message ids a callback names, as the dialect reads it (one
// "" for a body over the limit or one it cannot read).
func (a *CallbackAuth) ids(r *http.Request, body []byte, over bool) []string {
	if over || a.model == nil {
		return []string{""}
	}
	evs, err := a.model.Events(a.model.Classify(r.URL.Path, r.Header, body), body, nil)
	if err != nil || len(evs) == 0 {
		return []string{""}
	}
	ids := make([]string, 0, len(evs))
	for _, e := range evs {
		ids = append(ids, e.MessageID)
	}
	return ids
}

// authorized checks r's credentials and counts the callback under the ids
// it names.
func (a *CallbackAuth) authorized(r *http.Request, ids []string, over bool) bool {
	u, p, ok := r.BasicAuth()
	ok = ok && subtle.ConstantTimeCompare([]byte(u), []byte(a.user)) == 1 && subtle.ConstantTimeCompare([]byte(p), []byte(a.pass)) == 1
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range ids {
		if ok && !over {
			a.good[id]++
		} else if !ok {
			a.bad[id]++
		}
	}
	return ok
}

// recordTooLarge counts an over-limit callback and keeps the first ones.
func (a *CallbackAuth) recordTooLarge(r *http.Request) {
	var kind validate.Kind
	if a.model != nil {
		kind = validate.Kind(a.model.Classify(r.URL.Path, r.Header, nil))
	}
	msg := fmt.Sprintf("callback body over the limit, truncated at %d bytes; answered 413, not read further", maxCallbackBody)
	if r.ContentLength > 0 {
		msg += fmt.Sprintf(" (Content-Length %d)", r.ContentLength)
	}
	c := report.Callback{Kind: string(kind), At: a.now(), Unknown: true, Findings: []validate.Finding{{
		Code: CodeBodyTooLarge, Operation: kind.Operation(), Method: r.Method, Path: r.URL.Path, Where: "body", Message: msg}}}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tooLarge++
	if len(a.kept) < maxTooLargeKept {
		a.kept = append(a.kept, c)
	}
}

// writeJSONError answers status with an error body of the spec's shape.
func writeJSONError(w http.ResponseWriter, status int, field, code, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"field": field, "code": code, "description": description}}})
	_, _ = w.Write(body)
}
