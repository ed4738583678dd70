package callbacks

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// retained returns the heap bytes still reachable after build ran and its
// result is kept alive: live heap after a GC, minus live heap before.
func retained(t *testing.T, build func() any) int64 {
	t.Helper()
	validator(t) // built once, outside the measurement
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	keep := build()
	runtime.GC()
	runtime.GC() // the second cycle empties sync.Pools
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

const mib = 1 << 20

// TestReceiverBoundsUnknownCallbacks is issue 13 item 2: 125,000 small
// callbacks for unknown ids took conform to 572 MB. All are counted, the
// first MaxUnknown kept, and the receiver's heap stays bounded.
func TestReceiverBoundsUnknownCallbacks(t *testing.T) {
	const n = 125_000
	var r *Receiver
	heap := retained(t, func() any {
		r, _ = newTestReceiver(t, Options{KeepBodies: true}) // conform's options
		h := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"flood/1.0"}}
		for i := range n {
			r.Ingest("/cb/status", h, dlrBody(uuid(1_000_000+i), "ref-flood", "sent"))
		}
		return r
	})
	t.Logf("retained %d KiB", heap>>10)
	if heap > 16*mib {
		t.Errorf("receiver retains %d MiB after %d unknown callbacks, want at most 16", heap/mib, n)
	}
	s := r.Summary()
	kept := r.Unknown()
	if s.Unknown != n || len(kept) != DefaultMaxUnknown || s.NotKept.Unknown != n-DefaultMaxUnknown {
		t.Errorf("unknown %d, kept %d, not kept %d; want %d, %d, %d", s.Unknown, len(kept), s.NotKept.Unknown, n, DefaultMaxUnknown, n-DefaultMaxUnknown)
	}
	if s.DLRTotal != n || s.DLRs["sent"] != n || s.Untracked != n-DefaultMaxPending {
		t.Errorf("dlrs %d (sent %d), untracked %d; want %d, %d, %d", s.DLRTotal, s.DLRs["sent"], s.Untracked, n, n, n-DefaultMaxPending)
	}
	if kept[0].MessageID != uuid(1_000_000) || !kept[0].Unknown || kept[0].Header.Get("User-Agent") != "flood/1.0" {
		t.Errorf("first kept unknown callback: %+v", kept[0])
	}
}

// TestReceiverBoundsGarbageBodies is issue 13 item 2: 1 MiB garbage bodies
// for 3 s took conform from 43 MB to 1.32 GB. Each is counted and answered;
// the kept ones keep 4 KiB of body.
func TestReceiverBoundsGarbageBodies(t *testing.T) {
	const n = 300
	garbage := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, (mib-1)/4)
	var r *Receiver
	heap := retained(t, func() any {
		r, _ = newTestReceiver(t, Options{KeepBodies: true})
		h := r.Handler()
		for range n {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cb/", bytes.NewReader(garbage)))
			if rec.Code != http.StatusOK {
				t.Fatalf("garbage body answered %d", rec.Code)
			}
		}
		return r
	})
	t.Logf("retained %d KiB", heap>>10)
	if heap > 8*mib {
		t.Errorf("receiver retains %d MiB after %d garbage bodies of 1 MiB, want at most 8", heap/mib, n)
	}
	kept := r.Unknown()
	if len(kept) != n || r.Summary().Unknown != n {
		t.Fatalf("kept %d of %d unknown, want all %d (under MaxUnknown)", len(kept), r.Summary().Unknown, n)
	}
	if e := kept[0]; len(e.Body) != DefaultMaxKeptBody || e.Cut.BodyBytes != len(garbage)-DefaultMaxKeptBody || findingCodes(e) != CodeUnclassified {
		t.Errorf("kept body %d bytes, cut %d, findings %s; want %d, %d, %s", len(e.Body), e.Cut.BodyBytes, findingCodes(e),
			DefaultMaxKeptBody, len(garbage)-DefaultMaxKeptBody, CodeUnclassified)
	}
}

