package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// recorder is a receiver that remembers every request it saw.
type recorder struct {
	mu   sync.Mutex
	reqs []seenRequest
}

type seenRequest struct {
	method, requestURI, host string
	header                   http.Header
	body                     string
}

func (r *recorder) record(req *http.Request) seenRequest {
	body, _ := io.ReadAll(req.Body)
	s := seenRequest{req.Method, req.RequestURI, req.Host, req.Header.Clone(), string(body)}
	r.mu.Lock()
	r.reqs = append(r.reqs, s)
	r.mu.Unlock()
	return s
}

func (r *recorder) all() []seenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenRequest(nil), r.reqs...)
}

// serve starts a loopback receiver answering with status(attempt, request).
func serve(t *testing.T, rec *recorder, status func(n int, s seenRequest) int) *httptest.Server {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := rec.record(r)
		w.WriteHeader(status(int(n.Add(1)), s))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func enqueue(t *testing.T, d *Dispatcher, del Delivery) {
	t.Helper()
	if err := d.Enqueue(context.Background(), del); err != nil {
		t.Fatalf("Enqueue(%s): %v", del.Key, err)
	}
}

func TestDeliverSuccess(t *testing.T) {
	rec := &recorder{}
	srv := serve(t, rec, func(int, seenRequest) int { return http.StatusNoContent })
	cfg := testConfig(nil)
	cfg.UserAgent = "wabcheck-sim/1.2.3"
	d := mustNew(t, cfg)

	body := `{"message_id":"m1","status":"delivered"}`
	enqueue(t, d, Delivery{Key: "m1", URL: srv.URL + "/dlr", Body: []byte(body), Kind: "status",
		Header: http.Header{"X-Trace": {"t1"}}})
	flush(t, d)

	reqs := rec.all()
	if len(reqs) != 1 {
		t.Fatalf("receiver saw %d requests, want 1", len(reqs))
	}
	got := reqs[0]
	checks := []struct{ what, got, want string }{
		{"method", got.method, http.MethodPost},
		{"path", got.requestURI, "/dlr"},
		{"Content-Type", got.header.Get("Content-Type"), "application/json"},
		{"User-Agent", got.header.Get("User-Agent"), "wabcheck-sim/1.2.3"},
		{"X-Trace", got.header.Get("X-Trace"), "t1"},
		{"Authorization", got.header.Get("Authorization"), ""},
		{"body", got.body, body},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: expected %q, got %q", c.what, c.want, c.got)
		}
	}
	s := d.Stats()
	if s.Enqueued != 1 || s.Delivered != 1 || s.Attempts != 1 || s.Retried != 0 || s.QueueDepth != 0 {
		t.Errorf("stats: %+v", s)
	}
	if k := s.ByKind["status"]; k.Delivered != 1 || k.Attempts != 1 {
		t.Errorf("stats by kind status: %+v", k)
	}
}

// advanceRetry waits until the delivery has made `attempts` attempts and is
// backing off on the fake clock, then lets the backoff elapse.
func advanceRetry(t *testing.T, d *Dispatcher, clk *fakeClock, attempts int) {
	t.Helper()
	simtest.WaitFor(t, fmt.Sprintf("attempt %d to back off", attempts), func() bool {
		s := d.Stats()
		return s.Attempts == uint64(attempts) && s.BackingOff == 1 && clk.pending() >= 1
	})
	clk.Advance(d.cfg.MaxBackoff)
}

func TestRetryNon2xxThenSuccess(t *testing.T) {
	for _, code := range []int{500, 502, 404, 400, 301, 429} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			rec := &recorder{}
			srv := serve(t, rec, func(n int, _ seenRequest) int {
				if n <= 2 {
					return code
				}
				return http.StatusOK
			})
			clk := newFakeClock()
			d := mustNew(t, testConfig(clk))
			enqueue(t, d, Delivery{Key: "m1", URL: srv.URL, Body: []byte(`{}`), Kind: "status"})
			advanceRetry(t, d, clk, 1)
			advanceRetry(t, d, clk, 2)
			flush(t, d)
			s := d.Stats()
			if s.Delivered != 1 || s.Attempts != 3 || s.Retried != 2 || s.GivenUp != 0 {
				t.Errorf("stats: %+v", s)
			}
			if n := len(rec.all()); n != 3 {
				t.Errorf("receiver saw %d attempts, want 3", n)
			}
		})
	}
}

