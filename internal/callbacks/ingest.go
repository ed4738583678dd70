package callbacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// Handler serves the callbacks: POST {prefix}/status is a DLR, POST
// {prefix}/reply an MO; any other POST path is classified by its body
// ("status" → DLR, "content" → MO). Every callback is answered 200 with an
// empty body and X-RateLimit-Limit, once it is recorded.
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
	w.Header()["X-Ratelimit-Limit"] = r.rateLimit
	w.WriteHeader(http.StatusOK)
}

// putBuf returns buf to the pool unless a large body grew it: the pool
// would otherwise hold up to MaxBody per idle buffer.
func putBuf(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		bufPool.Put(buf)
	}
}

// fields are the parts of a callback body the receiver correlates on.
type fields struct {
	ID        string          `json:"id"`
	Reference string          `json:"reference"`
	Status    *string         `json:"status"`
	Content   json.RawMessage `json:"content"`
}

// arrival is one callback as posted, before the receiver decides what of
// it to keep.
type arrival struct {
	path string
	h    http.Header
	body []byte
}

// Ingest records one callback posted to path; the Handler calls it, and
// tests or in-process senders may call it directly. Nothing of h or body
// is retained: what is kept is copied, within the Options bounds.
func (r *Receiver) Ingest(path string, h http.Header, body []byte) {
	kind, f, findings := r.parse(path, h, body)
	e := Event{Kind: kind, At: r.opts.Now(), MessageID: f.ID, Reference: f.Reference, Findings: findings}
	if f.Status != nil {
		e.Status = *f.Status
	}
	a := &arrival{path: path, h: h, body: body}
	switch {
	case kind == validate.KindReply:
		r.addReply(e, a)
	case kind == "":
		e.Kind = validate.KindStatus
		e.Findings = append(e.Findings, validate.Finding{Code: CodeUnclassified, Where: "body", Path: clip(path, maxFieldLen),
			Message: `expected a DLR (a "status" field, or a path ending in /status) or an MO (a "content" field, or a path ending in /reply), got neither`})
		r.addOrphan(e, a)
	case e.MessageID == "" || len(e.MessageID) > maxIDLen:
		r.addOrphan(e, a)
	default:
		r.addDLR(e, a)
	}
}

// parse classifies a callback and reads its correlation fields, validating
// it when it is sampled.
func (r *Receiver) parse(path string, h http.Header, body []byte) (validate.Kind, fields, []validate.Finding) {
	kind := kindOfPath(path)
	var f fields
	if r.sample() {
		if kind == "" {
			kind = classify(body)
		}
		if kind == "" {
			return kind, f, nil
		}
		val, findings := r.v.CallbackValue(kind, h, body)
		r.validated.Add(1)
		return kind, fieldsOf(val), findings
	}
	if err := json.Unmarshal(body, &f); err == nil && kind == "" {
		kind = kindOfFields(&f)
	}
	return kind, f, nil
}

func kindOfPath(p string) validate.Kind {
	p = strings.TrimRight(p, "/")
	switch {
	case strings.HasSuffix(p, "/status"):
		return validate.KindStatus
	case strings.HasSuffix(p, "/reply"):
		return validate.KindReply
	}
	return ""
}

func classify(body []byte) validate.Kind {
	var f fields
	if err := json.Unmarshal(body, &f); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return "" // not JSON: unclassifiable
		}
	}
	return kindOfFields(&f)
}

func kindOfFields(f *fields) validate.Kind {
	switch {
	case f.Status != nil:
		return validate.KindStatus
	case len(f.Content) > 0:
		return validate.KindReply
	}
	return ""
}

// fieldsOf picks the correlation fields out of a decoded body.
func fieldsOf(val any) fields {
	var f fields
	m, ok := val.(map[string]any)
	if !ok {
		return f
	}
	f.ID, _ = m["id"].(string)
	f.Reference, _ = m["reference"].(string)
	if s, ok := m["status"].(string); ok {
		f.Status = &s
	}
	return f
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
	rc := rec{at: now, status: idx}
	final := m.firstTerm
	if idx != noStatus {
		r.transition(s, m, &rc, e)
	} else {
		s.countOther(e.Status)
	}
	if m.expected && m.ref != "" && e.Reference != m.ref {
		e.Findings = append(e.Findings, mismatch(e.MessageID, m.ref, clip(e.Reference, maxFieldLen)))
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
	if ref != m.dlrRef || rc.status == noStatus || len(e.Findings) > 0 || !r.opts.Lean || r.opts.KeepBodies {
		r.capture(e, a)
		rc.x = &extra{ref: ref, refSet: ref != m.dlrRef, rawStatus: e.Status, path: e.Path,
			header: e.Header, body: e.Body, findings: e.Findings, cut: e.Cut}
	}
	m.recs = append(m.recs, *rc)
	if !m.expected {
		s.pendingKept++
	}
}

// transition applies the status model to a DLR with a known status.
func (r *Receiver) transition(s *shard, m *msg, rc *rec, e *Event) {
	s.byStatus[rc.status]++
	bit := uint16(1) << rc.status
	switch {
	case m.seen&bit != 0:
		rc.flags |= flagDuplicate
		s.dups++
	case m.last != noStatus && !r.st.legal(m.last, rc.status):
		rc.flags |= flagIllegal
		s.illegal++
		e.Findings = append(e.Findings, validate.Finding{Code: CodeIllegalTransition, Operation: validate.KindStatus.Operation(),
			Where: "body", Pointer: "/status",
			Message: fmt.Sprintf("expected a status that may follow %q for message %s, got %q", r.st.name(m.last), e.MessageID, r.st.name(rc.status))})
	default:
		m.last = rc.status
	}
	m.seen |= bit
	if r.st.final(rc.status) && m.firstTerm == 0 {
		m.firstTerm = rc.at
	}
}
