package onpremsim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// tokenStore holds the tokens issued by logins and their expiry.
type tokenStore struct {
	mu sync.Mutex
	m  map[string]int64 // token → expires_after, unix nanoseconds
}

// sweepAbove is the number of tokens above which a login drops the
// expired ones.
const sweepAbove = 1024

func (ts *tokenStore) add(tok string, exp, now time.Time) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.m == nil {
		ts.m = map[string]int64{}
	}
	if len(ts.m) > sweepAbove {
		for k, e := range ts.m {
			if e <= now.UnixNano() {
				delete(ts.m, k)
			}
		}
	}
	ts.m[tok] = exp.UnixNano()
}

// lookup reports whether tok was issued and whether it has expired at now.
func (ts *tokenStore) lookup(tok string, now time.Time) (issued, expired bool) {
	ts.mu.Lock()
	exp, ok := ts.m[tok]
	ts.mu.Unlock()
	return ok, ok && now.UnixNano() >= exp
}

// Authenticate implements sim.Wire: HTTP Basic on the login call, a
// bearer token from a login (and not expired) on every other call (other
// methods on the login path too, which are then 405); the
// admin API takes either. One rate-limit key: the wire keeps its own
// limits (throughput, pair rate) and does not use the core's.
func (a *api) Authenticate(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	p := r.URL.Path
	switch {
	case p == a.s.Doc().BasePath()+onprem.Login && r.Method == http.MethodPost:
		return "", a.basicOK(h)
	case strings.HasPrefix(p, "/_sim/"):
		return "", a.basicOK(h) || a.bearerOK(h)
	}
	return "", a.bearerOK(h)
}

// basicOK checks HTTP Basic credentials in constant time (the scheme in
// any case).
func (a *api) basicOK(h string) bool {
	if len(h) != len(a.basic) {
		return false
	}
	if len(h) > 6 && strings.EqualFold(h[:6], "basic ") {
		h = "Basic " + h[6:]
	}
	return subtle.ConstantTimeCompare([]byte(h), a.basic) == 1
}

// bearerOK checks a bearer token: issued and not expired (unless the
// token-accepted-after-expiry fault lets an expired one through).
func (a *api) bearerOK(h string) bool {
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return false
	}
	issued, expired := a.tokens.lookup(h[7:], a.s.Now())
	if !issued {
		return false
	}
	return !expired || a.s.Hit(a.f.tokenAfterExpiry)
}

// login is POST /users/login: a new token valid for token-ttl. A body,
// when sent, must be the spec's Login-Admin-Request-Body (new_password;
// the simulator keeps its configured password).
func (a *api) login(w http.ResponseWriter, r *http.Request, _ string) {
	if r.ContentLength != 0 {
		bp := a.readJSON(w, r)
		if bp == nil {
			return
		}
		defer sim.PutBuf(bp)
		if len(*bp) > 0 {
			if fs := a.v.Request(r, *bp); len(fs) > 0 {
				a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
				return
			}
		}
	}
	now := a.s.Now()
	exp := now.Add(a.live.Load().tokenTTL)
	tok := a.newToken(now, exp)
	a.tokens.add(tok, exp, now)
	body, _ := json.Marshal(struct {
		Users []struct {
			Token   string `json:"token"`
			Expires string `json:"expires_after"`
		} `json:"users"`
		Meta json.RawMessage `json:"meta"`
	}{Users: []struct {
		Token   string `json:"token"`
		Expires string `json:"expires_after"`
	}{{tok, onprem.FormatExpiry(exp)}}, Meta: json.RawMessage(metaJSON)})
	a.writeJSON(w, http.StatusOK, body)
}

// newToken is a JWT-shaped token: header, claims and 32 random bytes.
func (a *api) newToken(now, exp time.Time) string {
	enc := base64.RawURLEncoding
	claims, _ := json.Marshal(map[string]any{"user": a.user, "iat": now.Unix(), "exp": exp.Unix()})
	var sig [32]byte
	_, _ = rand.Read(sig[:])
	return enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString(sig[:])
}
