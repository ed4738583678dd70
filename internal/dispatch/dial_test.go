package dispatch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestDialControlSeesResolvedAddress (issue 13 item 7): the hook runs
// for every connection the built client makes, with the resolved address,
// and its refusal fails the attempt before anything is sent.
func TestDialControlSeesResolvedAddress(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { served.Add(1) }))
	defer srv.Close()
	var mu sync.Mutex
	var seen []string
	cfg := DefaultConfig()
	cfg.MaxAttempts, cfg.Timeout = 1, 5*time.Second
	cfg.DialControl = func(_, address string, _ syscall.RawConn) error {
		mu.Lock()
		seen = append(seen, address)
		mu.Unlock()
		return errors.New("refused by the test's dial hook")
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u := "http://localhost:" + srv.URL[len("http://127.0.0.1:"):] + "/status"
	if err := d.Enqueue(context.Background(), Delivery{URL: u, Body: []byte(`{}`), Kind: "status"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Close(context.Background())
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || seen[0] == "localhost" || served.Load() != 0 || d.Stats().GivenUp != 1 {
		t.Errorf("hook saw %v, receiver served %d, given up %d; want the resolved address refused", seen, served.Load(), d.Stats().GivenUp)
	}
}
