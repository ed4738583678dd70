package load

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// recordTransport answers 204 and keeps what net/http handed it.
type recordTransport struct {
	legacyCancel bool
	deadline     bool
}

func (r *recordTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	//lint:ignore SA1019 the deprecated field is what the legacy path sets
	r.legacyCancel = req.Cancel != nil
	_, r.deadline = req.Context().Deadline()
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: req}, nil
}

// TestAttackClientTimeoutWithoutLegacyCancelPath (issue 8, load max rate
// after the redesign): a Client with a Timeout over a RoundTripper net/http
// does not know (cancelTransport) cancels each request the legacy way, a
// goroutine, a timer and a channel per request; the CLI's CPU per request
// at maximum rate was 22-30 % above the pre-redesign build's. The timeout
// must be the request context's deadline instead.
func TestAttackClientTimeoutWithoutLegacyCancelPath(t *testing.T) {
	c := attackClient(context.Background(), time.Minute)
	if c.Timeout != 0 {
		t.Errorf("Client.Timeout = %v, want 0 (the transport sets the deadline)", c.Timeout)
	}
	rec := &recordTransport{}
	c.Transport.(*cancelTransport).next = rec
	resp, err := c.Get("http://127.0.0.1:1/rest/wab/v1/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if rec.legacyCancel {
		t.Error("the request reached the transport with Request.Cancel set: net/http took its legacy cancellation path")
	}
	if !rec.deadline {
		t.Error("the request's context has no deadline: the attack timeout is not applied")
	}
}

// TestAttackClientTimeoutCoversHeadersAndBody: without Client.Timeout the
// attack's timeout still ends a request whose answer does not come, and one
// whose body stalls after the headers.
func TestAttackClientTimeoutCoversHeadersAndBody(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	c := attackClient(context.Background(), 50*time.Millisecond)
	if _, err := c.Get(srv.URL + "/headers"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled answer: error %v, want context.DeadlineExceeded", err)
	}
	resp, err := c.Get(srv.URL + "/body")
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled body: error %v, want context.DeadlineExceeded", err)
	}
}
