package sim

import (
	"context"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/spec"
)

// slowToyServer is a toy simulator whose steps are an hour apart, so
// messages stay in flight until a test advances them.
func slowToyServer(t *testing.T) *Server {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Lifecycle, cfg.Seed = Lifecycle{Submit: time.Hour, Send: time.Hour, Deliver: time.Hour, Read: time.Hour}, 1
	s, err := New(&spec.Doc{T: toySpec(t)}, nil, &toyWire{url: "http://127.0.0.1:1"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = s.Close(context.Background()) })
	return s
}

// TestForgetFinishedMessageLeavesStore: the in-process simulator of a load
// run kept every finished message for MessageTTL (a minute), although the
// run would never ask for most of them, so its memory followed the
// messages of the last minute, not those in flight. Forget removes a
// finished message at once.
func TestForgetFinishedMessageLeavesStore(t *testing.T) {
	s, rec := toyServer(t, Disorder{})
	id := accept(s)
	waitStatuses(t, rec, id, 2) // sent, delivered: the walk is over
	mid, _ := ParseUUID(id)
	if s.Get(mid) == nil || s.store.len() != 1 {
		t.Fatalf("finished message not held before Forget (stored %d)", s.store.len())
	}
	s.Forget(id)
	if s.Get(mid) != nil || s.store.len() != 0 {
		t.Errorf("after Forget: message still held (stored %d), want it gone", s.store.len())
	}
	s.Forget(id)          // twice: no effect
	s.Forget("not-an-id") // unreadable: ignored
	if s.store.len() != 0 {
		t.Errorf("stored %d after forgetting twice, want 0", s.store.len())
	}
}

// TestForgetInFlightMessageLeavesWhenFinished: a message forgotten in
// flight is still held (its walk goes on and its callbacks are posted)
// and leaves the store when its last status is reached, without waiting
// for the TTL.
func TestForgetInFlightMessageLeavesWhenFinished(t *testing.T) {
	s := slowToyServer(t)
	id := accept(s)
	mid, _ := ParseUUID(id)
	m := s.Get(mid)
	s.Forget(id)
	if s.Get(mid) != m || s.store.len() != 1 {
		t.Fatalf("forgotten in flight: held %v, stored %d; want it still held", s.Get(mid) != nil, s.store.len())
	}
	for step := 0; ; step++ {
		a, ok := s.advance(m, s.Now())
		if !ok || step > 5 {
			t.Fatalf("walk did not end (step %d)", step)
		}
		if !a.following {
			break
		}
		if s.Get(mid) == nil {
			t.Fatalf("forgotten message left the store at step %d, before its walk was over", step)
		}
	}
	if s.Get(mid) != nil || s.store.len() != 0 {
		t.Errorf("finished after Forget: still held (stored %d), want it gone at once", s.store.len())
	}
	s.store.doneMu.Lock()
	queued := len(s.store.done) - s.store.head
	s.store.doneMu.Unlock()
	if queued != 0 {
		t.Errorf("%d entries queued for the TTL sweep, want none for a forgotten message", queued)
	}
}
