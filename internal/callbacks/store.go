package callbacks

import (
	"net/http"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dlr"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// noStatus is the status index of "no status yet" and of values outside
// dlr.All.
const noStatus = 0xff

// statusIndex maps a status string to its index in dlr.All.
func statusIndex(s string) uint8 {
	for i, st := range dlr.All {
		if string(st) == s {
			return uint8(i)
		}
	}
	return noStatus
}

// Event flags, packed in rec.flags.
const (
	flagDuplicate uint8 = 1 << iota
	flagIllegal
)

// rec is one DLR as stored: 24 bytes, plus an extra only when something
// needs keeping (headers, a body, findings, an odd reference or status).
type rec struct {
	at     int64 // unix nanoseconds
	x      *extra
	status uint8 // index into dlr.All, noStatus for others
	flags  uint8
}

type extra struct {
	ref       string // the DLR's reference when it differs from msg.dlrRef
	refSet    bool
	rawStatus string
	path      string
	header    http.Header
	body      []byte
	findings  []validate.Finding
}

// msg is the per-message state, kept compact for load runs with millions
// of messages.
type msg struct {
	ref       string // the reference Expect registered
	dlrRef    string // the reference of the first DLR
	sentAt    int64  // unix nanoseconds; 0 until Expect
	firstTerm int64  // arrival of the first terminal DLR; 0 if none
	expected  bool
	last      uint8  // highest legal status so far, noStatus if none
	seen      uint16 // bit i: a DLR with status dlr.All[i] arrived
	recs      []rec
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

// events materialises m's DLRs. Callers hold the shard lock.
func (m *msg) events(id string) []Event {
	out := make([]Event, len(m.recs))
	for i, r := range m.recs {
		e := Event{Kind: validate.KindStatus, At: time.Unix(0, r.at), MessageID: id, Reference: m.dlrRef,
			Duplicate: r.flags&flagDuplicate != 0, Illegal: r.flags&flagIllegal != 0, Unknown: !m.expected}
		if r.status != noStatus {
			e.Status = string(dlr.All[r.status])
		}
		if x := r.x; x != nil {
			if x.refSet {
				e.Reference = x.ref
			}
			if r.status == noStatus {
				e.Status = x.rawStatus
			}
			e.Path, e.Header, e.Body = x.path, x.header, x.body
			e.Findings = append([]validate.Finding(nil), x.findings...)
		}
		out[i] = e
	}
	return out
}

// shard holds the messages whose id hashes to it, and its counters.
type shard struct {
	mu       sync.Mutex
	msgs     map[string]*msg
	byStatus [16]int        // by index into dlr.All (at most 16 statuses: msg.seen is 16 bits)
	other    map[string]int // DLRs by status outside dlr.All
	findings map[string]int
	dups     int
	illegal  int
	dlrs     int
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
