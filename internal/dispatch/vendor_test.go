package dispatch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A vendor's retry schedule replaces the exponential backoff: the waits
// asked of the clock are the schedule's, in order, the last repeating.
func TestScheduleReplacesBackoff(t *testing.T) {
	d := &Dispatcher{cfg: Config{InitialBackoff: time.Second, MaxBackoff: time.Hour,
		Schedule: []time.Duration{10 * time.Second, 30 * time.Second, 5 * time.Minute}}}
	want := []time.Duration{10 * time.Second, 30 * time.Second, 5 * time.Minute, 5 * time.Minute}
	for n, w := range want {
		if got := d.backoff(n+1, 7*time.Second); got != w {
			t.Errorf("retry %d: waited %v, want %v", n+1, got, w)
		}
	}
}

// Sign is called at every attempt with that attempt's time, and Report
// hears every outcome, the last one flagged.
func TestSignAtEveryAttemptAndReportOutcomes(t *testing.T) {
	var calls atomic.Int32
	var sigs sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		sigs.Store(n, r.Header.Get("X-Sig"))
		if n < 3 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	cfg := DefaultConfig()
	cfg.Schedule = []time.Duration{time.Millisecond}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var signed atomic.Int32
	type outcome struct {
		status int
		last   bool
	}
	reports := make(chan outcome, 8)
	del := Delivery{URL: srv.URL, Body: []byte(`{}`), Kind: "status",
		Sign: func(body []byte, at time.Time) (string, string) {
			return "X-Sig", string(rune('a' + signed.Add(1) - 1))
		},
		Report: func(status int, err error, last bool) { reports <- outcome{status, last} }}
	if err := d.Enqueue(context.Background(), del); err != nil {
		t.Fatal(err)
	}
	if left := d.Close(ctxFor(t, 5*time.Second)); left != 0 {
		t.Fatalf("%d undelivered", left)
	}
	close(reports)
	var got []outcome
	for o := range reports {
		got = append(got, o)
	}
	if len(got) != 3 || got[0] != (outcome{500, false}) || got[1] != (outcome{500, false}) || got[2] != (outcome{200, true}) {
		t.Errorf("reports: %+v", got)
	}
	for n, want := range map[int32]string{1: "a", 2: "b", 3: "c"} {
		if v, _ := sigs.Load(n); v != want {
			t.Errorf("attempt %d signed %v, want %s (a fresh signature per attempt)", n, v, want)
		}
	}
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
