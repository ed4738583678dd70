package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// steppingClock advances by step at every reading, so every answer takes
// exactly step (the probe reads the clock before and after a request).
func steppingClock(step time.Duration) func() time.Time {
	var n atomic.Int64
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { return t0.Add(time.Duration(n.Add(1)) * step) }
}

// TestMaxResponseTimeFromTheClock: answers slower than the budget (by the
// injected clock, not the wall) are one finding per operation.
func TestMaxResponseTimeFromTheClock(t *testing.T) {
	doc := notesDoc(t)
	o := notesOptions(doc, newNotesServer(t, doc).start(t))
	o.Now, o.MaxLatency, o.Concurrency = steppingClock(2*time.Second), time.Second, 1
	res := mustRun(t, o)
	fs := findingsOf(res, CheckMaxResponseTime)
	if len(fs) != 2 || len(res.Findings) != 2 || fs[0].Occurrences < 10 {
		t.Errorf("findings %+v, want max_response_time on both operations", res.Findings)
	}
	o.MaxLatency = 3 * time.Second
	if res := mustRun(t, o); len(res.Findings) != 0 {
		t.Errorf("within the budget: findings %+v", res.Findings)
	}
}

// limitedServer answers 429 (Retry-After: 7) to the first attempt of every
// request, or to all of them with always.
type limitedServer struct {
	next   http.Handler
	always bool
	mu     sync.Mutex
	seen   map[string]bool
}

func (s *limitedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + r.URL.String() + r.Header.Get("Authorization")
	s.mu.Lock()
	first := !s.seen[key]
	s.seen[key] = true
	s.mu.Unlock()
	if s.always || first {
		w.Header().Set("Retry-After", "7")
		reply(w, http.StatusTooManyRequests, map[string]any{"message": "slow down"})
		return
	}
	s.next.ServeHTTP(w, r)
}

// TestRateLimitedCasesAreRetried: a 429 is retried after its Retry-After
// (through the injected sleep); a case still limited after the retries
// proves nothing and fails no check about its data.
func TestRateLimitedCasesAreRetried(t *testing.T) {
	doc := notesDoc(t)
	ls := &limitedServer{next: newNotesServer(t, doc), seen: map[string]bool{}}
	srv := httptest.NewServer(ls)
	defer srv.Close()
	o := notesOptions(doc, srv.URL+"/api")
	o.Operations, o.MaxCases = []string{"GetNote"}, 20
	var slept atomic.Int64
	o.Sleep = func(_ context.Context, d time.Duration) error {
		if d != 7*time.Second {
			t.Errorf("slept %v, want Retry-After 7s", d)
		}
		slept.Add(1)
		return nil
	}
	res := mustRun(t, o)
	if len(res.Findings) != 0 || slept.Load() != int64(len(res.Cases)) || len(res.Cases) < 10 {
		t.Errorf("slept %d times, findings %+v", slept.Load(), res.Findings)
	}
	ls.always = true
	res = mustRun(t, o)
	limited := 0
	for _, c := range res.Cases {
		limited += btoi(c.RateLimited)
	}
	if len(res.Findings) != 0 || limited != len(res.Cases) {
		t.Errorf("%d of %d cases rate-limited, findings %+v", limited, len(res.Cases), res.Findings)
	}
}

// TestUnsupportedMethodNeedsAllow: a 405 without Allow breaks RFC 9110.
func TestUnsupportedMethodNeedsAllow(t *testing.T) {
	doc := notesDoc(t)
	ns := newNotesServer(t, doc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			reply(w, http.StatusMethodNotAllowed, map[string]any{"message": "no"})
			return
		}
		ns.ServeHTTP(w, r)
	}))
	defer srv.Close()
	res := mustRun(t, notesOptions(doc, srv.URL+"/api"))
	fs := findingsOf(res, CheckUnsupportedMethod)
	if len(fs) != 2 || len(res.Findings) != 2 || !strings.Contains(fs[0].Message, "Allow") {
		t.Errorf("findings %+v, want unsupported_method on both paths", res.Findings)
	}
}

// TestSpecLinksAreFollowed: the spec's OpenAPI link (PostNote → GetNote)
// is followed with the created id; a target that forgets what it created
// breaks ensure_resource_availability.
func TestSpecLinksAreFollowed(t *testing.T) {
	doc := notesDoc(t)
	res := mustRun(t, notesOptions(doc, newNotesServer(t, doc).start(t)))
	linked := 0
	for _, c := range res.Cases {
		if c.Kind == Linked && c.Operation == "GetNote" && c.Status == http.StatusOK {
			linked++
		}
	}
	if linked != linksPerLink || len(res.Findings) != 0 {
		t.Errorf("%d linked GetNote cases answered 200, findings %+v", linked, res.Findings)
	}
	ns := newNotesServer(t, doc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ns.ServeHTTP(w, r)
		ns.mu.Lock()
		ns.notes = map[string]map[string]any{} // forget everything
		ns.mu.Unlock()
	}))
	defer srv.Close()
	res = mustRun(t, notesOptions(doc, srv.URL+"/api"))
	if fs := findingsOf(res, CheckResourceAvailability); len(fs) != 1 || fs[0].Operation != "GetNote" {
		t.Errorf("findings %+v, want ensure_resource_availability on GetNote", res.Findings)
	}
}
