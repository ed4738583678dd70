package steps

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/report"
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
	e.BaseURL, e.AdminURL, e.Auth = rd.url+"/rest/wab/v1", rd.url+"/_sim", dialect.NewBasicAuth("acme", "TargetPw123")
	s := New(e)
	err := s.request(context.Background(), dialect.Request{Method: http.MethodGet, Path: "/healthz"})
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

// countingTransport counts the response body bytes the client reads.
type countingTransport struct{ read *atomic.Int64 }

func (c countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// hugeBody writes a JSON-looking body of up to 64 MiB (it never ends, as
// far as a bounded reader is concerned) until the client goes away.
func hugeBody(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"status":"ok","pad":"`)
	chunk := bytes.Repeat([]byte("x"), 32<<10)
	for range 2048 {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// envAt is a test Env against url whose client counts the bytes it reads.
func envAt(t *testing.T, url string) (*Env, *atomic.Int64) {
	t.Helper()
	e := testEnv(t)
	read := new(atomic.Int64)
	e.BaseURL, e.AdminURL = url+"/rest/wab/v1", url+"/_sim"
	e.Client = &http.Client{Transport: countingTransport{read: read}}
	return e, read
}

// TestIssue13Item3BodyOverLimitIsAFinding: a response body past the limit
// used to be read up to 8 MiB, kept whole, and reported as "unexpected end
// of JSON input". Now at most MaxResponseBody (and a bounded drain) is
// read, a report's worth is kept, and the finding says what happened.
func TestIssue13Item3BodyOverLimitIsAFinding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hugeBody(w) }))
	defer srv.Close()
	e, read := envAt(t, srv.URL)
	s := New(e)
	err := s.request(context.Background(), dialect.Request{Method: http.MethodGet, Path: "/healthz"})
	want := fmt.Sprintf("%s GetHealthz GET /rest/wab/v1/healthz 200 body: response over the limit, truncated at %d bytes", CodeBodyTooLarge, MaxResponseBody)
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "JSON") {
		t.Errorf("error %v\nwant one containing %q and no JSON error", err, want)
	}
	if n, max := read.Load(), int64(MaxResponseBody+1+httpc.DrainLimit); n > max {
		t.Errorf("read %d bytes of the body, want at most %d", n, max)
	}
	if s.last == nil || len(s.last.body) > report.MaxBody || !s.last.cut {
		t.Errorf("kept %d bytes of the body (cut %v), want at most %d", len(s.last.body), s.last.cut, report.MaxBody)
	}
	xs := s.Exchanges()
	if len(xs) != 1 {
		t.Fatalf("%d exchanges, want 1", len(xs))
	}
	if x := xs[0]; len(x.ResponseBody) > report.MaxBody+100 || len(x.Findings) == 0 || x.Findings[0].Code != CodeBodyTooLarge {
		t.Errorf("exchange: %d bytes of body, findings %v; want a short body and a %s finding first", len(x.ResponseBody), x.Findings, CodeBodyTooLarge)
	}
	if err := s.fieldEquals("status", "ok"); err == nil || !strings.Contains(err.Error(), "went past the limit") {
		t.Errorf("a body assertion on the cut body: %v, want it to say the body was cut", err)
	}
}

// TestIssue13Item3BurstReadsBounded: the answers of a burst sent at once
// are read up to maxBurstBody each (600 answers of up to 8 MiB each used
// to be held at once).
func TestIssue13Item3BurstReadsBounded(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "5")
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
		w.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		if n.Add(1) == 1 {
			return // a conformant GET /healthz answer: no body
		}
		hugeBody(w)
	}))
	defer srv.Close()
	e, read := envAt(t, srv.URL)
	s := New(e)
	if err := s.burstPastLimit(context.Background()); err == nil || !strings.Contains(err.Error(), CodeBodyTooLarge) {
		t.Errorf("burst error %v, want %s findings", err, CodeBodyTooLarge)
	}
	if got, max := read.Load(), int64(100+15*(maxBurstBody+1+httpc.DrainLimit)); len(s.burst) != 15 || got > max {
		t.Errorf("burst of %d read %d bytes, want 15 answers and at most %d bytes", len(s.burst), got, max)
	}
}

