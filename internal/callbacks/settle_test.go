package callbacks

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// manualClock is a clock tests move by hand.
type manualClock struct{ ns atomic.Int64 }

func (c *manualClock) now() time.Time          { return t0.Add(time.Duration(c.ns.Load())) }
func (c *manualClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func settleReceiver(opts Options) (*Receiver, *manualClock) {
	c := &manualClock{}
	opts.Now, opts.Lean = c.now, true
	if opts.Settle == 0 {
		opts.Settle = time.Second
	}
	return NewReceiver(nil, modica.New(), opts), c
}

// lifecycle sends message i through Expect, sent, received, read, step
// apart.
func lifecycle(r *Receiver, c *manualClock, i int, step time.Duration) {
	id := uuid(i)
	r.Expect(id, "ref", c.now())
	for _, st := range []string{"sent", "received", "read"} {
		c.advance(step)
		r.Ingest("/status", jsonHeader, dlrBody(id, "ref", st))
	}
}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestSettleBoundsRetainedHeap is issue 12 item 1: with Settle, a long run
// keeps memory bounded by messages in flight, not messages sent: the heap
// after 200,000 messages is about that after 20,000.
func TestSettleBoundsRetainedHeap(t *testing.T) {
	r, c := settleReceiver(Options{Settle: time.Second})
	base := liveHeap()
	var at20k int64
	for i := range 200_000 {
		c.advance(100 * time.Microsecond) // 10,000 messages/s: about 10,000 in the settle window
		lifecycle(r, c, i, time.Microsecond)
		if i+1 == 20_000 {
			at20k = liveHeap() - base
		}
	}
	at200k := liveHeap() - base
	runtime.KeepAlive(r)
	t.Logf("heap after 20k messages %d KiB, after 200k %d KiB", at20k>>10, at200k>>10)
	if at200k > at20k+at20k/10+mib {
		t.Errorf("heap grew from %d KiB (20k messages) to %d KiB (200k): not bounded by messages in flight", at20k>>10, at200k>>10)
	}
	s := r.Summary()
	if s.Expected != 200_000 || s.Terminal != 200_000 || s.NoTerminal != 0 || s.Latency.Count != 200_000 || s.Unknown != 0 || s.Duplicates != 0 {
		t.Errorf("accounting after settling: %+v", s)
	}
	// 200,000 settled in a table of DefaultRemember (19 % full): two-choice
	// hashing forgets almost none.
	if s.Settled < 190_000 || s.Forgotten*1000 > s.Settled {
		t.Errorf("settled %d, forgotten %d; want nearly all settled, at most 0.1 %% forgotten", s.Settled, s.Forgotten)
	}
}

// TestLateDLRsAfterSettle is issue 12 item 1: after a message left the
// table, its DLRs are still checked as before, from the settled table.
func TestLateDLRsAfterSettle(t *testing.T) {
	r, c := settleReceiver(Options{})
	id := uuid(40)
	r.Expect(id, "ref", c.now())
	r.Ingest("/status", jsonHeader, dlrBody(id, "ref", "sent"))
	r.Ingest("/status", jsonHeader, dlrBody(id, "ref", "received"))
	c.advance(500 * time.Millisecond)
	r.Ingest("/status", jsonHeader, dlrBody(id, "ref", "received")) // within the window: attributed to the message
	if evs := r.Events(id); flags(evs) != "sent,received,received+dup" {
		t.Fatalf("within the settle window: %s", flags(evs))
	}
	c.advance(time.Second)
	if s := r.Summary(); s.Settled != 1 || len(r.Events(id)) != 0 {
		t.Fatalf("expected the message settled, got settled %d, %d events", s.Settled, len(r.Events(id)))
	}
	for _, st := range []string{"received", "read", "read", "accepted"} {
		r.Ingest("/status", jsonHeader, dlrBody(id, "ref", st))
	}
	r.Ingest("/status", jsonHeader, dlrBody(id, "other-ref", "read"))
	s := r.Summary()
	// received: duplicate; read: legal; read: duplicate; accepted: illegal
	// after read; read with another reference: duplicate and a mismatch.
	if s.Late != 5 || s.Duplicates != 4 || s.Illegal != 1 || s.Unknown != 0 || s.DLRTotal != 8 || s.Terminal != 1 || s.Expected != 1 {
		t.Errorf("late %d dups %d illegal %d unknown %d total %d terminal %d; want 5, 4, 1, 0, 8, 1", s.Late, s.Duplicates, s.Illegal, s.Unknown, s.DLRTotal, s.Terminal)
	}
	if s.Findings[CodeIllegalTransition] != 1 || s.Findings[CodeReferenceMismatch] != 1 {
		t.Errorf("findings after settle: %v", s.Findings)
	}
	if s.Latency.Count != 1 {
		t.Errorf("late DLRs must not add latencies: %+v", s.Latency)
	}
}

// TestSettleKeepsMessagesInProgress: only final messages settle, and only
// with Settle set; conform's default keeps every message.
func TestSettleKeepsMessagesInProgress(t *testing.T) {
	r, c := settleReceiver(Options{})
	id := uuid(41)
	r.Expect(id, "", c.now())
	r.Ingest("/status", jsonHeader, dlrBody(id, "", "sent"))
	c.advance(time.Hour)
	if s := r.Summary(); s.Settled != 0 || len(r.Events(id)) != 1 || s.NoTerminal != 1 {
		t.Errorf("a message without a final status settled: %+v", s)
	}
	keep, kc := newTestReceiver(t, Options{})
	keep.Expect(id, "", t0)
	keep.Ingest("/status", jsonHeader, dlrBody(id, "", "received"))
	kc.ns.Add(int64(24 * time.Hour))
	if s := keep.Summary(); s.Settled != 0 || len(keep.Events(id)) != 1 {
		t.Errorf("without Settle a final message left the table: %+v", s)
	}
}

// TestSettleGivesUpUnexpectedIDs: an id never expected within Settle of
// its DLR is unknown for good, kept for Unknown and freed from the table.
func TestSettleGivesUpUnexpectedIDs(t *testing.T) {
	r, c := settleReceiver(Options{})
	early, never := uuid(42), uuid(43)
	r.Ingest("/status", jsonHeader, dlrBody(early, "", "received"))
	r.Ingest("/status", jsonHeader, dlrBody(never, "", "received"))
	c.advance(10 * time.Millisecond)
	r.Expect(early, "", c.now().Add(-20*time.Millisecond)) // the 202 came after its DLR
	c.advance(2 * time.Second)
	s := r.Summary()
	if s.Unknown != 1 || s.Terminal != 1 || len(r.Unknown()) != 1 || r.Unknown()[0].MessageID != never {
		t.Fatalf("unknown %d terminal %d, kept %+v; want the never-expected id unknown", s.Unknown, s.Terminal, r.Unknown())
	}
	r.Expect(never, "", c.now()) // too late: a message of its own now, without DLRs
	if s := r.Summary(); s.Unknown != 1 || s.NoTerminal != 1 {
		t.Errorf("unknown %d no terminal %d; want 1 and 1", s.Unknown, s.NoTerminal)
	}
}

// TestSettledTableForgetsOldest: beyond Remember settled messages, the
// oldest are forgotten (counted), and their later DLRs count as unknown.
func TestSettledTableForgetsOldest(t *testing.T) {
	r, c := settleReceiver(Options{Remember: 1}) // one 4-way bucket per shard
	const n = 64 * 40
	for i := range n {
		lifecycle(r, c, i, time.Millisecond)
	}
	c.advance(2 * time.Second)
	s := r.Summary()
	if s.Settled != n || s.Forgotten != n-64*settledWays {
		t.Fatalf("settled %d forgotten %d; want %d and %d", s.Settled, s.Forgotten, n, n-64*settledWays)
	}
	for i := range n {
		r.Ingest("/status", jsonHeader, dlrBody(uuid(i), "ref", "read"))
	}
	s = r.Summary()
	if s.Late != 64*settledWays || s.Unknown != n-64*settledWays || s.Late+s.Unknown != n {
		t.Errorf("late %d unknown %d; want %d and %d", s.Late, s.Unknown, 64*settledWays, n-64*settledWays)
	}
}
