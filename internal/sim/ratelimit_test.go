package sim

import (
	"testing"
	"time"
)

// TestLimiterEvery: one token every interval with a burst, per key; the
// wait names when the next token comes; interval 0 is off.
func TestLimiterEvery(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiterEvery(6*time.Second, 2)
	for i := range 2 {
		if ok, _ := l.Allow("a", t0); !ok {
			t.Fatalf("burst token %d refused", i)
		}
	}
	ok, wait := l.Allow("a", t0)
	if ok || wait != 6*time.Second {
		t.Fatalf("third at once: ok %v wait %v, want refused, 6s", ok, wait)
	}
	if ok, _ := l.Allow("b", t0); !ok {
		t.Error("another key shares the bucket")
	}
	if ok, _ := l.Allow("a", t0.Add(5999*time.Millisecond)); ok {
		t.Error("a token came back before 6 s")
	}
	if ok, _ := l.Allow("a", t0.Add(6*time.Second)); !ok {
		t.Error("no token after 6 s")
	}
	off := NewLimiterEvery(0, 0)
	for range 100 {
		if ok, _ := off.Allow("a", t0); !ok {
			t.Fatal("interval 0 limits")
		}
	}
}
