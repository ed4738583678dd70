package onpremsim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// TestLoginExpiry: a token works until its expires_after, then 401 in
// Meta's error shape; a new login works; the login answer says when the
// token expires.
func TestLoginExpiry(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Options[OptTokenTTL] = "1h"
	sm := newSim(t, cfg)
	req := httptest.NewRequest("POST", "/v1/users/login", nil)
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	_, exp, err := onprem.ReadLogin(simtest.Serve(sm.Server, req).Body.Bytes())
	if err != nil || !exp.Equal(clk.Now().Add(time.Hour)) {
		t.Fatalf("expires_after %v, want %v (%v)", exp, clk.Now().Add(time.Hour), err)
	}
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 200 {
		t.Fatalf("fresh token: %d", rec.Code)
	}
	clk.Advance(time.Hour - time.Second)
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 200 {
		t.Fatalf("a second before expiry: %d", rec.Code)
	}
	clk.Advance(time.Second)
	rec := sm.call("GET", "/v1/health", "", "")
	if rec.Code != 401 || !onprem.HasCode(rec.Body.Bytes(), onprem.CodeAccessDenied) {
		t.Fatalf("expired token: %d %s", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "GET", "/v1/health", rec)
	sm.token = sm.login(t)
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 200 {
		t.Errorf("after a new login: %d", rec.Code)
	}
}

// TestAuthRefused: wrong or missing credentials, the dialect's Wrong()
// token, a token on the login and Basic on the API get 401, each valid
// against the spec.
func TestAuthRefused(t *testing.T) {
	sm := newSim(t, testConfig())
	a, _ := onprem.New().NewAuth(dialect.Credentials{User: "u", Password: "p"}, dialect.AuthEnv{BaseURL: "http://x/v1"})
	_, wrong := a.Wrong()
	for _, tc := range []struct {
		name, method, path, auth string
	}{
		{"no credentials", "GET", "/v1/health", ""},
		{"wrong token", "GET", "/v1/health", wrong},
		{"basic on the API", "GET", "/v1/health", dialect.BasicHeader(sim.DefaultUser, sim.DefaultPassword)},
		{"wrong password", "POST", "/v1/users/login", dialect.BasicHeader(sim.DefaultUser, "nope")},
		{"token on the login", "POST", "/v1/users/login", "Bearer " + sm.token},
	} {
		req := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		rec := simtest.Serve(sm.Server, req)
		if rec.Code != 401 || !onprem.HasCode(rec.Body.Bytes(), onprem.CodeAccessDenied) {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body.String())
		}
		testSpec.CheckResponse(t, tc.method, tc.path, rec)
	}
	req := httptest.NewRequest("POST", "/v1/users/login", nil)
	req.Header.Set("Authorization", "basic "+dialect.BasicHeader(sim.DefaultUser, sim.DefaultPassword)[6:])
	if rec := simtest.Serve(sm.Server, req); rec.Code != 200 {
		t.Errorf("lower-case basic scheme: %d", rec.Code)
	}
}

// TestLoginAuthAgainstSim: the dialect's LoginAuth logs in to the running
// simulator, refreshes before expiry with an injected clock, and each
// token it holds is accepted.
func TestLoginAuthAgainstSim(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Options[OptTokenTTL] = "10m"
	d, v := testSpec.Get(t)
	r, err := sim.Start(t.Context(), d, v, New(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = r.Close(context.Background()) })
	a, err := onprem.NewLoginAuth(dialect.Credentials{User: sim.DefaultUser, Password: sim.DefaultPassword},
		dialect.AuthEnv{BaseURL: r.URL, Client: &http.Client{}, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	health := func() int {
		req, _ := http.NewRequest("GET", r.URL+"/health", nil)
		if err := dialect.Authorize(t.Context(), a, req); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, step := range []time.Duration{0, 8 * time.Minute, time.Minute, 9 * time.Minute} {
		clk.Advance(step)
		if st := health(); st != 200 {
			t.Fatalf("after %v: %d (%d logins)", step, st, a.Logins())
		}
	}
	if a.Logins() != 3 {
		t.Errorf("%d logins, want 3 (at 0, 9 min, 18 min)", a.Logins())
	}
}

// TestOtherMethodsOnTheLoginPath: a method the login path does not have
// is 405 with Allow for a logged-in client (it used to ask for HTTP Basic
// and answer 401).
func TestOtherMethodsOnTheLoginPath(t *testing.T) {
	sm := newSim(t, testConfig())
	rec := sm.call("PUT", "/v1/users/login", "", "")
	if rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Errorf("PUT /users/login: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}
