package callbacks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/validate"
)

var (
	valOnce sync.Once
	val     *validate.Validator
	valErr  error
)

func validator(t testing.TB) *validate.Validator {
	t.Helper()
	valOnce.Do(func() {
		val, valErr = validate.New(modicaspec.MustDoc(), validate.Callbacks(modica.New().Callbacks().Kinds()))
	})
	if valErr != nil {
		t.Fatal(valErr)
	}
	return val
}

// clock is an injectable clock that advances 1ms per reading.
type clock struct{ ns atomic.Int64 }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func (c *clock) now() time.Time { return t0.Add(time.Duration(c.ns.Add(int64(time.Millisecond)))) }

func newTestReceiver(t testing.TB, opts Options) (*Receiver, *clock) {
	c := &clock{}
	if opts.Now == nil {
		opts.Now = c.now
	}
	return NewReceiver(validator(t), modica.New(), opts), c
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

func uuid(n int) string { return fmt.Sprintf("3fa85f64-5717-4562-b3fc-%012x", n) }

func dlrBody(id, ref, status string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"reference":%q,"status":%q}`, id, ref, status))
}

func flags(evs []Event) string {
	var parts []string
	for _, e := range evs {
		s := e.Status
		if e.Duplicate {
			s += "+dup"
		}
		if e.Illegal {
			s += "+illegal"
		}
		if e.Unknown {
			s += "+unknown"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ",")
}

func findingCodes(e Event) string {
	var c []string
	for _, f := range e.Findings {
		c = append(c, f.Code)
	}
	return strings.Join(c, ",")
}

func TestDLRDuplicateAndIllegal(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	id := uuid(1)
	r.Expect(id, "ref-1", t0)
	for _, st := range []string{"accepted", "sent", "sent", "accepted", "received", "read", "failed"} {
		r.Ingest("/cb/status", jsonHeader, dlrBody(id, "ref-1", st))
	}
	evs := r.Events(id)
	if got, want := flags(evs), "accepted,sent,sent+dup,accepted+dup,received,read,failed+illegal"; got != want {
		t.Fatalf("expected %s, got %s", want, got)
	}
	if got := findingCodes(evs[6]); got != CodeIllegalTransition {
		t.Errorf("expected an %s finding on the illegal DLR, got %q", CodeIllegalTransition, got)
	}
	for i := 0; i < 6; i++ {
		if len(evs[i].Findings) != 0 {
			t.Errorf("event %d: expected no findings, got %v", i, evs[i].Findings)
		}
	}
	s := r.Summary()
	if s.Duplicates != 2 || s.Illegal != 1 || s.Terminal != 1 || s.NoTerminal != 0 || s.Expected != 1 || s.DLRTotal != 7 || s.Unknown != 0 {
		t.Errorf("unexpected summary %+v", s)
	}
	if s.DLRs["sent"] != 2 || s.DLRs["accepted"] != 2 || s.Findings[CodeIllegalTransition] != 1 {
		t.Errorf("unexpected counts: dlrs %v findings %v", s.DLRs, s.Findings)
	}
}

func TestIllegalBackwards(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	id := uuid(2)
	r.Expect(id, "", t0)
	for _, st := range []string{"read", "sent"} {
		r.Ingest("/status", jsonHeader, dlrBody(id, "", st))
	}
	if got := flags(r.Events(id)); got != "read,sent+illegal" {
		t.Fatalf("expected read,sent+illegal, got %s", got)
	}
}

func TestUnknownDecidedAtQueryTime(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	early, never := uuid(3), uuid(4)
	r.Ingest("/status", jsonHeader, dlrBody(early, "ref-3", "sent"))
	r.Ingest("/status", jsonHeader, dlrBody(never, "ref-4", "sent"))
	if got := len(r.Unknown()); got != 2 {
		t.Fatalf("expected 2 unknown callbacks before Expect, got %d", got)
	}
	r.Expect(early, "ref-3", t0) // the 202 was processed after its DLR arrived
	unknown := r.Unknown()
	if len(unknown) != 1 || unknown[0].MessageID != never || !unknown[0].Unknown {
		t.Fatalf("expected only %s unknown, got %+v", never, unknown)
	}
	if evs := r.Events(early); len(evs) != 1 || evs[0].Unknown || len(evs[0].Findings) != 0 {
		t.Fatalf("expected the early DLR known and clean, got %+v", evs)
	}
	if s := r.Summary(); s.Unknown != 1 || s.Expected != 1 {
		t.Errorf("expected 1 unknown, 1 expected; got %+v", s)
	}
}

func TestReferenceMismatch(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	late, early := uuid(5), uuid(6)
	r.Expect(late, "ref-a", t0)
	r.Ingest("/status", jsonHeader, dlrBody(late, "ref-b", "sent"))
	r.Ingest("/status", jsonHeader, dlrBody(early, "ref-x", "sent"))
	r.Expect(early, "ref-y", t0)
	for _, id := range []string{late, early} {
		evs := r.Events(id)
		if len(evs) != 1 || findingCodes(evs[0]) != CodeReferenceMismatch {
			t.Errorf("%s: expected one DLR with %s, got %+v", id, CodeReferenceMismatch, evs)
		}
	}
	if n := r.Summary().Findings[CodeReferenceMismatch]; n != 2 {
		t.Errorf("expected 2 reference mismatches counted, got %d", n)
	}
}

func TestSchemaFindingsAndOddStatus(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	id := uuid(7)
	r.Expect(id, "ref", t0)
	r.Ingest("/status", jsonHeader, dlrBody(id, "ref", "delivered"))
	evs := r.Events(id)
	if len(evs) != 1 || evs[0].Status != "delivered" || findingCodes(evs[0]) != validate.CodeBodySchema {
		t.Fatalf("expected a delivered DLR with a body-schema finding, got %+v", evs)
	}
	if f := evs[0].Findings[0]; f.Pointer != "/status" || f.Spec.Line == 0 {
		t.Errorf("expected the finding at /status with a spec line, got %s", f)
	}
	s := r.Summary()
	if s.DLRs["delivered"] != 1 || s.Terminal != 0 || s.NoTerminal != 1 || s.Validated != 1 {
		t.Errorf("unexpected summary %+v", s)
	}
}

func TestWaitWakesOnArrival(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	id := uuid(8)
	r.Expect(id, "", t0)
	waiting := make(chan struct{})
	done := make(chan []Event)
	go func() {
		evs, err := r.Wait(context.Background(), id, func(evs []Event) bool {
			if len(evs) == 0 {
				select {
				case <-waiting:
				default:
					close(waiting) // the waiter has looked once and found nothing
				}
			}
			for _, e := range evs {
				if e.Status == "received" {
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Error(err)
		}
		done <- evs
	}()
	<-waiting
	r.Ingest("/status", jsonHeader, dlrBody(id, "", "sent"))
	r.Ingest("/status", jsonHeader, dlrBody(id, "", "received"))
	if evs := <-done; flags(evs) != "sent,received" {
		t.Fatalf("expected sent,received, got %s", flags(evs))
	}
}

func TestWaitRespectsContext(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := r.Wait(ctx, uuid(9), func(evs []Event) bool { return len(evs) > 0 })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("expected DeadlineExceeded, got %v", err)
	}
	if _, err := r.WaitReply(ctx, func(Event) bool { return true }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitReply: expected DeadlineExceeded, got %v", err)
	}
}

const moBody = `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","source":"64123456789","destination":"102046588645210","content":{"type":"text","text":{"body":"STOP"}}}`

func TestHandlerClassifiesAndAnswers(t *testing.T) {
	r, _ := newTestReceiver(t, Options{KeepBodies: true})
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	id := uuid(10)
	r.Expect(id, "ref", t0)
	post := func(path, body string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Basic dXNlcjpzZWNyZXRwYXNz")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, c := range []struct{ path, body string }{
		{"/hooks/status", string(dlrBody(id, "ref", "sent"))},
		{"/", string(dlrBody(id, "ref", "received"))},
		{"/hooks/reply", moBody},
		{"/", moBody},
		{"/", `{"hello":1}`},
	} {
		resp := post(c.path, c.body)
		if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != "100" || resp.ContentLength > 0 {
			t.Errorf("POST %s: expected 200, X-RateLimit-Limit 100, empty body; got %d %q len %d", c.path, resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"), resp.ContentLength)
		}
	}
	if got := flags(r.Events(id)); got != "sent,received" {
		t.Errorf("expected sent,received, got %s", got)
	}
	replies := r.Replies()
	if len(replies) != 2 || replies[0].Kind != "reply" || len(replies[1].Findings) != 0 {
		t.Fatalf("expected 2 clean replies, got %+v", replies)
	}
	if got := replies[0].Header.Get("Authorization"); got != "Basic REDACTED" {
		t.Errorf("expected the Authorization header redacted, got %q", got)
	}
	if string(replies[0].Body) != moBody {
		t.Errorf("expected the body kept, got %q", replies[0].Body)
	}
	e, err := r.WaitReply(context.Background(), func(e Event) bool { return e.Path == "/" })
	if err != nil || e.MessageID != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("WaitReply: expected the reply posted to /, got %+v %v", e, err)
	}
	unknown := r.Unknown()
	if len(unknown) != 1 || findingCodes(unknown[0]) != CodeUnclassified {
		t.Errorf("expected one unclassified callback, got %+v", unknown)
	}
	resp, err := srv.Client().Get(srv.URL + "/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: expected 405, got %d", resp.StatusCode)
	}
}