func TestRetryOnTimeout(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select { // hang until the test lets go or the client gives up
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close

	clk := newFakeClock()
	cfg := testConfig(clk)
	cfg.Timeout = 50 * time.Millisecond
	logs := captureLogs(&cfg)
	d := mustNew(t, cfg)
	enqueue(t, d, Delivery{Key: "m1", URL: srv.URL, Body: []byte(`{}`), Kind: "reply"})
	advanceRetry(t, d, clk, 1)
	flush(t, d)

	s := d.Stats()
	if s.Delivered != 1 || s.Attempts != 2 || s.Retried != 1 {
		t.Errorf("stats: %+v", s)
	}
	simtest.WaitFor(t, "the timeout logged", func() bool { return strings.Contains(logs.String(), "timeout after 50ms") })
}

func TestGiveUpAfterMaxAttempts(t *testing.T) {
	srv := serve(t, &recorder{}, func(int, seenRequest) int { return http.StatusServiceUnavailable })
	clk := newFakeClock()
	cfg := testConfig(clk)
	cfg.MaxAttempts = 3
	logs := captureLogs(&cfg)
	d := mustNew(t, cfg)
	enqueue(t, d, Delivery{Key: "m1", URL: srv.URL, Body: []byte(`{}`), Kind: "status"})
	enqueue(t, d, Delivery{Key: "m1", URL: srv.URL, Body: []byte(`{}`), Kind: "status"})
	advanceRetry(t, d, clk, 1)
	advanceRetry(t, d, clk, 2)
	// The second delivery of the key starts only once the first is given up.
	advanceRetry(t, d, clk, 4)
	advanceRetry(t, d, clk, 5)
	flush(t, d)

	s := d.Stats()
	if s.GivenUp != 2 || s.Delivered != 0 || s.Attempts != 6 || s.Retried != 4 {
		t.Errorf("stats: %+v", s)
	}
	// Logging follows the bookkeeping, so it may trail Flush a little.
	simtest.WaitFor(t, "two give-ups logged", func() bool { return strings.Count(logs.String(), "callback given up") == 2 })
}

func TestRetryAfterHonoured(t *testing.T) {
	clk := newFakeClock()
	tests := []struct {
		name, retryAfter string
		code             int
		want             time.Duration
	}{
		{"seconds", "7", 429, 7 * time.Second},
		{"capped", "3600", 429, 10 * time.Second},
		{"zero", "0", 429, 0},
		{"http-date", clk.Now().Add(4 * time.Second).Format(http.TimeFormat), 503, 4 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.Header().Set("Retry-After", tc.retryAfter)
					w.WriteHeader(tc.code)
				}
			}))
			t.Cleanup(srv.Close)
			clk := newFakeClock()
			cfg := testConfig(clk)
			cfg.MaxBackoff = 10 * time.Second
			logs := captureLogs(&cfg)
			d := mustNew(t, cfg)
			enqueue(t, d, Delivery{Key: "m1", URL: srv.URL, Kind: "status"})
			if tc.want > 0 {
				simtest.WaitFor(t, "the retry timer", func() bool { return clk.pending() >= 1 })
				clk.Advance(tc.want)
			}
			flush(t, d)
			want := fmt.Sprintf("retry_in=%v", tc.want)
			simtest.WaitFor(t, "log "+want, func() bool { return strings.Contains(logs.String(), want) })
		})
	}
}

