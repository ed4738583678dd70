package modica

import "testing"

// TestStatusModelLegal pins Modica's strict order (the table of the former
// internal/dlr package, now answered by the dialect's StatusModel):
// intermediate statuses may be skipped but never reversed or repeated;
// nothing follows a failure or read; only read follows received.
func TestStatusModelLegal(t *testing.T) {
	m := New().Statuses()
	tests := []struct {
		prev, next string
		want       bool
	}{
		{Accepted, Submitted, true},
		{Submitted, Sent, true},
		{Sent, Received, true},
		{Received, Read, true},
		{Accepted, Received, true}, // skipping is allowed
		{Submitted, Frozen, true},
		{Frozen, Sent, true},
		{Sent, Rejected, true},
		{Submitted, Expired, true},
		{Read, Sent, false},
		{Received, Sent, false},
		{Sent, Sent, false}, // a repeat is a duplicate, not progress
		{Received, Failed, false},
		{Failed, Received, false},
		{Expired, Dead, false},
		{Read, Read, false},
	}
	if !m.Ordered {
		t.Fatal("Modica's status model is not Ordered: reversals would pass as lawful")
	}
	for _, tt := range tests {
		prev, ok1 := m.Lookup(tt.prev)
		next, ok2 := m.Lookup(tt.next)
		if !ok1 || !ok2 {
			t.Fatalf("unknown status in %s → %s", tt.prev, tt.next)
		}
		if got := m.Follows(prev, next); got != tt.want {
			t.Errorf("Follows(%s, %s) = %v, want %v", tt.prev, tt.next, got, tt.want)
		}
	}
}

// TestStatusModelFinalAndKnown: the ten statuses of the spec are known,
// YCloud's "delivered" is not; received, read and the failures are final.
func TestStatusModelFinalAndKnown(t *testing.T) {
	m := New().Statuses()
	all := []string{Accepted, Submitted, Sent, Received, Read, Frozen, Rejected, Failed, Dead, Expired}
	if got := m.Names(); len(got) != len(all) {
		t.Fatalf("statuses %q, want the spec's ten", got)
	}
	for _, s := range all {
		if !m.Known(s) {
			t.Errorf("Known(%s) = false", s)
		}
	}
	if m.Known("delivered") {
		t.Error(`Known("delivered") = true`)
	}
	for s, want := range map[string]bool{Received: true, Read: true, Expired: true, Sent: false, Frozen: false, Accepted: false} {
		if m.IsFinal(s) != want {
			t.Errorf("IsFinal(%s) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{Rejected: true, Failed: true, Dead: true, Expired: true, Received: false, Read: false} {
		if m.IsFailure(s) != want {
			t.Errorf("IsFailure(%s) = %v", s, !want)
		}
	}
}
