package dlr

import "testing"

func TestLegal(t *testing.T) {
	tests := []struct {
		prev, next Status
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
	for _, tt := range tests {
		if got := Legal(tt.prev, tt.next); got != tt.want {
			t.Errorf("Legal(%s, %s) = %v, want %v", tt.prev, tt.next, got, tt.want)
		}
	}
}

func TestTerminalAndKnown(t *testing.T) {
	for _, s := range All {
		if !Known(s) {
			t.Errorf("Known(%s) = false", s)
		}
	}
	if Known("delivered") {
		t.Error(`Known("delivered") = true`)
	}
	for s, want := range map[Status]bool{Received: true, Read: true, Expired: true, Sent: false, Frozen: false, Accepted: false} {
		if IsTerminal(s) != want {
			t.Errorf("IsTerminal(%s) = %v", s, !want)
		}
	}
}
