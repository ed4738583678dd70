// Package dlr knows the delivery-receipt (DLR) statuses of the Modica WAB
// API and which orders of them are legal. The simulator walks messages
// through them; the callback receiver checks what a vendor sends against
// them.
package dlr

// Status is a DLR status value as in the spec's StatusCallback.status enum.
type Status string

// The statuses of StatusCallback.status, in the spec's order.
const (
	Accepted  Status = "accepted"
	Submitted Status = "submitted"
	Sent      Status = "sent"
	Received  Status = "received"
	Read      Status = "read"
	Frozen    Status = "frozen"
	Rejected  Status = "rejected"
	Failed    Status = "failed"
	Dead      Status = "dead"
	Expired   Status = "expired"
)

// All lists every status in the spec's order.
var All = []Status{Accepted, Submitted, Sent, Received, Read, Frozen, Rejected, Failed, Dead, Expired}

// progress ranks the statuses of the happy path; frozen sits between
// submitted and sent (held by the carrier, may still be sent).
var progress = map[Status]int{Accepted: 0, Submitted: 1, Frozen: 2, Sent: 3, Received: 4, Read: 5}

// Known reports whether s is a status the spec defines.
func Known(s Status) bool {
	_, ok := progress[s]
	return ok || IsFailure(s)
}

// IsFailure reports whether s is a failure status (rejected, failed, dead,
// expired). Failures are terminal.
func IsFailure(s Status) bool {
	switch s {
	case Rejected, Failed, Dead, Expired:
		return true
	}
	return false
}

// IsTerminal reports whether a message in status s has reached its final
// delivery outcome: received (delivered), read, or a failure. A message is
// "complete" for delivery accounting once it has a terminal status.
func IsTerminal(s Status) bool {
	return s == Received || s == Read || IsFailure(s)
}

// Legal reports whether a DLR with status next may follow one with status
// prev for the same message. Intermediate statuses may be skipped (vendors
// need not report each one) but never reversed; nothing follows a failure;
// nothing follows read; only read follows received.
func Legal(prev, next Status) bool {
	if IsFailure(prev) || prev == Read {
		return false
	}
	if IsFailure(next) {
		return prev != Received
	}
	p, ok1 := progress[prev]
	n, ok2 := progress[next]
	return ok1 && ok2 && n > p
}