func TestPerKeyOrderWhileAnotherKeyRetries(t *testing.T) {
	var failA atomic.Bool
	failA.Store(true)
	rec := &recorder{}
	srv := serve(t, rec, func(_ int, s seenRequest) int {
		if failA.Load() && s.body == "A1" {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	clk := newFakeClock()
	d := mustNew(t, testConfig(clk))
	for _, b := range []string{"A1", "A2", "B1", "A3", "B2", "B3"} {
		enqueue(t, d, Delivery{Key: b[:1], URL: srv.URL, Body: []byte(b), Kind: "status"})
	}
	simtest.WaitFor(t, "key B delivered while A backs off", func() bool {
		s := d.Stats()
		return s.Delivered == 3 && s.BackingOff == 1 && clk.pending() >= 1
	})
	if got := bodies(rec.all()); perKey(got, "B") != "B1 B2 B3" || perKey(got, "A") != "A1" {
		t.Fatalf("while A1 backs off the receiver saw %q; want A1 once and B1 B2 B3 in order", got)
	}
	failA.Store(false)
	clk.Advance(time.Second)
	flush(t, d)
	if got := perKey(bodies(rec.all()), "A"); got != "A1 A1 A2 A3" {
		t.Errorf("key A attempts: expected %q, got %q", "A1 A1 A2 A3", got)
	}
}

func bodies(reqs []seenRequest) string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.body)
	}
	return strings.Join(out, " ")
}

func perKey(seq, key string) string {
	var out []string
	for f := range strings.FieldsSeq(seq) {
		if strings.HasPrefix(f, key) {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

func TestBackpressure(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	t.Cleanup(srv.Close)
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release) }) }
	t.Cleanup(releaseAll)

	cfg := testConfig(nil)
	cfg.Workers, cfg.QueueSize = 1, 2
	d := mustNew(t, cfg)
	del := Delivery{URL: srv.URL, Body: []byte(`{}`), Kind: "status"}
	enqueue(t, d, del)
	enqueue(t, d, del)
	simtest.WaitFor(t, "one in flight", func() bool { return d.Stats().InFlight == 1 })

	if d.TryEnqueue(del) {
		t.Fatal("TryEnqueue on a full queue: expected false, got true")
	}
	if s := d.Stats(); s.Dropped != 1 || s.ByKind["status"].Dropped != 1 || s.QueueDepth != 1 {
		t.Errorf("after a drop: %+v", s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := d.Enqueue(ctx, del); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Enqueue on a full queue: expected DeadlineExceeded, got %v", err)
	}

	done := make(chan error, 1)
	go func() { done <- d.Enqueue(context.Background(), del) }()
	select {
	case err := <-done:
		t.Fatalf("Enqueue returned %v while the queue was full", err)
	default:
	}
	releaseAll()
	if err := <-done; err != nil {
		t.Fatalf("blocked Enqueue after room was made: %v", err)
	}
	flush(t, d)
	if s := d.Stats(); s.Delivered != 3 || s.Enqueued != 3 {
		t.Errorf("final stats: %+v", s)
	}
}

func TestBackingOffUsesNoGoroutinePerRetry(t *testing.T) {
	srv := serve(t, &recorder{}, func(int, seenRequest) int { return http.StatusInternalServerError })
	clk := newFakeClock()
	cfg := testConfig(clk)
	d := mustNew(t, cfg)
	const n = 500
	before := runtime.NumGoroutine()
	for i := range n {
		enqueue(t, d, Delivery{Key: fmt.Sprint("m", i), URL: srv.URL, Kind: "status"})
	}
	simtest.WaitFor(t, "all backing off", func() bool { return d.Stats().BackingOff == n })
	if grown := runtime.NumGoroutine() - before; grown > 50 {
		t.Errorf("%d deliveries backing off grew the goroutine count by %d", n, grown)
	}
}

func TestStatsJSONSnakeCase(t *testing.T) {
	b, err := json.Marshal(Stats{ByKind: map[string]KindStats{"status": {}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"given_up"`, `"queue_depth"`, `"in_flight"`, `"by_kind"`, `"backing_off"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("Stats JSON lacks %s: %s", key, b)
		}
	}
}