// TestIssue13Item3RequestsInARowKeepBounded: answers of requests in a row
// are kept with at most maxBurstBody of their body each.
func TestIssue13Item3RequestsInARowKeepBounded(t *testing.T) {
	big := `{"status":"` + strings.Repeat("x", 200<<10) + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, big)
	}))
	defer srv.Close()
	e, _ := envAt(t, srv.URL)
	s := New(e)
	_ = s.requestsInARow(context.Background(), 3, http.MethodGet, "/healthz")
	if len(s.burst) != 3 {
		t.Fatalf("kept %d answers, want 3", len(s.burst))
	}
	for i, r := range s.burst {
		if len(r.body) > maxBurstBody || !r.cut {
			t.Errorf("answer %d: kept %d bytes of its body (cut %v), want at most %d", i, len(r.body), r.cut, maxBurstBody)
		}
	}
	if len(s.last.body) != len(big) {
		t.Errorf("the last answer kept %d bytes, want all %d (it is under the limit)", len(s.last.body), len(big))
	}
}

// TestIssue13Item3AdminAnswerOverLimit: an admin answer past the limit is
// an error saying so, not a JSON decoding error.
func TestIssue13Item3AdminAnswerOverLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hugeBody(w) }))
	defer srv.Close()
	e, read := envAt(t, srv.URL)
	var out map[string]any
	err := New(e).admin(context.Background(), http.MethodGet, "/config", nil, &out)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("answer over the limit, truncated at %d bytes", MaxResponseBody)) {
		t.Errorf("admin error %v, want it to say the answer went over the limit", err)
	}
	if n, max := read.Load(), int64(MaxResponseBody+1+httpc.DrainLimit); n > max {
		t.Errorf("read %d bytes, want at most %d", n, max)
	}
}

// TestIssue13Item13CallbackAuthAnswers413: a callback body over the limit
// used to be cut at 1 MiB and passed on as if whole (answered 200). Now it
// is answered 413, not passed on, and recorded with a body-too-large
// finding, with or without a Content-Length.
func TestIssue13Item13CallbackAuthAnswers413(t *testing.T) {
	var passed []int
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		passed = append(passed, len(b))
	})
	a := NewCallbackAuth(next, modica.New().Callbacks(), "cb", "p@ss", nil)
	post := func(body io.Reader, path string, creds bool) int {
		req := httptest.NewRequest(http.MethodPost, path, body)
		if creds {
			req.SetBasicAuth("cb", "p@ss")
		}
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		return w.Code
	}
	big := strings.Repeat("x", maxCallbackBody+1)
	if code := post(strings.NewReader(big), "/status", true); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body of %d bytes with Content-Length: %d, want 413", len(big), code)
	}
	unsized := io.MultiReader(strings.NewReader(big)) // no Content-Length
	if code := post(unsized, "/reply", true); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body of %d bytes without Content-Length: %d, want 413", len(big), code)
	}
	if code := post(strings.NewReader(big), "/status", false); code != http.StatusUnauthorized {
		t.Errorf("big body without credentials: %d, want 401", code)
	}
	atLimit := `{"id":"m1","pad":"` + strings.Repeat("x", maxCallbackBody-20) + `"}`
	if code := post(strings.NewReader(atLimit), "/status", true); code != http.StatusOK {
		t.Errorf("body of %d bytes (the limit): %d, want 200", len(atLimit), code)
	}
	if len(passed) != 1 || passed[0] != len(atLimit) {
		t.Errorf("passed on bodies of %v bytes, want only the one at the limit, whole (%d)", passed, len(atLimit))
	}
	n, kept := a.TooLarge()
	if n != 2 || len(kept) != 2 || kept[0].Findings[0].Code != CodeBodyTooLarge || kept[1].Kind != "reply" {
		t.Errorf("TooLarge() = %d, %+v; want 2 records with %s findings, the second a reply", n, kept, CodeBodyTooLarge)
	}
	if good, bad := a.Seen("m1"); good != 1 || bad != 0 {
		t.Errorf("Seen(m1) = %d good, %d bad; want 1, 0", good, bad)
	}
}
