package dialect

import (
	"fmt"
	"strings"
)

// MaxStatuses bounds a status model: the callback receiver keeps the
// statuses a message has seen as a 16-bit set.
const MaxStatuses = 16

// Status is one delivery status of a dialect.
type Status struct {
	// Name is the value on the wire ("delivered").
	Name string
	// Rank orders statuses on the way to the recipient: a higher rank is
	// further along. Failures rank with the step they end.
	Rank int
	// Final: the message has reached a delivery outcome (delivered, read
	// or failed) and the harness may stop waiting for it. A final status
	// may still be followed by a lawful later one (read after delivered).
	Final bool
	// Failure: the message will not be delivered.
	Failure bool
}

// StatusModel is a dialect's delivery statuses and what may be observed
// of them. Build it with NewStatusModel.
type StatusModel struct {
	// Statuses in the spec's order; index i is the status's compact id.
	Statuses []Status
	// Accepted is the status a send answer reports for a message the
	// vendor took ("accepted"); "" when the answer carries none.
	Accepted string
	// Ordered is true when the vendor promises order: a status reversal
	// or a repeated status is a defect (Modica). When false (YCloud, Meta:
	// "no ordering guarantee", at-least-once delivery), disorder and
	// duplicates are lawful: the harness orders by rank and time fields,
	// deduplicates, counts them and reports no finding.
	Ordered bool
	// Legal, when set, decides whether next may follow prev for an
	// Ordered model; nil means by rank (higher ranks follow, nothing
	// follows a failure).
	Legal func(prev, next Status) bool

	index map[string]uint8
}

// NewStatusModel checks and indexes a model; it panics on a programming
// error (too many statuses, duplicates), as dialects are built at init.
func NewStatusModel(m StatusModel) *StatusModel {
	if len(m.Statuses) == 0 || len(m.Statuses) > MaxStatuses {
		panic(fmt.Sprintf("dialect: a status model needs 1 to %d statuses, got %d", MaxStatuses, len(m.Statuses)))
	}
	m.index = make(map[string]uint8, len(m.Statuses))
	for i, s := range m.Statuses {
		if _, dup := m.index[s.Name]; dup || s.Name == "" {
			panic(fmt.Sprintf("dialect: status %q is empty or listed twice", s.Name))
		}
		m.index[s.Name] = uint8(i)
	}
	return &m
}

// Index returns the compact id of a status name.
func (m *StatusModel) Index(name string) (uint8, bool) {
	i, ok := m.index[name]
	return i, ok
}

// Lookup returns the status named name.
func (m *StatusModel) Lookup(name string) (Status, bool) {
	i, ok := m.index[name]
	if !ok {
		return Status{}, false
	}
	return m.Statuses[i], true
}

// Known reports whether name is a status of the model.
func (m *StatusModel) Known(name string) bool {
	_, ok := m.index[name]
	return ok
}

// IsFinal reports whether name is a known final status.
func (m *StatusModel) IsFinal(name string) bool {
	s, ok := m.Lookup(name)
	return ok && s.Final
}

// IsFailure reports whether name is a known failure status.
func (m *StatusModel) IsFailure(name string) bool {
	s, ok := m.Lookup(name)
	return ok && s.Failure
}

// Follows reports whether next may follow prev. Unordered models allow
// everything; Ordered ones ask Legal, else rank.
func (m *StatusModel) Follows(prev, next Status) bool {
	if !m.Ordered {
		return true
	}
	if m.Legal != nil {
		return m.Legal(prev, next)
	}
	return !prev.Failure && next.Rank > prev.Rank
}

// FinalNames lists the final statuses, for messages ("delivered, read or
// failed").
func (m *StatusModel) FinalNames() string {
	var names []string
	for _, s := range m.Statuses {
		if s.Final {
			names = append(names, s.Name)
		}
	}
	return joinOr(names)
}

// Names lists every status name in the model's order.
func (m *StatusModel) Names() []string {
	out := make([]string, len(m.Statuses))
	for i, s := range m.Statuses {
		out[i] = s.Name
	}
	return out
}

// Latest returns, of the statuses in names, the one furthest along: the
// highest rank, a failure over a success of the same rank, the later one
// on a tie. Unknown names are ignored; ok is false when none is known.
func (m *StatusModel) Latest(names []string) (Status, bool) {
	var best Status
	ok := false
	for _, n := range names {
		s, known := m.Lookup(n)
		if !known {
			continue
		}
		if !ok || s.Rank > best.Rank || (s.Rank == best.Rank && (s.Failure || !best.Failure)) {
			best, ok = s, true
		}
	}
	return best, ok
}

func joinOr(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