// TestReceiverCapsCallbackBodies is issue 13 item 2: bodies of correlated
// callbacks are capped like the unknown ones.
func TestReceiverCapsCallbackBodies(t *testing.T) {
	r, _ := newTestReceiver(t, Options{KeepBodies: true, MaxKeptBody: 100})
	id := uuid(20)
	r.Expect(id, "ref", t0)
	body := fmt.Appendf(nil, `{"id":%q,"reference":"ref","status":"sent","padding":%q}`, id, strings.Repeat("p", 64<<10))
	r.Ingest("/status", jsonHeader, body)
	evs := r.Events(id)
	if len(evs) != 1 || len(evs[0].Body) != 100 || evs[0].Cut.BodyBytes != len(body)-100 || string(evs[0].Body) != string(body[:100]) {
		t.Fatalf("expected the first 100 bytes kept and %d cut, got %d bytes, cut %d", len(body)-100, len(evs[0].Body), evs[0].Cut.BodyBytes)
	}
	if evs[0].Status != "sent" || evs[0].Unknown {
		t.Errorf("the capped DLR is still correlated: %+v", evs[0])
	}
}

// TestReceiverBoundsRecordsPerMessage is issue 13 item 2 for one expected
// id: a sender may post millions of DLRs for one message. The first
// MaxPerMessage are kept; every one is counted and checked.
func TestReceiverBoundsRecordsPerMessage(t *testing.T) {
	const n = 200_000
	id := uuid(21)
	var r *Receiver
	heap := retained(t, func() any {
		r = NewReceiver(nil, modica.New(), Options{Now: (&clock{}).now})
		r.Expect(id, "ref", t0)
		h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Basic c2VjcmV0"}}
		body := dlrBody(id, "ref", "sent")
		for range n {
			r.Ingest("/status", h, body)
		}
		r.Ingest("/status", h, dlrBody(id, "ref", "accepted")) // illegal after sent, beyond the kept ones
		return r
	})
	t.Logf("retained %d KiB", heap>>10)
	if heap > 4*mib {
		t.Errorf("receiver retains %d KiB after %d DLRs for one id, want at most 4 MiB", heap>>10, n)
	}
	if got := len(r.Events(id)); got != DefaultMaxPerMessage {
		t.Errorf("kept %d events, want %d", got, DefaultMaxPerMessage)
	}
	s := r.Summary()
	if nk := r.NotKeptFor(id); nk != n+1-DefaultMaxPerMessage || s.NotKept.DLRs != nk {
		t.Errorf("not kept %d (summary %d), want %d", nk, s.NotKept.DLRs, n+1-DefaultMaxPerMessage)
	}
	if s.Duplicates != n-1 || s.Illegal != 1 || s.DLRTotal != n+1 || s.Findings[CodeIllegalTransition] != 1 || s.Unknown != 0 {
		t.Errorf("accounting beyond the kept DLRs: %+v", s)
	}
}

// TestReceiverBoundsReplies: MO callbacks are counted, the first
// MaxReplies kept.
func TestReceiverBoundsReplies(t *testing.T) {
	r, _ := newTestReceiver(t, Options{MaxReplies: 10})
	for range 25 {
		r.Ingest("/reply", jsonHeader, []byte(moBody))
	}
	s := r.Summary()
	if len(r.Replies()) != 10 || s.Replies != 25 || s.NotKept.Replies != 15 {
		t.Errorf("replies kept %d, counted %d, not kept %d; want 10, 25, 15", len(r.Replies()), s.Replies, s.NotKept.Replies)
	}
}

