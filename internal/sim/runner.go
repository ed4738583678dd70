package sim

import (
	"time"

	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/dlr"
)

// Message-level fault bits, decided once when a message is accepted.
const (
	mfOutOfOrder uint32 = 1 << iota
	mfIllegal
	mfLate
)

// accept stores m (room reserved), picks its walk and faults, and schedules
// its first status change at start plus the step delay.
func (s *Server) accept(m *message, start time.Time) {
	d := s.dynamic.Load()
	m.walk = chooseWalk(m.destination, d.ratios, s.random(), s.random())
	if s.faults.set.Load().any {
		if s.faults.hit(fDLROutOfOrder) {
			m.faults |= mfOutOfOrder
		}
		if s.faults.hit(fDLRIllegalTransition) {
			m.faults |= mfIllegal
		}
		if s.faults.hit(fDLRLate) {
			m.faults |= mfLate
		}
	}
	s.store.put(m)
	s.stats.accepted.Add(1)
	s.stats.reached[statusIndex(dlr.Accepted)].Add(1)
	s.scheduleStep(m, start, d.lifecycle, m.walk.steps[0])
}

// scheduleStep schedules m's change to next at from + delay + jitter.
func (s *Server) scheduleStep(m *message, from time.Time, l Lifecycle, next dlr.Status) {
	due := from.Add(l.stepDelay(next) + s.jitter(l.Jitter))
	s.sched.push(event{due: due.UnixNano(), m: m, kind: evStep})
}

// nextStatus is the status m moves to next, or "" when its walk is over.
// The shard lock must be held.
func nextStatus(m *message) dlr.Status {
	if m.step < len(m.walk.steps) {
		return m.walk.steps[m.step]
	}
	if m.status == dlr.Received && m.readWanted {
		return dlr.Read
	}
	return ""
}

// runEvent executes a due event (scheduler goroutine).
func (s *Server) runEvent(ev *event) {
	if ev.kind == evLateDLR {
		s.sendDLR(ev.m, dlr.Status(ev.status), true)
		return
	}
	m := ev.m
	now := s.now()
	sh := s.store.shard(m.id)
	sh.mu.Lock()
	next := nextStatus(m)
	if next == "" {
		sh.mu.Unlock()
		return
	}
	m.status = next
	m.statusUnix = now.Unix()
	if m.step < len(m.walk.steps) {
		m.step++
	}
	following := nextStatus(m)
	if following == "" {
		m.doneAtNanos = now.UnixNano()
		s.store.finished(m, m.doneAtNanos)
	}
	held := m.held
	hold := m.faults&mfOutOfOrder != 0 && next == dlr.Sent && following != ""
	if hold {
		m.held = next
	} else {
		m.held = ""
	}
	sh.mu.Unlock()

	s.stats.reached[statusIndex(next)].Add(1)
	if !hold {
		s.emitDLR(m, next, following == "", now)
	}
	if held != "" {
		s.emitDLR(m, held, false, now)
	}
	if next == dlr.Submitted && m.faults&mfIllegal != 0 {
		s.sendDLR(m, dlr.Read, false)
	}
	if following != "" {
		s.scheduleStep(m, now, s.dynamic.Load().lifecycle, following)
	}
}

// emitDLR posts the DLR for status, unless dlr-late holds a final one back.
func (s *Server) emitDLR(m *message, st dlr.Status, final bool, now time.Time) {
	if final && m.faults&mfLate != 0 && s.cfg.LateDLRDelay > 0 {
		s.sched.push(event{due: now.Add(s.cfg.LateDLRDelay).UnixNano(), m: m, kind: evLateDLR, status: string(st)})
		return
	}
	s.sendDLR(m, st, false)
}

// sendDLR enqueues the status callback for m (with the per-callback
// faults), blocking while the callback queue is full (backpressure).
func (s *Server) sendDLR(m *message, st dlr.Status, late bool) {
	if !s.dlrEmit[statusIndex(st)] {
		s.stats.dlrSuppressed.Add(1)
		return
	}
	url := s.dynamic.Load().statusURL
	if url == "" {
		s.stats.skipped.Add(1)
		return
	}
	if s.faults.hit(fDLRDrop) {
		return
	}
	id := m.id
	if s.faults.hit(fDLRUnknownID) {
		id = newUUID()
	}
	body := appendStatusBody(make([]byte, 0, 96+len(m.reference)), id, m.reference, st)
	if s.faults.hit(fCallbackMalformedBody) {
		body = body[:len(body)/2]
	}
	del := dispatch.Delivery{Key: m.id.String(), URL: url, Body: body, Kind: "status"}
	s.enqueue(del)
	if s.faults.hit(fDLRDuplicate) {
		s.enqueue(del)
	}
	if late {
		s.stats.lateDLRs.Add(1)
	}
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

// appendStatusBody appends a StatusCallback JSON body.
func appendStatusBody(b []byte, id uuid, reference string, st dlr.Status) []byte {
	b = append(b, `{"id":"`...)
	b = id.appendTo(b)
	b = append(b, '"')
	if reference != "" {
		b = append(b, `,"reference":`...)
		b = appendJSONString(b, reference)
	}
	b = append(b, `,"status":"`...)
	b = append(b, st...)
	return append(b, `"}`...)
}

// readResult is the outcome of markRead.
type readResult int

const (
	readOK readResult = iota
	readAlready
	readFailed // the message failed: it cannot be read
)

// markRead makes the recipient (MT) or the business (MO) read m: at once
// when m is received and its walk is over, else right after it is
// received.
func (s *Server) markRead(m *message) readResult {
	sh := s.store.shard(m.id)
	sh.mu.Lock()
	switch {
	case m.status == dlr.Read || m.readWanted:
		sh.mu.Unlock()
		return readAlready
	case dlr.IsFailure(m.status) || (m.step < len(m.walk.steps) && dlr.IsFailure(m.walk.steps[len(m.walk.steps)-1])):
		sh.mu.Unlock()
		return readFailed
	}
	m.readWanted = true
	idle := m.status == dlr.Received && m.step >= len(m.walk.steps)
	if idle {
		m.doneAtNanos = 0
	}
	sh.mu.Unlock()
	if idle {
		s.sched.push(event{due: s.now().UnixNano(), m: m, kind: evStep})
	}
	return readOK
}
