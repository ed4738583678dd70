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

	"github.com/wabcheck/wabcheck/internal/dlr"
	"github.com/wabcheck/wabcheck/internal/redact"
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
	defer bufPool.Put(buf)
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

// fields are the parts of a callback body the receiver correlates on.
type fields struct {
	ID        string          `json:"id"`
	Reference string          `json:"reference"`
	Status    *string         `json:"status"`
	Content   json.RawMessage `json:"content"`
}

// Ingest records one callback posted to path; the Handler calls it, and
// tests or in-process senders may call it directly. body is not retained
// unless Options.KeepBodies is set (then it is copied).
func (r *Receiver) Ingest(path string, h http.Header, body []byte) {
	kind := kindOfPath(path)
	var f fields
	var findings []validate.Finding
	if r.sample() {
		if kind == "" {
			kind = classify(body)
		}
		if kind != "" {
			var val any
			val, findings = r.v.CallbackValue(kind, h, body)
			f = fieldsOf(val)
			r.validated.Add(1)
		}
	} else if err := json.Unmarshal(body, &f); err == nil && kind == "" {
		kind = kindOfFields(&f)
	}
	e := Event{Kind: kind, At: r.opts.Now(), MessageID: f.ID, Reference: f.Reference, Path: path, Findings: findings}
	if f.Status != nil {
		e.Status = *f.Status
	}
	if !r.opts.Lean {
		e.Header = redact.Header(h)
	}
	if r.opts.KeepBodies {
		e.Body = bytes.Clone(body)
	}
	switch {
	case kind == validate.KindReply:
		r.addReply(e)
	case kind == "":
		e.Kind = validate.KindStatus
		e.Findings = append(e.Findings, validate.Finding{Code: CodeUnclassified, Where: "body", Path: path,
			Message: `expected a DLR (a "status" field, or a path ending in /status) or an MO (a "content" field, or a path ending in /reply), got neither`})
		r.addOrphan(e)
	case e.MessageID == "":
		r.addOrphan(e)
	default:
		r.addDLR(e)
	}
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

func (r *Receiver) addReply(e Event) {
	r.mu.Lock()
	r.replies = append(r.replies, e)
	r.wakeLocked()
	r.mu.Unlock()
	r.countFindings(e.Findings)
}

func (r *Receiver) addOrphan(e Event) {
	e.Unknown = true
	r.mu.Lock()
	r.orphans = append(r.orphans, e)
	r.mu.Unlock()
	r.countFindings(e.Findings)
}

// countFindings counts findings of callbacks kept outside the shards
// (replies, orphans) in shard 0.
func (r *Receiver) countFindings(fs []validate.Finding) {
	if len(fs) == 0 {
		return
	}
	s := &r.shards[0]
	s.mu.Lock()
	for _, f := range fs {
		s.findings[f.Code]++
	}
	s.mu.Unlock()
}

func (r *Receiver) wakeLocked() {
	if r.notify != nil {
		close(r.notify)
		r.notify = nil
	}
}

// addDLR records a DLR for its message: duplicate, illegal transition and
// reference checks, counters, first terminal time, waking waiters.
func (r *Receiver) addDLR(e Event) {
	idx := statusIndex(e.Status)
	s := r.shard(e.MessageID)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.msgs[e.MessageID]
	if m == nil {
		m = newMsg()
		s.msgs[e.MessageID] = m
	}
	if len(m.recs) == 0 && m.dlrRef == "" {
		m.dlrRef = e.Reference
	}
	rc := rec{at: e.At.UnixNano(), status: idx}
	if idx != noStatus {
		r.transition(s, m, &rc, &e)
	} else {
		s.other[e.Status]++
	}
	if m.expected && m.ref != "" && e.Reference != m.ref {
		e.Findings = append(e.Findings, mismatch(e.MessageID, m.ref, e.Reference))
	}
	for _, f := range e.Findings {
		s.findings[f.Code]++
	}
	if e.Reference != m.dlrRef || idx == noStatus || len(e.Findings) > 0 || e.Header != nil || e.Body != nil {
		rc.x = &extra{ref: e.Reference, refSet: e.Reference != m.dlrRef, rawStatus: e.Status, path: e.Path,
			header: e.Header, body: e.Body, findings: e.Findings}
	}
	m.recs = append(m.recs, rc)
	s.dlrs++
	m.wake()
}

// transition applies dlr rules to a DLR with a known status.
func (r *Receiver) transition(s *shard, m *msg, rc *rec, e *Event) {
	st := dlr.All[rc.status]
	s.byStatus[rc.status]++
	bit := uint16(1) << rc.status
	switch {
	case m.seen&bit != 0:
		rc.flags |= flagDuplicate
		s.dups++
	case m.last != noStatus && !dlr.Legal(dlr.All[m.last], st):
		rc.flags |= flagIllegal
		s.illegal++
		e.Findings = append(e.Findings, validate.Finding{Code: CodeIllegalTransition, Operation: validate.KindStatus.Operation(),
			Where: "body", Pointer: "/status",
			Message: fmt.Sprintf("expected a status that may follow %q for message %s, got %q", statusOf(m.last), e.MessageID, st)})
	default:
		m.last = rc.status
	}
	m.seen |= bit
	if dlr.IsTerminal(st) && m.firstTerm == 0 {
		m.firstTerm = rc.at
	}
}
