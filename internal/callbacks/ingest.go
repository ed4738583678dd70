package callbacks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Handler serves the callbacks of the dialect's kinds (Modica: POST
// …/status DLRs and …/reply MOs; YCloud: signed events; the on-premises
// client: batches). Every callback is recorded, then answered as the
// dialect's callback model says (Ack).
func (r *Receiver) Handler() http.Handler { return http.HandlerFunc(r.serve) }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "callbacks are POSTed", http.StatusMethodNotAllowed)
		return
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer putBuf(buf)
	n, err := buf.ReadFrom(io.LimitReader(req.Body, r.opts.MaxBody+1))
	if err != nil {
		http.Error(w, "reading the callback body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if n > r.opts.MaxBody {
		http.Error(w, fmt.Sprintf("callback body over %d bytes", r.opts.MaxBody), http.StatusRequestEntityTooLarge)
		return
	}
	r.Ingest(req.URL.Path, req.Header, buf.Bytes())
	for k, v := range r.ackHeader {
		w.Header()[k] = v
	}
	w.WriteHeader(r.ackStatus)
}

// putBuf returns buf to the pool unless a large body grew it: the pool
// would otherwise hold up to MaxBody per idle buffer.
func putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		bufPool.Put(buf)
	}
}

// arrival is one callback as posted, before the receiver decides what of
// it to keep.
type arrival struct {
	path string
	h    http.Header
	body []byte
}

// Ingest records one callback posted to path; the Handler calls it, and
// tests or in-process senders may call it directly. It verifies the
// signature (when the dialect signs and a secret is set), classifies the
// callback, validates it (when sampled) and records each event it carries.
// Nothing of h or body is retained: what is kept is copied, within the
// Options bounds.
func (r *Receiver) Ingest(path string, h http.Header, body []byte) {
	at := r.opts.Now()
	a := &arrival{path: path, h: h, body: body}
	kind := r.cb.Classify(path, h, body)
	sig := r.verify(kind, h, body, at)
	if kind == "" {
		r.addOrphan(Event{At: at, Findings: append(sig, r.unclassified(path))}, a)
		return
	}
	var val any
	var findings []validate.Finding
	if r.sample() {
		val, findings = r.v.CallbackValue(validate.Kind(kind), h, body)
		r.validated.Add(1)
	}
	findings = append(sig, findings...)
	events, err := r.cb.Events(kind, body, val)
	if err != nil || len(events) == 0 {
		if len(findings) == 0 {
			findings = append(findings, unreadable(kind, err))
		}
		r.addOrphan(Event{Kind: validate.Kind(kind), At: at, Findings: findings}, a)
		return
	}
	r.recordEvents(kind, at, events, attribute(events, findings), a)
}

// recordEvents files each event of one callback.
func (r *Receiver) recordEvents(kind string, at time.Time, events []dialect.Event, findings [][]validate.Finding, a *arrival) {
	r.countBatch(len(events))
	for i, ev := range events {
		e := Event{Kind: validate.Kind(kind), Type: ev.Type, At: at, MessageID: ev.MessageID, Reference: ev.Reference,
			Status: ev.Status, Recipient: ev.Recipient, EventID: clip(ev.EventID, maxIDLen), VendorTime: ev.Time,
			InboundType: ev.InboundType, From: ev.From, Errors: clipAll(ev.Errors), Findings: findings[i], pointer: ev.Pointer,
			Batch: len(events)}
		switch {
		case ev.Type == dialect.EventInbound:
			r.addReply(e, a)
		case ev.Type != dialect.EventStatus:
			r.addOther(e, a)
		case e.MessageID == "" || len(e.MessageID) > maxIDLen:
			r.addOrphan(e, a)
		default:
			r.addDLR(e, a)
		}
	}
}

// countBatch counts a POST that carried n events.
func (r *Receiver) countBatch(n int) {
	r.posts.Add(1)
	if n < 2 {
		return
	}
	r.batched.Add(1)
	for {
		m := r.maxBatch.Load()
		if int64(n) <= m || r.maxBatch.CompareAndSwap(m, int64(n)) {
			return
		}
	}
}

// attribute hands each finding of a callback to the event it concerns:
// the one whose item holds the finding's pointer; a finding about the
// whole POST (its signature, its Content-Type: no pointer) concerns every
// event it carries; any other goes to the first event.
func attribute(events []dialect.Event, fs []validate.Finding) [][]validate.Finding {
	out := make([][]validate.Finding, len(events))
	for _, f := range fs {
		if f.Pointer == "" && len(events) > 1 {
			for i := range out {
				out[i] = append(out[i], f)
			}
			continue
		}
		to := 0
		for i, ev := range events {
			if ev.Pointer != "" && (f.Pointer == ev.Pointer || strings.HasPrefix(f.Pointer, ev.Pointer+"/")) {
				to = i
				break
			}
		}
		out[to] = append(out[to], f)
	}
	return out
}

