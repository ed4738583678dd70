package steps

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"sync"
)

// maxCallbackBody bounds what CallbackAuth reads to find a callback's id.
const maxCallbackBody = 1 << 20

// CallbackAuth wraps a callback handler (the receiver's) and requires the
// HTTP Basic credentials the callback URL carries (https://user:p%40ss@…):
// callbacks without them are answered 401 and not passed on. It counts, per
// message id, the callbacks that carried them and those that did not.
type CallbackAuth struct {
	user, pass string
	next       http.Handler

	mu   sync.Mutex
	good map[string]int
	bad  map[string]int
}

// NewCallbackAuth wraps next so that it only sees callbacks carrying user
// and pass.
func NewCallbackAuth(next http.Handler, user, pass string) *CallbackAuth {
	return &CallbackAuth{user: user, pass: pass, next: next, good: map[string]int{}, bad: map[string]int{}}
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

// ServeHTTP checks the credentials, counts the callback and passes it on.
func (a *CallbackAuth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCallbackBody))
	if err != nil {
		http.Error(w, `{"errors":[{"field":"body","code":"unreadable","description":"cannot read the body"}]}`, http.StatusBadRequest)
		return
	}
	var probe struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &probe)
	u, p, ok := r.BasicAuth()
	ok = ok && subtle.ConstantTimeCompare([]byte(u), []byte(a.user)) == 1 && subtle.ConstantTimeCompare([]byte(p), []byte(a.pass)) == 1
	a.mu.Lock()
	if ok {
		a.good[probe.ID]++
	} else {
		a.bad[probe.ID]++
	}
	a.mu.Unlock()
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="wabcheck callbacks"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"field":"Authorization","code":"unauthorized","description":"the credentials of the callback URL are required"}]}`))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	a.next.ServeHTTP(w, r)
}
