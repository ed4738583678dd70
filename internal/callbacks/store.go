package callbacks

import (
	"net/http"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Event flags, packed in rec.flags.
const (
	flagDuplicate uint8 = 1 << iota
	flagIllegal
	flagDisorder
)

// rec is one DLR as stored: 24 bytes, plus an extra only when something
// needs keeping (headers, a body, findings, an odd reference or status).
type rec struct {
	at     int64 // unix nanoseconds
	x      *extra
	status uint8 // status index (statusModel), noStatus for others
	flags  uint8
	kind   uint8  // index into the callback model's Kinds
	batch  uint16 // events in the POST that brought it (capped)
}

type extra struct {
	ref       string // the DLR's reference when it differs from msg.dlrRef
	refSet    bool
	rawStatus string
	path      string
	header    http.Header
	body      []byte
	findings  []validate.Finding
	errors    []string // the failure details the vendor attached
	cut       Cut
}

// msg is the per-message state, kept compact for load runs with millions
// of messages.
type msg struct {
	ref       string // the reference Expect registered
	to        string // the recipient ExpectTo registered
	dlrRef    string // the reference of the first DLR
	sentAt    int64  // unix nanoseconds; 0 until Expect
	firstTerm int64  // arrival of the first final DLR; 0 if none
	dlrs      uint32 // DLRs received, kept in recs or not
	expected  bool
	pending   bool          // created by a DLR for an id not expected: holds a MaxPending slot
	last      uint8         // highest legal status so far, noStatus if none
	seen      uint16        // bit i: a DLR with status index i arrived
	recs      []rec         // at most Options.MaxPerMessage
	notify    chan struct{} // closed on the next DLR; nil until a waiter asks
}

func newMsg() *msg { return &msg{last: noStatus} }

// wake wakes every waiter on m. Callers hold the shard lock.
func (m *msg) wake() {
	if m.notify != nil {
		close(m.notify)
		m.notify = nil
	}
}

// events materialises m's kept DLRs. Callers hold the shard lock.
func (m *msg) events(id string, st statusModel, kinds []validate.Kind) []Event {
	out := make([]Event, len(m.recs))
	for i, r := range m.recs {
		e := Event{Kind: kindAt(kinds, r.kind), Type: dialect.EventStatus, At: time.Unix(0, r.at), MessageID: id, Reference: m.dlrRef,
			Duplicate: r.flags&flagDuplicate != 0, Illegal: r.flags&flagIllegal != 0, Disorder: r.flags&flagDisorder != 0,
			Unknown: !m.expected, Batch: int(r.batch)}
		if r.status != noStatus {
			e.Status = st.name(r.status)
		}
		if x := r.x; x != nil {
			if x.refSet {
				e.Reference = x.ref
			}
			if r.status == noStatus {
				e.Status = x.rawStatus
			}
			e.Path, e.Header, e.Body, e.Cut = x.path, x.header, x.body, x.cut
			e.Findings = append([]validate.Finding(nil), x.findings...)
			e.Errors = append([]string(nil), x.errors...)
		}
		out[i] = e
	}
	return out
}

// shard holds the messages whose id hashes to it, and its counters. The
// counters are kept as callbacks arrive, so a Summary does not walk the
// messages.
type shard struct {
	mu       sync.Mutex
	msgs     map[string]*msg
	byStatus [maxStatuses]int // by status index
	other    map[string]int   // DLRs by status outside the model (bounded, see countOther)
	findings map[string]int
	dups     int
	illegal  int
	disorder int // lawful reversals of a vendor without an ordering guarantee
	dlrs     int
	expected int // ids Expect registered
	terminal int // expected messages with a final status
	dropped  int // DLRs of expected messages over MaxPerMessage
	// DLRs for ids not expected: of the ids in msgs (pendingDLRs, of which
	// pendingKept are kept), of ids given up after Settle (goneDLRs), and
	// those beyond MaxPending (untracked).
	pendingDLRs, pendingKept, goneDLRs, untracked int
	late                                          int // DLRs of settled messages
	settledMsgs                                   int // messages that left msgs after Settle
	queue                                         settleQueue
	settled                                       settledTable
}

// countOther counts a DLR whose status the model does not know, by name
// for the first maxOtherStatuses names.
func (s *shard) countOther(status string) {
	if _, ok := s.other[status]; !ok && len(s.other) >= maxOtherStatuses {
		status = otherStatuses
	}
	s.other[clip(status, maxFieldLen)]++
}

// fnv32 hashes id for shard selection without allocating.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// kindAt is the callback kind of index i.
func kindAt(kinds []validate.Kind, i uint8) validate.Kind {
	if int(i) < len(kinds) {
		return kinds[i]
	}
	return ""
}
