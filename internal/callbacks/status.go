package callbacks

import "github.com/wabcheck/wabcheck/internal/dialect"

// noStatus is the status index of "no status yet" and of values the status
// model does not know.
const noStatus = 0xff

// maxStatuses bounds a status model: msg.seen and the settled table keep
// one bit per status in 16 bits.
const maxStatuses = dialect.MaxStatuses

// statusModel is everything the receiver knows about delivery statuses,
// over the dialect's model: which exist (by a small index), which may
// follow which, which are final, and whether the vendor promises order.
type statusModel struct{ m *dialect.StatusModel }

// index maps a status string to its index, noStatus if unknown.
func (s statusModel) index(status string) uint8 {
	if i, ok := s.m.Index(status); ok {
		return i
	}
	return noStatus
}

// name is the status string of an index.
func (s statusModel) name(i uint8) string {
	if int(i) >= len(s.m.Statuses) {
		return ""
	}
	return s.m.Statuses[i].Name
}

// legal reports whether next may follow prev for one message; everything
// may when the vendor promises no order.
func (s statusModel) legal(prev, next uint8) bool {
	return s.m.Follows(s.m.Statuses[prev], s.m.Statuses[next])
}

// ordered reports whether the vendor promises order (a repeat or a
// reversal is a defect).
func (s statusModel) ordered() bool { return s.m.Ordered }

// behind reports whether next ranks below prev: for a vendor without an
// ordering guarantee, lawful disorder, counted.
func (s statusModel) behind(prev, next uint8) bool {
	return s.m.Statuses[next].Rank < s.m.Statuses[prev].Rank
}

// final reports whether a message in status i has its delivery outcome
// (its first final status ends the receipt latency).
func (s statusModel) final(i uint8) bool { return s.m.Statuses[i].Final }
