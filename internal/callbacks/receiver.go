package callbacks

import (
	"context"
	"fmt"
	"hash/maphash"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Finding codes the receiver adds to those of validate.
const (
	// CodeIllegalTransition: a status may not follow the message's
	// previous one (a vendor that promises order: the status model's
	// Legal).
	CodeIllegalTransition = "dlr-illegal-transition"
	// CodeReferenceMismatch: a status callback's reference differs from
	// the one the message was sent with.
	CodeReferenceMismatch = "dlr-reference-mismatch"
	// CodeRecipientMismatch: a status callback names another recipient
	// than the one the message was sent to.
	CodeRecipientMismatch = "callback-recipient-mismatch"
	// CodeUnclassified: a callback of no kind the dialect knows (Modica:
	// posted to neither …/status nor …/reply, with neither "status" nor
	// "content" in its body).
	CodeUnclassified = "callback-unclassified"
	// CodeUnreadable: a callback of a known kind that yields no event.
	CodeUnreadable = "callback-unreadable"
)

// numShards spreads messages over this many locks.
const numShards = 64

// Event is one callback as received (as kept: see Options for the bounds).
type Event struct {
	// Kind is the callback kind it came in ("status", "onprem").
	Kind validate.Kind `json:"kind"`
	// Type is the event type (dialect.EventStatus, EventInbound, …).
	Type      string    `json:"type,omitempty"`
	At        time.Time `json:"at"`
	MessageID string    `json:"message_id,omitempty"`
	Reference string    `json:"reference,omitempty"`
	Status    string    `json:"status,omitempty"`
	// Recipient is the recipient a status event names; EventID the
	// vendor's event id; VendorTime the vendor's own time of the event.
	Recipient  string    `json:"recipient,omitempty"`
	EventID    string    `json:"event_id,omitempty"`
	VendorTime time.Time `json:"vendor_time,omitzero"`
	// InboundType and From describe an inbound message.
	InboundType string `json:"inbound_type,omitempty"`
	From        string `json:"from,omitempty"`
	// Errors are failure details the vendor attached.
	Errors []string `json:"errors,omitempty"`
	// Batch is how many events the POST that brought it carried (1 for a
	// vendor that posts one event at a time; the on-premises client
	// batches).
	Batch int `json:"batch,omitempty"`
	// Path is the request path the callback was posted to.
	Path string `json:"path,omitempty"`
	// Header is the request header with credentials redacted; nil in Lean
	// mode.
	Header http.Header `json:"header,omitempty"`
	// Body is the raw body, only with Options.KeepBodies.
	Body     []byte             `json:"body,omitempty"`
	Findings []validate.Finding `json:"findings,omitempty"`
	// Cut says what of the callback was not kept.
	Cut Cut `json:"cut,omitzero"`
	// Duplicate: an earlier DLR for the message had the same status.
	Duplicate bool `json:"duplicate,omitempty"`
	// Unknown: the message id was not Expect()ed (decided when queried).
	Unknown bool `json:"unknown,omitempty"`
	// Illegal: the status may not follow the message's earlier ones (a
	// vendor that promises order).
	Illegal bool `json:"illegal,omitempty"`
	// Disorder: a status ranked below one already seen, lawful for a
	// vendor without an ordering guarantee.
	Disorder bool `json:"disorder,omitempty"`

	pointer string // the event's item in the callback body
}

// Cut counts what of one callback the receiver did not keep.
type Cut struct {
	// BodyBytes is the body beyond Options.MaxKeptBody.
	BodyBytes int `json:"body_bytes,omitempty"`
	// HeaderBytes is the header names and values beyond
	// Options.MaxKeptHeader.
	HeaderBytes int `json:"header_bytes,omitempty"`
	// Findings is the findings beyond the first 16 (all are counted in
	// Summary.Findings).
	Findings int `json:"findings,omitempty"`
}

// Receiver records, validates and correlates DLR and MO callbacks. It is
// safe for concurrent use.
type Receiver struct {
	v                 *validate.Validator
	opts              Options
	st                statusModel
	cb                dialect.CallbackModel
	kinds             []validate.Kind  // the model's kinds, in order
	signed            map[string]bool  // kinds whose POSTs are signed
	echo              bool             // the vendor echoes references
	verifier          dialect.Verifier // nil when the vendor does not sign
	seed              maphash.Seed
	ackStatus         int
	ackHeader         http.Header
	seq               atomic.Uint64 // callbacks seen, for sampling
	validated         atomic.Int64
	signatureFailures atomic.Int64
	posts, batched    atomic.Int64 // POSTs with events; of them, those with several
	maxBatch          atomic.Int64
	secret            atomic.Pointer[string]
	unknownKept       atomic.Int64 // unknown callbacks kept (in msgs, unknown), against MaxUnknown
	pending           atomic.Int64 // msgs holding a MaxPending slot
	shards            [numShards]shard

	latMu sync.Mutex
	lat   *LatencyHistogram

	mu           sync.Mutex // guards the fields below
	replies      []Event
	repliesTotal int
	unknown      []Event        // kept callbacks without a usable id, of ids given up after Settle, and other events
	orphans      int            // callbacks without a usable id, kept or not
	others       map[string]int // events neither status nor inbound, by type
	notify       chan struct{}
}

// NewReceiver returns a Receiver of d's callbacks that validates with v
// (which may be nil to validate nothing; it must have been built with d's
// callback kinds). Options are used as Options.Validate would have them:
// check them first where they come from a user.
func NewReceiver(v *validate.Validator, d dialect.Dialect, opts Options) *Receiver {
	opts = opts.withDefaults()
	cb := d.Callbacks()
	r := &Receiver{v: v, opts: opts, st: statusModel{d.Statuses()}, cb: cb, echo: cb.ReferenceEcho() != dialect.EchoNone,
		seed: maphash.MakeSeed(), lat: NewLatencyHistogram(), others: map[string]int{}}
	r.ackStatus, r.ackHeader = cb.Ack()
	r.SetSecret(opts.Secret)
	r.signed = map[string]bool{}
	for _, k := range cb.Kinds() {
		r.kinds = append(r.kinds, validate.Kind(k.Name))
		r.signed[k.Name] = k.Signed
	}
	if vf, ok := d.(dialect.Verifier); ok {
		r.verifier = vf
	}
	remember := 0
	if opts.Settle > 0 {
		remember = (opts.Remember + numShards - 1) / numShards
	}
	for i := range r.shards {
		s := &r.shards[i]
		s.msgs, s.other, s.findings = map[string]*msg{}, map[string]int{}, map[string]int{}
		s.settled = newSettledTable(remember)
	}
	return r
}

func (r *Receiver) shard(id string) *shard { return &r.shards[fnv32(id)%numShards] }

// now is the receiver's clock in unix nanoseconds.
func (r *Receiver) now() int64 { return r.opts.Now().UnixNano() }

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
	r.ExpectTo(id, reference, "", sentAt)
}

