package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// redirector is a server answering every request with a 307 to another
// server, which counts what reaches it.
type redirector struct {
	url             string
	hits, withCreds atomic.Int32
}

func newRedirector(t *testing.T) *redirector {
	t.Helper()
	rd := &redirector{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rd.hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			rd.withCreds.Add(1)
		}
	}))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	rd.url = srv.URL
	return rd
}

// TestIssue13Item5StepsFollowNoRedirect: whatever Env.Client does (here
// http.DefaultClient, which follows redirects), neither API requests nor
// the simulator admin calls follow a 307; the 307 is the answer.
func TestIssue13Item5StepsFollowNoRedirect(t *testing.T) {
	rd := newRedirector(t)
	e := testEnv(t)
	e.BaseURL, e.AdminURL, e.User, e.Password = rd.url+"/rest/wab/v1", rd.url+"/_sim", "acme", "TargetPw123"
	s := New(e)
	err := s.request(context.Background(), http.MethodGet, "/healthz", "", nil)
	if s.last == nil || s.last.status != http.StatusTemporaryRedirect {
		t.Fatalf("GET /healthz: last response %+v, %v; want the 307", s.last, err)
	}
	if err == nil || !strings.Contains(err.Error(), "status-undeclared") {
		t.Errorf("GET /healthz → 307: error %v, want a status-undeclared finding", err)
	}
	if err := s.admin(context.Background(), http.MethodGet, "/faults", nil, nil); err == nil || !strings.Contains(err.Error(), "307") {
		t.Errorf("admin GET /faults → 307: error %v, want one naming the 307", err)
	}
	if n := rd.hits.Load(); n != 0 {
		t.Errorf("the host redirected to got %d requests (%d with credentials), want none", n, rd.withCreds.Load())
	}
}
