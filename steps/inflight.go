package steps

import (
	"context"
	"sync"
)

// sendTracker lets a check wait for the sends in flight when it starts. A
// callback may arrive before the scenario that sent its message has read
// the answer and registered the id, so "no callbacks for unknown ids" is
// judged only once those sends have ended. The zero value is ready.
type sendTracker struct {
	mu      sync.Mutex
	next    uint64
	flying  map[uint64]bool
	changed chan struct{} // closed (and replaced) when a send ends
}

// begin marks a send in flight; the returned func ends it (after the
// accepted ids are registered).
func (t *sendTracker) begin() func() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.flying == nil {
		t.flying, t.changed = map[uint64]bool{}, make(chan struct{})
	}
	t.next++
	n := t.next
	t.flying[n] = true
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		delete(t.flying, n)
		close(t.changed)
		t.changed = make(chan struct{})
	}
}

// settle waits until every send in flight at the call has ended (later
// sends are not waited for), or ctx ends.
func (t *sendTracker) settle(ctx context.Context) error {
	t.mu.Lock()
	var waiting []uint64
	for n := range t.flying {
		waiting = append(waiting, n)
	}
	t.mu.Unlock()
	for {
		t.mu.Lock()
		for len(waiting) > 0 && !t.flying[waiting[0]] {
			waiting = waiting[1:]
		}
		if len(waiting) == 0 {
			t.mu.Unlock()
			return nil
		}
		ch := t.changed
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
