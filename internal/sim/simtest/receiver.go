package simtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Post is one webhook POST a Receiver got.
type Post struct {
	// Path is the request path ("/status").
	Path   string
	Header http.Header
	Body   []byte
	// At is when it arrived (the wall clock: for signature checks that
	// bound a timestamp's age, not for timing assertions).
	At time.Time
	// Status is what the receiver answered.
	Status int
}

// Receiver is a loopback webhook receiver that records every POST. It
// answers 200 unless SetFail says otherwise.
type Receiver struct {
	// URL is the receiver's root ("http://127.0.0.1:PORT").
	URL string

	mu    sync.Mutex
	posts []Post
	n     int
	fail  func(n int) int
}

// NewReceiver starts a Receiver closed at the end of the test.
func NewReceiver(t testing.TB) *Receiver {
	r := &Receiver{}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// SetFail makes the receiver answer its n-th POST (from 1) with the
// status fail returns, 0 meaning 200. fail may block, to make the sender
// time out; it runs outside the receiver's lock.
func (r *Receiver) SetFail(fail func(n int) int) {
	r.mu.Lock()
	r.fail = fail
	r.mu.Unlock()
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.n++
	n, fail := r.n, r.fail
	r.mu.Unlock()
	status := http.StatusOK
	if fail != nil {
		if code := fail(n); code != 0 {
			status = code
		}
	}
	r.mu.Lock()
	r.posts = append(r.posts, Post{Path: req.URL.Path, Header: req.Header.Clone(), Body: body, At: time.Now(), Status: status})
	r.mu.Unlock()
	w.WriteHeader(status)
}

// All returns every POST received, in arrival order, whatever it was
// answered.
func (r *Receiver) All() []Post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Post(nil), r.posts...)
}

// Delivered returns the POSTs answered 2XX: the deliveries the sender
// counts as done.
func (r *Receiver) Delivered() []Post {
	var out []Post
	for _, p := range r.All() {
		if p.Status/100 == 2 {
			out = append(out, p)
		}
	}
	return out
}
