package dispatch

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestIssue13Item5CallbackRedirectNotFollowed: a callback URL answering
// 307 must not make the simulator post the callback, with the URL's basic
// auth, to the host Location names. The built client already followed
// none; a Config.Client (which follows redirects by default) used to.
func TestIssue13Item5CallbackRedirectNotFollowed(t *testing.T) {
	var elsewhere, withAuth atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			withAuth.Add(1)
		}
	}))
	defer other.Close()
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/stolen", http.StatusTemporaryRedirect)
	}))
	defer cb.Close()
	for name, client := range map[string]*http.Client{"built": nil, "given": {}} {
		cfg := testConfig(nil)
		cfg.MaxAttempts, cfg.Client = 1, client
		d := mustNew(t, cfg)
		url := strings.Replace(cb.URL, "http://", "http://cb:CallbackPw@", 1) + "/dlr"
		enqueue(t, d, Delivery{Key: "m1", URL: url, Body: []byte(`{}`), Kind: "status"})
		flush(t, d)
		if s := d.Stats(); s.Delivered != 0 || s.GivenUp != 1 {
			t.Errorf("%s client: delivered %d, given up %d; want the 307 to count as a failed attempt", name, s.Delivered, s.GivenUp)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the host redirected to got %d callbacks (%d with Authorization), want none", n, withAuth.Load())
	}
}
