package callbacks

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/dlr"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Finding codes the receiver adds to those of validate.
const (
	// CodeIllegalTransition: a DLR status may not follow the message's
	// previous status (dlr.Legal).
	CodeIllegalTransition = "dlr-illegal-transition"
	// CodeReferenceMismatch: a DLR's reference differs from the one the
	// message was sent with.
	CodeReferenceMismatch = "dlr-reference-mismatch"
	// CodeUnclassified: a callback posted to neither …/status nor …/reply
	// whose body has neither "status" nor "content".
	CodeUnclassified = "callback-unclassified"
)

// numShards spreads messages over this many locks.
const numShards = 64

// Options configures a Receiver. The zero value validates every callback
// and keeps redacted headers but not bodies.
type Options struct {
	// Now returns the arrival time of a callback; time.Now when nil.
	Now func() time.Time
	// KeepBodies keeps each callback's body on its Event.
	KeepBodies bool
	// Lean keeps no per-callback headers, only per-message accounting and
	// findings: for load runs with millions of messages.
	Lean bool
	// ValidateSample is the share of callbacks validated against the spec:
	// 0 (unset) or 1 validates all, 0.1 every tenth, a negative value none.
	ValidateSample float64
	// RateLimit is the X-RateLimit-Limit value answered (the spec declares
	// the header on the callback's 200); 0 means 100.
	RateLimit int
	// MaxBody bounds a callback body in bytes; 0 means 1 MiB.
	MaxBody int64
}

// Event is one callback as received.
type Event struct {
	Kind      validate.Kind `json:"kind"`
	At        time.Time     `json:"at"`
	MessageID string        `json:"message_id,omitempty"`
	Reference string        `json:"reference,omitempty"`
	Status    string        `json:"status,omitempty"`
	// Path is the request path the callback was posted to.
	Path string `json:"path,omitempty"`
	// Header is the request header with credentials redacted; nil in Lean
	// mode.
	Header http.Header `json:"header,omitempty"`
	// Body is the raw body, only with Options.KeepBodies.
	Body     []byte             `json:"body,omitempty"`
	Findings []validate.Finding `json:"findings,omitempty"`
	// Duplicate: an earlier DLR for the message had the same status.
	Duplicate bool `json:"duplicate,omitempty"`
	// Unknown: the message id was not Expect()ed (decided when queried).
	Unknown bool `json:"unknown,omitempty"`
	// Illegal: the status may not follow the message's earlier ones.
	Illegal bool `json:"illegal,omitempty"`
}

// Receiver records, validates and correlates DLR and MO callbacks. It is
// safe for concurrent use.
type Receiver struct {
	v         *validate.Validator
	opts      Options
	rateLimit []string
	seq       atomic.Uint64 // callbacks seen, for sampling
	validated atomic.Int64
	shards    [numShards]shard

	mu      sync.Mutex // guards replies, orphans, notify
	replies []Event
	orphans []Event // callbacks without a usable message id
	notify  chan struct{}
}

// NewReceiver returns a Receiver that validates with v (which may be nil
// to validate nothing).
func NewReceiver(v *validate.Validator, opts Options) *Receiver {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ValidateSample == 0 {
		opts.ValidateSample = 1
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = 100
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = 1 << 20
	}
	r := &Receiver{v: v, opts: opts, rateLimit: []string{strconv.Itoa(opts.RateLimit)}}
	for i := range r.shards {
		r.shards[i].msgs = map[string]*msg{}
		r.shards[i].other = map[string]int{}
		r.shards[i].findings = map[string]int{}
	}
	return r
}

func (r *Receiver) shard(id string) *shard { return &r.shards[fnv32(id)%numShards] }

// sample reports whether the next callback is validated: exactly
// round(n*ValidateSample) of the first n are.
func (r *Receiver) sample() bool {
	p := r.opts.ValidateSample
	if r.v == nil || p < 0 {
		return false
	}
	if p >= 1 {
		return true
	}
	n := r.seq.Add(1)
	return uint64(float64(n)*p) != uint64(float64(n-1)*p)
}

