package callbacks

import "github.com/wabcheck/wabcheck/internal/dlr"

// noStatus is the status index of "no status yet" and of values the status
// model does not know.
const noStatus = 0xff

// maxStatuses bounds a status model: msg.seen and the settled table keep
// one bit per status in 16 bits.
const maxStatuses = 16

// statusModel is everything the receiver knows about delivery statuses:
// which exist (by a small index), which may follow which, and which are
// final. It is the one place the receiver depends on a vendor's status
// list, so a per-vendor model can replace modicaStatuses.
type statusModel interface {
	// index maps a status string to its index, noStatus if unknown.
	index(status string) uint8
	// name is the status string of an index.
	name(i uint8) string
	// legal reports whether next may follow prev for one message.
	legal(prev, next uint8) bool
	// final reports whether a message in status i has its delivery
	// outcome (its first final DLR ends the receipt latency).
	final(i uint8) bool
	// count is the number of statuses (at most maxStatuses).
	count() int
}

// modicaStatuses is Modica's fixed status list (internal/dlr).
type modicaStatuses struct{}

func (modicaStatuses) index(s string) uint8 {
	for i, st := range dlr.All {
		if string(st) == s {
			return uint8(i)
		}
	}
	return noStatus
}

func (modicaStatuses) name(i uint8) string {
	if int(i) >= len(dlr.All) {
		return ""
	}
	return string(dlr.All[i])
}

func (modicaStatuses) legal(prev, next uint8) bool { return dlr.Legal(dlr.All[prev], dlr.All[next]) }

func (modicaStatuses) final(i uint8) bool { return dlr.IsTerminal(dlr.All[i]) }

func (modicaStatuses) count() int { return len(dlr.All) }
