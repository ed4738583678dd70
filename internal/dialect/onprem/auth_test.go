package onprem

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// loginServer issues token-N valid for life from clk, checking Basic
// credentials, and validates each login request against the spec.
type loginServer struct {
	t      *testing.T
	clk    *simtest.Clock
	life   time.Duration
	n      atomic.Int64
	status int // answer this status instead when set
	srv    *httptest.Server
}

func newLoginServer(t *testing.T, clk *simtest.Clock, life time.Duration) *loginServer {
	ls := &loginServer{t: t, clk: clk, life: life}
	ls.srv = httptest.NewServer(http.HandlerFunc(ls.serve))
	t.Cleanup(ls.srv.Close)
	return ls
}

func (ls *loginServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	for _, f := range testSpec.Validator(ls.t).Request(r, body) {
		ls.t.Errorf("login request: %s", f)
	}
	u, p, ok := r.BasicAuth()
	w.Header().Set("Content-Type", "application/json")
	if ls.status != 0 || !ok || u != "admin" || p != "s3cret-pw" {
		w.WriteHeader(max(ls.status, 401))
		_, _ = io.WriteString(w, `{"errors":[{"code":1005,"title":"Access denied"}]}`)
		return
	}
	n := ls.n.Add(1)
	exp := FormatExpiry(ls.clk.Now().Add(ls.life))
	_, _ = fmt.Fprintf(w, `{"users":[{"token":"token-%d","expires_after":"%s"}],"meta":{"api_status":"stable","version":"v2"}}`, n, exp)
}

