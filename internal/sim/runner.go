package sim

import (
	"time"

	"github.com/wabcheck/wabcheck/internal/dispatch"
)

// Message-level fault and disorder bits, decided once when a message is
// accepted.
const (
	mfOutOfOrder uint32 = 1 << iota // hold Walks.Hold back until the next status (fault or lawful reorder)
	mfIllegal                       // post a read right after the first step (fault)
	mfLate                          // hold the final status callback back (fault)
	mfDuplicate                     // post the final status callback twice (lawful)
	mfSkip                          // never post Walks.Hold (lawful)
)

// Accept stores m (room reserved with Reserve), picks its walk, faults and
// disorder, and schedules its first status change at start plus the step
// delay. The wire has set m's fields; the core sets its id when zero.
func (s *Server) Accept(m *Message, start time.Time) {
	d := s.dynamic.Load()
	if m.ID == (ID{}) {
		m.ID = NewID()
	}
	m.walk = s.walks.choose(m.To, d.ratios, s.Random(), s.Random())
	m.faults = s.messageFaults(d.disorder)
	m.status, m.held = s.initialStatus(), noStatus
	m.statusUnix = m.Created
	m.times = m.times[:0]
	if s.model.Accepted != "" {
		// A model without an Accepted status (the on-premises client's send
		// answer names none) has not reached its first status yet: neither
		// stamp nor count it until the walk's first step does.
		m.times = append(m.times, stamp{m.status, m.Created})
		s.stats.reached[m.status].Add(1)
	}
	s.store.put(m)
	s.stats.accepted.Add(1)
	s.scheduleStep(m, start, d.lifecycle, m.walk.Steps[0])
}

// initialStatus is the status of a message just accepted: the model's
// Accepted, else its first status (which State reports until the first
// step, but which is neither stamped nor counted as reached).
func (s *Server) initialStatus() uint8 {
	if i, ok := s.model.Index(s.model.Accepted); ok {
		return i
	}
	return 0
}

// messageFaults decides the message-level faults and lawful disorder.
func (s *Server) messageFaults(dis Disorder) uint32 {
	var f uint32
	if s.faults.set.Load().any {
		f |= s.bit(s.faults.hit(FaultDLROutOfOrder), mfOutOfOrder)
		f |= s.bit(s.faults.hit(FaultDLRIllegalTransition), mfIllegal)
		f |= s.bit(s.faults.hit(FaultDLRLate), mfLate)
	}
	if dis != (Disorder{}) {
		f |= s.bit(dis.Reorder > 0 && s.Random() < dis.Reorder, mfOutOfOrder)
		f |= s.bit(dis.Duplicate > 0 && s.Random() < dis.Duplicate, mfDuplicate)
		f |= s.bit(dis.Skip > 0 && s.Random() < dis.Skip, mfSkip)
	}
	return f
}

func (*Server) bit(on bool, b uint32) uint32 {
	if on {
		return b
	}
	return 0
}

// Reserve claims room for n messages; false when the store is full (the
// wire answers 429 and calls StoreFull).
func (s *Server) Reserve(n int) bool { return s.store.reserve(n) }

// Release gives back room reserved but not used.
func (s *Server) Release(n int) { s.store.release(n) }

// StoreFull counts a send refused because the store was full.
func (s *Server) StoreFull() { s.stats.storeFull.Add(1) }

// scheduleStep schedules m's change to next at from + delay + jitter.
func (s *Server) scheduleStep(m *Message, from time.Time, l Lifecycle, next Step) {
	due := from.Add(l.stepDelay(next.Phase) + s.jitter(l.Jitter))
	s.sched.push(event{due: due.UnixNano(), m: m, kind: evStep})
}

// nextStep is the step m takes next, or false when its walk is over. The
// shard lock must be held.
func (s *Server) nextStep(m *Message) (Step, bool) {
	if m.step < len(m.walk.Steps) {
		return m.walk.Steps[m.step], true
	}
	if m.readWanted && s.walks.ReadStep.Status != "" && s.model.Statuses[m.status].Name == s.walks.DeliveredStatus {
		return s.walks.ReadStep, true
	}
	return Step{}, false
}