// ExpectTo is Expect with the recipient the message was sent to: a status
// callback that names another recipient is a finding.
func (r *Receiver) ExpectTo(id, reference, to string, sentAt time.Time) {
	s := r.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.msgs[id]
	if m == nil {
		m = newMsg()
		s.msgs[id] = m
	}
	was := m.expected
	if !was {
		r.adopt(s, m)
	}
	m.expected, m.ref, m.to, m.sentAt = true, reference, to, sentAt.UnixNano()
	for i := range m.recs {
		if !r.echo {
			break
		}
		got := m.dlrRef
		if x := m.recs[i].x; x != nil && x.refSet {
			got = x.ref
		}
		if reference != "" && got != reference {
			f := mismatch(r.statusKind(), id, reference, got)
			m.recs[i].addFinding(f)
			s.findings[f.Code]++
		}
	}
	now := r.now()
	if !was && m.firstTerm != 0 {
		r.finalized(s, id, m, now)
	}
	m.wake()
	r.sweep(s, now, 4)
}

// adopt turns the DLRs an id got before it was expected from unknown into
// the message's, and frees what they held of the unknown bounds.
func (r *Receiver) adopt(s *shard, m *msg) {
	s.expected++
	s.pendingDLRs -= int(m.dlrs)
	s.pendingKept -= len(m.recs)
	s.dropped += int(m.dlrs) - len(m.recs)
	r.unknownKept.Add(-int64(len(m.recs)))
	if m.pending {
		m.pending = false
		r.pending.Add(-1)
	}
}