func newTestAuth(t *testing.T, url, password string, clk *simtest.Clock) *LoginAuth {
	t.Helper()
	a, err := NewLoginAuth(dialect.Credentials{User: "admin", Password: password},
		dialect.AuthEnv{BaseURL: url + "/v1", Client: &http.Client{}, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestLoginAuthRefreshesBeforeExpiry: the first use logs in; the token is
// reused until a tenth of its life (at most 5 min) before expires_after;
// then a new login.
func TestLoginAuthRefreshesBeforeExpiry(t *testing.T) {
	clk := simtest.NewClock()
	ls := newLoginServer(t, clk, 7*24*time.Hour)
	a := newTestAuth(t, ls.srv.URL, "s3cret-pw", clk)
	ctx := context.Background()
	cred := func() string {
		t.Helper()
		name, v, err := a.Credential(ctx)
		if err != nil || name != "Authorization" {
			t.Fatalf("Credential: %q %v", name, err)
		}
		return v
	}
	if got := cred(); got != "Bearer token-1" || a.Logins() != 1 {
		t.Fatalf("first: %q after %d logins", got, a.Logins())
	}
	if !a.Expiry().Equal(clk.Now().Add(7 * 24 * time.Hour)) {
		t.Errorf("Expiry %v", a.Expiry())
	}
	clk.Advance(7*24*time.Hour - 5*time.Minute - time.Second)
	if got := cred(); got != "Bearer token-1" {
		t.Fatalf("just before the margin: %q", got)
	}
	clk.Advance(time.Second)
	if got := cred(); got != "Bearer token-2" || a.Logins() != 2 {
		t.Fatalf("at the margin: %q after %d logins", got, a.Logins())
	}
}

// TestLoginAuthInvalidate: after Invalidate the next use logs in again.
func TestLoginAuthInvalidate(t *testing.T) {
	clk := simtest.NewClock()
	ls := newLoginServer(t, clk, time.Hour)
	a := newTestAuth(t, ls.srv.URL, "s3cret-pw", clk)
	_, _, _ = a.Credential(context.Background())
	a.Invalidate()
	if _, v, err := a.Credential(context.Background()); err != nil || v != "Bearer token-2" || a.Logins() != 2 {
		t.Errorf("after Invalidate: %q %v (%d logins)", v, err, a.Logins())
	}
}

// TestLoginAuthShortLivedToken: a 60 s token is replaced 6 s early.
func TestLoginAuthShortLivedToken(t *testing.T) {
	clk := simtest.NewClock()
	ls := newLoginServer(t, clk, time.Minute)
	a := newTestAuth(t, ls.srv.URL, "s3cret-pw", clk)
	_, _, _ = a.Credential(context.Background())
	clk.Advance(53 * time.Second)
	if _, v, _ := a.Credential(context.Background()); v != "Bearer token-1" {
		t.Errorf("at 53 s: %q", v)
	}
	clk.Advance(time.Second)
	if _, v, _ := a.Credential(context.Background()); v != "Bearer token-2" {
		t.Errorf("at 54 s: %q", v)
	}
}

// TestLoginAuthConcurrent: many first uses at once make one login.
func TestLoginAuthConcurrent(t *testing.T) {
	clk := simtest.NewClock()
	ls := newLoginServer(t, clk, time.Hour)
	a := newTestAuth(t, ls.srv.URL, "s3cret-pw", clk)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, v, err := a.Credential(context.Background()); err != nil || v != "Bearer token-1" {
				t.Errorf("%q %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := ls.n.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// TestLoginAuthFailureNamesNoSecret: a refused login says why (HTTP status
// and Meta's code) without the password or the Basic header.
func TestLoginAuthFailureNamesNoSecret(t *testing.T) {
	clk := simtest.NewClock()
	ls := newLoginServer(t, clk, time.Hour)
	a := newTestAuth(t, strings.Replace(ls.srv.URL, "http://", "http://admin:url-pw@", 1), "wrong-pw", clk)
	_, _, err := a.Credential(context.Background())
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "HTTP 401: 1005 Access denied") {
		t.Errorf("error %q lacks the status and code", msg)
	}
	for _, secret := range []string{"wrong-pw", "url-pw", dialect.BasicHeader("admin", "wrong-pw")[6:]} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q shows a secret", msg)
		}
	}
}

// TestLoginAuthContext: a caller waiting for another's login gives up
// with its context.
func TestLoginAuthContext(t *testing.T) {
	clk := simtest.NewClock()
	ls := newLoginServer(t, clk, time.Hour)
	a := newTestAuth(t, ls.srv.URL, "s3cret-pw", clk)
	a.sem <- struct{}{} // a login in progress
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := a.Credential(ctx); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err %v", err)
	}
}

// TestWrongIsAWellFormedBearer: Wrong is a bearer token of RFC 6750's
// token68 characters, shaped like the client's JWTs.
func TestWrongIsAWellFormedBearer(t *testing.T) {
	a, err := New().NewAuth(dialect.Credentials{User: "u", Password: "p"}, dialect.AuthEnv{BaseURL: "http://x/v1"})
	if err != nil {
		t.Fatal(err)
	}
	name, v := a.Wrong()
	if name != "Authorization" || !regexp.MustCompile(`^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`).MatchString(v) {
		t.Errorf("%s: %s", name, v)
	}
	if h := a.Headers(); len(h) != 1 || h[0] != "Authorization" {
		t.Errorf("Headers %v", h)
	}
	if _, err := New().NewAuth(dialect.Credentials{User: "u"}, dialect.AuthEnv{BaseURL: "http://x"}); err == nil {
		t.Error("no password: no error")
	}
}

// TestReadLoginExpiry: both expiry forms; a missing one falls back to a
// short life.
func TestReadLoginExpiry(t *testing.T) {
	want := time.Date(2018, 3, 1, 15, 29, 26, 0, time.UTC)
	for _, s := range []string{"2018-03-01 15:29:26+00:00", "2018-03-01T15:29:26.000Z", "2018-03-01T17:29:26+02:00"} {
		if got, err := ParseExpiry(s); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	if FormatExpiry(want) != "2018-03-01 15:29:26+00:00" {
		t.Errorf("FormatExpiry %s", FormatExpiry(want))
	}
	a := &LoginAuth{url: "http://x/v1/users/login"}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := a.readLogin(200, []byte(`{"users":[{"token":"t"}]}`), at)
	if err != nil || !s.refreshAt.Equal(at.Add(fallbackLife)) {
		t.Errorf("no expires_after: %+v %v", s, err)
	}
	if _, err := a.readLogin(200, []byte(`{"users":[]}`), at); err == nil {
		t.Error("no token: no error")
	}
}