// Expect registers a message id a send was accepted for (202), with the
// reference it was sent with and when. Callbacks for ids never expected are
// Unknown; a DLR may arrive before Expect is called (the 202 and the DLR
// race), so Unknown is decided when queried, and a reference mismatch of
// such early DLRs is found here.
func (r *Receiver) Expect(id, reference string, sentAt time.Time) {
	s := r.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.msgs[id]
	if m == nil {
		m = newMsg()
		s.msgs[id] = m
	}
	m.expected, m.ref, m.sentAt = true, reference, sentAt.UnixNano()
	for i := range m.recs {
		got := m.dlrRef
		if x := m.recs[i].x; x != nil && x.refSet {
			got = x.ref
		}
		if reference != "" && got != reference {
			f := mismatch(id, reference, got)
			m.recs[i].addFinding(f)
			s.findings[f.Code]++
		}
	}
	m.wake()
}

func mismatch(id, want, got string) validate.Finding {
	return validate.Finding{Code: CodeReferenceMismatch, Operation: validate.KindStatus.Operation(), Where: "body", Pointer: "/reference",
		Message: fmt.Sprintf("expected reference %q (sent with message %s), got %q", want, id, got)}
}

func (x *rec) addFinding(f validate.Finding) {
	if x.x == nil {
		x.x = &extra{}
	}
	x.x.findings = append(x.x.findings, f)
}

// Events returns the DLRs received for id, in arrival order.
func (r *Receiver) Events(id string) []Event {
	s := r.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.msgs[id]; m != nil {
		return m.events(id)
	}
	return nil
}

// Wait blocks until cond holds for the DLRs of id (checked at once and on
// each arrival) or ctx ends; it returns the events it last saw.
func (r *Receiver) Wait(ctx context.Context, id string, cond func([]Event) bool) ([]Event, error) {
	s := r.shard(id)
	for {
		s.mu.Lock()
		m := s.msgs[id]
		if m == nil {
			m = newMsg()
			s.msgs[id] = m
		}
		evs := m.events(id)
		if m.notify == nil {
			m.notify = make(chan struct{})
		}
		ch := m.notify
		s.mu.Unlock()
		if cond(evs) {
			return evs, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return evs, fmt.Errorf("waiting for callbacks of message %s: %w", id, ctx.Err())
		}
	}
}

// Replies returns the MO callbacks received, in arrival order.
func (r *Receiver) Replies() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.replies...)
}

// WaitReply returns the first MO callback (in arrival order, including
// those already received) for which cond holds, waiting for new ones until
// ctx ends.
func (r *Receiver) WaitReply(ctx context.Context, cond func(Event) bool) (Event, error) {
	next := 0
	for {
		r.mu.Lock()
		fresh := append([]Event(nil), r.replies[next:]...)
		next = len(r.replies)
		if r.notify == nil {
			r.notify = make(chan struct{})
		}
		ch := r.notify
		r.mu.Unlock()
		for _, e := range fresh {
			if cond(e) {
				return e, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Event{}, fmt.Errorf("waiting for a reply callback: %w", ctx.Err())
		}
	}
}

// Unknown returns the callbacks whose message id is not expected now (or
// that carry no usable id), in arrival order.
func (r *Receiver) Unknown() []Event {
	var out []Event
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		for id, m := range s.msgs {
			if !m.expected && len(m.recs) > 0 {
				out = append(out, m.events(id)...)
			}
		}
		s.mu.Unlock()
	}
	r.mu.Lock()
	out = append(out, r.orphans...)
	r.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// statusOf returns the dlr.Status of a status index, "" for none.
func statusOf(i uint8) dlr.Status {
	if i == noStatus {
		return ""
	}
	return dlr.All[i]
}