// verify checks the signature of a callback of a signed kind when the
// receiver has the secret; a bad one is a finding, and the callback is
// still recorded. Callbacks of no known kind are not verified (they are a
// finding already).
func (r *Receiver) verify(kind string, h http.Header, body []byte, at time.Time) []validate.Finding {
	secret := *r.secret.Load()
	if r.verifier == nil || secret == "" || !r.signed[kind] {
		return nil
	}
	err := r.verifier.Verify(h, body, secret, at)
	if err == nil {
		return nil
	}
	code := dialect.CodeSignatureInvalid
	var se *dialect.SignatureError
	if errors.As(err, &se) {
		code = se.Code
	}
	r.signatureFailures.Add(1)
	return []validate.Finding{{Code: code, Operation: operation(kind), Method: http.MethodPost,
		Where: "header " + r.verifier.SignatureHeader(), Message: redact.String(err.Error())}}
}

// unclassified is the finding of a callback of no kind the dialect knows.
func (r *Receiver) unclassified(path string) validate.Finding {
	var kinds []string
	for _, k := range r.cb.Kinds() {
		kinds = append(kinds, k.Name)
	}
	return validate.Finding{Code: CodeUnclassified, Where: "body", Path: clip(path, maxFieldLen),
		Message: fmt.Sprintf("expected a callback of a kind the vendor sends (%s), got one the dialect cannot classify", strings.Join(kinds, ", "))}
}

// unreadable is the finding of a callback of a known kind that yields no
// event.
func unreadable(kind string, err error) validate.Finding {
	msg := "expected at least one event, got none"
	if err != nil {
		msg = "expected a readable callback, got: " + redact.String(err.Error())
	}
	return validate.Finding{Code: CodeUnreadable, Operation: operation(kind), Where: "body", Message: clip(msg, 512)}
}

// operation is the Finding.Operation of a callback kind.
func operation(kind string) string {
	if kind == "" {
		return ""
	}
	return validate.Kind(kind).Operation()
}

func clipAll(ss []string) []string {
	if len(ss) > maxKeptFindings {
		ss = ss[:maxKeptFindings]
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clip(s, maxFieldLen)
	}
	return out
}

// reserve takes one of limit slots counted by n; false when none is left.
func reserve(n *atomic.Int64, limit int) bool {
	for {
		c := n.Load()
		if c >= int64(limit) {
			return false
		}
		if n.CompareAndSwap(c, c+1) {
			return true
		}
	}
}

func (r *Receiver) addReply(e Event, a *arrival) {
	r.countFindings(e.Findings)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.repliesTotal++
	if len(r.replies) >= r.opts.MaxReplies {
		return
	}
	r.capture(&e, a)
	r.replies = append(r.replies, e)
	r.wakeLocked()
}

// addOther counts an event the harness does not check (vendor errors,
// event types beyond status and inbound) by type, and its findings.
func (r *Receiver) addOther(e Event, _ *arrival) {
	r.countFindings(e.Findings)
	r.mu.Lock()
	if _, ok := r.others[e.Type]; ok || len(r.others) < maxOtherStatuses {
		r.others[clip(e.Type, maxFieldLen)]++
	}
	r.mu.Unlock()
}

// addOrphan records a callback without a usable message id: counted
// always, kept within MaxUnknown.
func (r *Receiver) addOrphan(e Event, a *arrival) {
	r.countFindings(e.Findings)
	e.Unknown = true
	keep := reserve(&r.unknownKept, r.opts.MaxUnknown)
	if keep {
		r.capture(&e, a)
	}
	r.mu.Lock()
	r.orphans++
	if keep {
		r.unknown = append(r.unknown, e)
	}
	r.mu.Unlock()
}

// countFindings counts findings of callbacks kept outside the shards
// (replies, orphans) in shard 0.
func (r *Receiver) countFindings(fs []validate.Finding) {
	if len(fs) == 0 {
		return
	}
	s := &r.shards[0]
	s.mu.Lock()
	countFindings(s, fs)
	s.mu.Unlock()
}

func (r *Receiver) wakeLocked() {
	if r.notify != nil {
		close(r.notify)
		r.notify = nil
	}
}

// addDLR records a DLR for its message: a settled message's late DLR, an
// expected or pending message's DLR, or an untracked unknown one.
func (r *Receiver) addDLR(e Event, a *arrival) {
	idx := r.st.index(e.Status)
	s := r.shard(e.MessageID)
	now := e.At.UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	defer r.sweep(s, now, 4)
	m := s.msgs[e.MessageID]
	if m == nil && r.opts.Settle > 0 {
		if x := s.settled.find(r.hash64(e.MessageID)); x != nil {
			r.late(s, x, &e, idx)
			return
		}
	}
	if m == nil {
		if m = r.track(s, e.MessageID, now); m == nil {
			r.untracked(s, &e, idx)
			return
		}
	}
	r.record(s, m, &e, idx, a, now)
}

// track adds a msg for an id not expected (yet), within MaxPending.
func (r *Receiver) track(s *shard, id string, now int64) *msg {
	if !reserve(&r.pending, r.opts.MaxPending) {
		return nil
	}
	m := newMsg()
	m.pending = true
	s.msgs[id] = m
	if r.opts.Settle > 0 {
		s.queue.push(settleItem{id: id, at: now})
	}
	return m
}