// finalized accounts an expected message's first final status: its
// latency, and its settling. Callers hold s.mu.
func (r *Receiver) finalized(s *shard, id string, m *msg, now int64) {
	s.terminal++
	r.latMu.Lock()
	r.lat.Record(time.Duration(m.firstTerm - m.sentAt))
	r.latMu.Unlock()
	if r.opts.Settle > 0 {
		s.queue.push(settleItem{id: id, at: now, final: true})
	}
}

// SetSecret sets the secret signatures are verified with, once the
// harness knows it (a webhook registration's answer).
func (r *Receiver) SetSecret(secret string) { r.secret.Store(&secret) }

// Verifies reports whether the signatures of callbacks of kind are
// verified: the vendor signs that kind and the receiver has a secret.
func (r *Receiver) Verifies(kind string) bool {
	return r.verifier != nil && r.signed[kind] && *r.secret.Load() != ""
}

// VerifiesAny reports whether the signatures of some kind of callback are
// verified.
func (r *Receiver) VerifiesAny() bool {
	for k := range r.signed {
		if r.Verifies(k) {
			return true
		}
	}
	return false
}

// statusKind is the first callback kind that carries status events.
func (r *Receiver) statusKind() validate.Kind {
	for _, k := range r.cb.Kinds() {
		for _, t := range k.Carries {
			if t == dialect.EventStatus {
				return validate.Kind(k.Name)
			}
		}
	}
	return ""
}

func mismatch(kind validate.Kind, id, want, got string) validate.Finding {
	return validate.Finding{Code: CodeReferenceMismatch, Operation: kind.Operation(), Where: "reference",
		Message: fmt.Sprintf("expected reference %q (sent with message %s), got %q", want, id, got)}
}

func (x *rec) addFinding(f validate.Finding) {
	if x.x == nil {
		x.x = &extra{}
	}
	x.x.findings = append(x.x.findings, f)
}

// Events returns the DLRs kept for id, in arrival order: the first
// Options.MaxPerMessage (NotKeptFor counts the rest). With Settle, a
// settled message has none.
func (r *Receiver) Events(id string) []Event {
	s := r.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.msgs[id]; m != nil {
		return m.events(id, r.st, r.kinds)
	}
	return nil
}

// NotKeptFor returns how many DLRs for id were counted but not kept.
func (r *Receiver) NotKeptFor(id string) int {
	s := r.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.msgs[id]; m != nil {
		return int(m.dlrs) - len(m.recs)
	}
	return 0
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
		evs := m.events(id, r.st, r.kinds)
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

// Replies returns the MO callbacks kept (the first Options.MaxReplies), in
// arrival order.
func (r *Receiver) Replies() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.replies...)
}

// WaitReply returns the first MO callback (in arrival order, including
// those already received) for which cond holds, waiting for new ones until
// ctx ends. Only kept replies are seen.
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

// Unknown returns the kept callbacks whose message id is not expected now
// (or that carry no usable id), in arrival order: at most
// Options.MaxUnknown; NotKept().Unknown counts the others.
func (r *Receiver) Unknown() []Event {
	var out []Event
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		if s.pendingKept > 0 {
			for id, m := range s.msgs {
				if !m.expected && len(m.recs) > 0 {
					out = append(out, m.events(id, r.st, r.kinds)...)
				}
			}
		}
		s.mu.Unlock()
	}
	r.mu.Lock()
	out = append(out, r.unknown...)
	r.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}