// TestReceiverCapsHeadersAndFields: a header of 100 KB, an id of 100 KB
// and a status of 100 KB are not kept whole.
func TestReceiverCapsHeadersAndFields(t *testing.T) {
	r, _ := newTestReceiver(t, Options{})
	big := strings.Repeat("h", 100_000)
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer abcdefghijklmnop"}, "X-Big": {big}}
	r.Ingest("/status", h, fmt.Appendf(nil, `{"id":%q,"reference":"r","status":"sent"}`, big))
	id := uuid(22)
	r.Expect(id, "r", t0)
	r.Ingest("/status", h, fmt.Appendf(nil, `{"id":%q,"reference":"r","status":%q}`, id, big))
	unknown := r.Unknown()
	if len(unknown) != 1 || len(unknown[0].MessageID) > maxIDLen+len("…") || unknown[0].Header.Get("Authorization") != "Bearer REDACTED" {
		t.Fatalf("expected one unknown callback with a cut id and a redacted header, got %d: %.300v", len(unknown), unknown)
	}
	for _, e := range append(unknown, r.Events(id)...) {
		size := 0
		for k, vs := range e.Header {
			for _, v := range vs {
				size += len(k) + len(v)
			}
		}
		if size > DefaultMaxKeptHeader || e.Cut.HeaderBytes < 100_000 || e.Header.Get("Content-Type") != "application/json" {
			t.Errorf("kept %d header bytes (cut %d), want at most %d with Content-Type", size, e.Cut.HeaderBytes, DefaultMaxKeptHeader)
		}
	}
	if evs := r.Events(id); len(evs) != 1 || len(evs[0].Status) > maxFieldLen+len("…") {
		t.Errorf("expected the odd status cut to %d bytes, got %d", maxFieldLen, len(evs[0].Status))
	}
}

// TestReceiverBoundsOtherStatuses: a sender inventing statuses cannot grow
// the by-status counts without bound.
func TestReceiverBoundsOtherStatuses(t *testing.T) {
	r := NewReceiver(nil, modica.New(), Options{Now: (&clock{}).now})
	id := uuid(23)
	r.Expect(id, "", t0)
	for i := range 5000 {
		r.Ingest("/status", jsonHeader, dlrBody(id, "", fmt.Sprintf("made-up-%d", i)))
	}
	s := r.Summary()
	total := 0
	for _, n := range s.DLRs {
		total += n
	}
	if total != 5000 || len(s.DLRs) > maxOtherStatuses+1 || s.DLRs[otherStatuses] != 5000-maxOtherStatuses {
		t.Errorf("%d distinct statuses counted for %d DLRs (other %d), want at most %d", len(s.DLRs), total, s.DLRs[otherStatuses], maxOtherStatuses+1)
	}
}

// TestReceiverEarlyDLRBeyondPendingIsUnknown: once MaxPending ids wait to
// be expected, DLRs for further ids are counted unknown at once (and stay
// so when their id is expected later); tracked ones are still correlated.
func TestReceiverEarlyDLRBeyondPendingIsUnknown(t *testing.T) {
	r, _ := newTestReceiver(t, Options{MaxPending: 2})
	for i := range 3 {
		r.Ingest("/status", jsonHeader, dlrBody(uuid(30+i), "", "received"))
	}
	for i := range 3 {
		r.Expect(uuid(30+i), "", t0)
	}
	s := r.Summary()
	if s.Terminal != 2 || s.NoTerminal != 1 || s.Unknown != 1 || s.Untracked != 1 {
		t.Errorf("terminal %d, no terminal %d, unknown %d, untracked %d; want 2, 1, 1, 1", s.Terminal, s.NoTerminal, s.Unknown, s.Untracked)
	}
}

// TestOptionsValidate names the bad field.
func TestOptionsValidate(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{{Options{Settle: -1}, "Settle"}, {Options{Remember: maxRemember + 1}, "Remember"}, {Options{MaxBody: -1}, "MaxBody"}} {
		if err := c.o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: expected an error naming %s, got %v", c.o, c.want, err)
		}
	}
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("zero Options: %v", err)
	}
}