func TestLeanKeepsNoHeaders(t *testing.T) {
	r, _ := newTestReceiver(t, Options{Lean: true})
	id := uuid(11)
	r.Ingest("/status", http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer abcdefghijk"}}, dlrBody(id, "", "sent"))
	if evs := r.Events(id); len(evs) != 1 || evs[0].Header != nil || evs[0].Body != nil {
		t.Fatalf("expected one event without header or body, got %+v", evs)
	}
}

func TestValidateSample(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want int64
	}{{0, 100}, {1, 100}, {0.1, 10}, {0.25, 25}, {-1, 0}} {
		r, _ := newTestReceiver(t, Options{ValidateSample: c.p, Lean: true})
		for i := 0; i < 100; i++ {
			r.Ingest("/status", jsonHeader, dlrBody(uuid(i), "", "sent"))
		}
		s := r.Summary()
		if s.Validated != c.want || s.DLRTotal != 100 || s.DLRs["sent"] != 100 {
			t.Errorf("sample %v: expected %d validated of 100, got %d (dlrs %v)", c.p, c.want, s.Validated, s.DLRs)
		}
	}
}

func TestSummaryLatency(t *testing.T) {
	var now atomic.Int64
	r := NewReceiver(validator(t), modica.New(), Options{Now: func() time.Time { return time.Unix(0, now.Load()) }, Lean: true})
	for i := 1; i <= 100; i++ {
		id := uuid(i)
		r.Expect(id, "", time.Unix(0, 0))
		now.Store(int64(i) * int64(time.Millisecond))
		r.Ingest("/status", jsonHeader, dlrBody(id, "", "sent"))
		r.Ingest("/status", jsonHeader, dlrBody(id, "", "received"))
		r.Ingest("/status", jsonHeader, dlrBody(id, "", "read")) // not the first terminal: ignored
	}
	r.Expect(uuid(1000), "", time.Unix(0, 0)) // never delivered
	s := r.Summary()
	l := s.Latency
	ms := time.Millisecond
	// Count, mean and max are exact; the percentiles come from the
	// histogram, at most LatencyRelativeError above the exact nearest rank.
	if l.Count != 100 || l.Max != 100*ms || l.Mean != 50500*time.Microsecond {
		t.Errorf("unexpected latency %+v", l)
	}
	for _, c := range []struct {
		got, exact time.Duration
	}{{l.P50, 50 * ms}, {l.P90, 90 * ms}, {l.P95, 95 * ms}, {l.P99, 99 * ms}} {
		if !withinError(c.got, c.exact) {
			t.Errorf("percentile %v, want %v to %v above it", c.got, c.exact, LatencyRelativeError)
		}
	}
	if s.Terminal != 100 || s.NoTerminal != 1 || s.Expected != 101 {
		t.Errorf("unexpected summary %+v", s)
	}
}

func TestConcurrentIngest(t *testing.T) {
	r, _ := newTestReceiver(t, Options{Lean: true})
	const workers, per = 8, 300
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				id := uuid(w*per + i)
				r.Expect(id, "r", t0)
				r.Ingest("/status", jsonHeader, dlrBody(id, "r", "sent"))
				r.Ingest("/status", jsonHeader, dlrBody(id, "r", "received"))
				r.Ingest("/status", jsonHeader, dlrBody(id, "r", "received"))
				_ = r.Events(id)
			}
		}(w)
	}
	// Readers run alongside the writers.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			_ = r.Summary()
			_ = r.Unknown()
		}
	}()
	wg.Wait()
	s := r.Summary()
	n := workers * per
	if s.Expected != n || s.Terminal != n || s.Duplicates != n || s.DLRTotal != 3*n || s.Illegal != 0 || s.Unknown != 0 || len(s.Findings) != 0 {
		t.Fatalf("unexpected summary %+v", s)
	}
}

// withinError reports whether a histogram percentile got is the exact value
// or at most LatencyRelativeError above it.
func withinError(got, exact time.Duration) bool {
	return got >= exact && float64(got-exact) <= LatencyRelativeError*float64(exact)
}