// untracked counts a DLR for an unexpected id beyond MaxPending.
func (r *Receiver) untracked(s *shard, e *Event, idx uint8) {
	s.untracked++
	s.dlrs++
	if idx == noStatus {
		s.countOther(e.Status)
	} else {
		s.byStatus[idx]++
	}
	countFindings(s, e.Findings)
}

// record applies a DLR to its message: duplicate, illegal transition and
// reference checks, counters, first final time, waking waiters; it keeps
// the DLR within MaxPerMessage (and MaxUnknown while the id is not
// expected). Callers hold s.mu.
func (r *Receiver) record(s *shard, m *msg, e *Event, idx uint8, a *arrival, now int64) {
	if m.dlrs == 0 && m.dlrRef == "" {
		m.dlrRef = clip(e.Reference, maxFieldLen)
	}
	rc := rec{at: now, status: idx, kind: r.kindIndex(e.Kind), batch: uint16(min(e.Batch, 1<<16-1))}
	final := m.firstTerm
	if idx != noStatus {
		r.transition(s, m, &rc, e)
	} else {
		s.countOther(e.Status)
	}
	if r.echo && m.expected && m.ref != "" && e.Reference != m.ref {
		e.Findings = append(e.Findings, mismatch(e.Kind, e.MessageID, m.ref, clip(e.Reference, maxFieldLen)))
	}
	if m.expected && m.to != "" && e.Recipient != "" && !sameNumber(e.Recipient, m.to) {
		e.Findings = append(e.Findings, validate.Finding{Code: CodeRecipientMismatch, Operation: e.Kind.Operation(), Where: "recipient",
			Message: fmt.Sprintf("expected recipient %s (message %s was sent to it), got %q", m.to, e.MessageID, clip(e.Recipient, maxFieldLen))})
	}
	countFindings(s, e.Findings)
	m.dlrs++
	s.dlrs++
	if !m.expected {
		s.pendingDLRs++
	}
	r.keepDLR(s, m, &rc, e, a)
	m.wake()
	if final == 0 && m.firstTerm != 0 && m.expected {
		r.finalized(s, e.MessageID, m, now)
	}
}

// keepDLR appends rc to m's records if the bounds allow, with an extra
// when something beyond the status needs keeping.
func (r *Receiver) keepDLR(s *shard, m *msg, rc *rec, e *Event, a *arrival) {
	if len(m.recs) >= r.opts.MaxPerMessage || (!m.expected && !reserve(&r.unknownKept, r.opts.MaxUnknown)) {
		if m.expected {
			s.dropped++
		}
		return
	}
	ref := clip(e.Reference, maxFieldLen)
	if ref != m.dlrRef || rc.status == noStatus || len(e.Findings) > 0 || len(e.Errors) > 0 || !r.opts.Lean || r.opts.KeepBodies {
		r.capture(e, a)
		rc.x = &extra{ref: ref, refSet: ref != m.dlrRef, rawStatus: e.Status, path: e.Path,
			header: e.Header, body: e.Body, findings: e.Findings, errors: e.Errors, cut: e.Cut}
	}
	m.recs = append(m.recs, *rc)
	if !m.expected {
		s.pendingKept++
	}
}

// transition applies the status model to a DLR with a known status.
//
// A vendor that promises order (Modica) may not repeat or reverse a
// status: a repeat is flagged Duplicate, a reversal Illegal with a
// dlr-illegal-transition finding. A vendor that does not (YCloud, Meta)
// repeats and reorders lawfully: both are flagged and counted, never a
// finding, and the message's status is the highest-ranked one seen.
func (r *Receiver) transition(s *shard, m *msg, rc *rec, e *Event) {
	s.byStatus[rc.status]++
	bit := uint16(1) << rc.status
	switch {
	case m.seen&bit != 0:
		rc.flags |= flagDuplicate
		s.dups++
	case m.last == noStatus:
		m.last = rc.status
	case !r.st.ordered():
		if r.st.behind(m.last, rc.status) {
			rc.flags |= flagDisorder
			s.disorder++
		} else {
			m.last = rc.status
		}
	case !r.st.legal(m.last, rc.status):
		rc.flags |= flagIllegal
		s.illegal++
		e.Findings = append(e.Findings, validate.Finding{Code: CodeIllegalTransition, Operation: e.Kind.Operation(),
			Where: "status", Pointer: e.pointer,
			Message: fmt.Sprintf("expected a status that may follow %q for message %s, got %q", r.st.name(m.last), e.MessageID, r.st.name(rc.status))})
	default:
		m.last = rc.status
	}
	m.seen |= bit
	if r.st.final(rc.status) && m.firstTerm == 0 {
		m.firstTerm = rc.at
	}
}

// sameNumber compares phone numbers with or without their leading "+".
func sameNumber(a, b string) bool {
	return strings.TrimPrefix(a, "+") == strings.TrimPrefix(b, "+")
}

// kindIndex is the index of a callback kind in the model's Kinds.
func (r *Receiver) kindIndex(k validate.Kind) uint8 {
	for i, x := range r.kinds {
		if x == k {
			return uint8(i)
		}
	}
	return 0
}