// runEvent executes a due event (scheduler goroutine).
func (s *Server) runEvent(ev *event) {
	if ev.kind == evLateDLR {
		s.sendStatus(ev.m, ev.status, true)
		return
	}
	m, now := ev.m, s.now()
	a, ok := s.advance(m, now)
	if !ok {
		return
	}
	s.stats.reached[a.next].Add(1)
	if !a.holdNow {
		s.emitStatus(m, a.next, !a.following, now)
	}
	if a.released != noStatus {
		s.emitStatus(m, a.released, false, now)
	}
	if a.first && a.following && m.faults&mfIllegal != 0 {
		if i, ok := s.model.Index(s.walks.ReadStep.Status); ok {
			s.sendStatus(m, i, false)
		}
	}
	if a.following {
		s.scheduleStep(m, now, s.dynamic.Load().lifecycle, a.step)
	}
}

// advanced is what one lifecycle step did.
type advanced struct {
	next      uint8 // the status reached
	released  uint8 // a status held back earlier, to post now (noStatus: none)
	holdNow   bool  // next is held back until the following status
	following bool  // another step follows
	step      Step  // the following step
	first     bool  // next is the walk's first step
}

// advance moves m to its next status under the shard lock.
func (s *Server) advance(m *Message, now time.Time) (advanced, bool) {
	sh := s.store.shard(m.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	step, ok := s.nextStep(m)
	if !ok {
		return advanced{}, false
	}
	a := advanced{released: m.held}
	a.next, _ = s.model.Index(step.Status)
	m.status, m.statusUnix = a.next, now.Unix()
	m.times = append(m.times, stamp{a.next, m.statusUnix})
	if m.step < len(m.walk.Steps) {
		m.step++
		a.first = m.step == 1
	}
	a.step, a.following = s.nextStep(m)
	if !a.following {
		m.doneAtNanos = now.UnixNano()
		if m.forgotten {
			s.store.drop(sh, m)
		} else {
			s.store.finished(m, m.doneAtNanos)
		}
	}
	a.holdNow = m.faults&mfOutOfOrder != 0 && step.Status == s.walks.Hold && a.following
	m.held = noStatus
	if a.holdNow {
		m.held = a.next
	}
	return a, true
}

// emitStatus posts the callback of status st, unless dlr-late holds a final
// one back or a lawful skip drops it.
func (s *Server) emitStatus(m *Message, st uint8, final bool, now time.Time) {
	if m.faults&mfSkip != 0 && !final && s.model.Statuses[st].Name == s.walks.Hold {
		s.stats.dlrSuppressed.Add(1)
		return
	}
	if final && m.faults&mfLate != 0 && s.cfg.LateDLRDelay > 0 {
		s.sched.push(event{due: now.Add(s.cfg.LateDLRDelay).UnixNano(), m: m, kind: evLateDLR, status: st})
		return
	}
	s.sendStatus(m, st, false)
	if final && m.faults&mfDuplicate != 0 {
		s.sendStatus(m, st, false)
	}
}

// sendStatus enqueues the callbacks of m's status st (with the
// per-callback faults), blocking while the callback queue is full
// (backpressure).
func (s *Server) sendStatus(m *Message, st uint8, late bool) {
	if !s.emit[st] {
		s.stats.dlrSuppressed.Add(1)
		return
	}
	name := s.model.Statuses[st].Name
	if rp, ok := s.wire.(Reporter); ok && !rp.Reports(m, name) {
		s.stats.dlrSuppressed.Add(1)
		return
	}
	dels := s.wire.StatusCallbacks(m, name)
	if len(dels) == 0 {
		s.stats.skipped.Add(1)
		return
	}
	if s.faults.hit(FaultDLRDrop) {
		return
	}
	if s.faults.hit(FaultDLRUnknownID) {
		stranger := *m
		stranger.ID = NewID()
		dels = s.wire.StatusCallbacks(&stranger, name)
	}
	for _, del := range dels {
		s.enqueueWithFaults(del)
	}
	if late {
		s.stats.lateDLRs.Add(1)
	}
}

// enqueueWithFaults applies callback-malformed-body and dlr-duplicate to
// one delivery and enqueues it.
func (s *Server) enqueueWithFaults(del dispatch.Delivery) {
	if s.faults.hit(FaultCallbackMalformedBody) {
		del.Body = del.Body[:len(del.Body)/2]
	}
	s.post(del)
	if s.faults.hit(FaultDLRDuplicate) {
		s.post(del)
	}
}

// post hands a delivery to the wire's batcher, if it batches, else to the
// dispatcher.
func (s *Server) post(del dispatch.Delivery) {
	if s.batch != nil {
		s.batch.add(del)
		return
	}
	s.enqueue(del)
}

// enqueue hands a callback to the dispatcher, waiting while its queue is
// full; it gives up only when the simulator closes.
func (s *Server) enqueue(del dispatch.Delivery) {
	if err := s.disp.Enqueue(s.enqueueCtx, del); err != nil {
		s.stats.enqueueFailed.Add(1)
		s.log.Debug("sim: callback not enqueued", "kind", del.Kind, "key", del.Key, "err", err)
		return
	}
	s.stats.dlrsQueued.Add(1)
}

// ReadResult is the outcome of MarkRead.
type ReadResult int

// The outcomes of MarkRead.
const (
	ReadOK ReadResult = iota
	ReadAlready
	ReadFailed      // the message failed: it cannot be read
	ReadUnsupported // the vendor reports no read status (Walks.ReadStep is zero)
)

// MarkRead makes the recipient (outbound) or the business (inbound) read
// m: at once when m is delivered and its walk is over, else right after it
// is delivered.
func (s *Server) MarkRead(m *Message) ReadResult {
	if s.walks.ReadStep.Status == "" {
		return ReadUnsupported
	}
	sh := s.store.shard(m.ID)
	sh.mu.Lock()
	cur := s.model.Statuses[m.status]
	switch {
	case cur.Name == s.walks.ReadStep.Status || m.readWanted:
		sh.mu.Unlock()
		return ReadAlready
	case cur.Failure || (m.walk != nil && m.step < len(m.walk.Steps) && s.walkFails(m.walk)):
		sh.mu.Unlock()
		return ReadFailed
	}
	m.readWanted = true
	idle := cur.Name == s.walks.DeliveredStatus && (m.walk == nil || m.step >= len(m.walk.Steps))
	if idle {
		m.doneAtNanos = 0
	}
	sh.mu.Unlock()
	if idle && m.walk != nil {
		s.sched.push(event{due: s.now().UnixNano(), m: m, kind: evStep})
	}
	return ReadOK
}

// walkFails reports whether w ends in a failure.
func (s *Server) walkFails(w *Walk) bool {
	st, ok := s.model.Lookup(w.Steps[len(w.Steps)-1].Status)
	return ok && st.Failure
}

// Forget tells the simulator that nobody will ask for the message with
// id (in the wire's form) again: it leaves the store as soon as its walk
// is over (at once if it is), instead of MessageTTL later. Its callbacks
// are still posted. An id the wire cannot read, or no message has, is
// ignored. A load run tells its in-process simulator so for every message
// it will not retrieve, so the store holds the messages in flight, not
// those of the last MessageTTL.
func (s *Server) Forget(id string) {
	if mid, ok := s.wire.ParseID(id); ok {
		s.store.forget(mid)
	}
}

// Get returns the message with id, or nil (unknown, forgotten, or expired
// after the TTL).
func (s *Server) Get(id ID) *Message { return s.store.get(id) }

// State snapshots m's status.
func (s *Server) State(m *Message) State {
	sh := s.store.shard(m.ID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	st := State{Status: s.model.Statuses[m.status].Name, At: m.statusUnix, Times: make(map[string]int64, len(m.times)),
		ReadWanted: m.readWanted, Finished: m.doneAtNanos != 0}
	for _, t := range m.times {
		st.Times[s.model.Statuses[t.status].Name] = t.at
	}
	if m.walk != nil {
		st.Walk = m.walk.Name
	}
	return st
}
