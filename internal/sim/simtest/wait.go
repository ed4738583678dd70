package simtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// WaitTimeout bounds WaitFor: generous, because the race detector on a
// shared machine is slow. It is a synchronisation point, never a timing
// assertion.
const WaitTimeout = 60 * time.Second

// WaitFor polls cond until it holds, failing the test when WaitTimeout
// passes first.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Serve serves req with h and returns the recording.
func Serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// SyncBuffer is a strings.Builder safe for concurrent writers (a log sink
// for goroutines).
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// NopWriter is a minimal http.ResponseWriter that keeps only the header
// and the status and discards the body, so that a benchmark measures the
// handler rather than httptest.ResponseRecorder. Reset it between
// requests.
type NopWriter struct {
	// Code is the status written (200 when the body was written first).
	Code int
	h    http.Header
}

// NewNopWriter returns a NopWriter with an empty header.
func NewNopWriter() *NopWriter { return &NopWriter{h: http.Header{}} }

// Header is the response header.
func (w *NopWriter) Header() http.Header { return w.h }

// Write discards b.
func (w *NopWriter) Write(b []byte) (int, error) {
	if w.Code == 0 {
		w.Code = http.StatusOK
	}
	return len(b), nil
}

// WriteHeader keeps the status.
func (w *NopWriter) WriteHeader(code int) { w.Code = code }

// Reset clears the header and the status for the next request.
func (w *NopWriter) Reset() {
	clear(w.h)
	w.Code = 0
}
