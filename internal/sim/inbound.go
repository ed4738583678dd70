package sim

import (
	"context"
	"fmt"
)

// inboundWalk is the walk of inbound messages: no steps (they arrive
// delivered); a read by the business may follow.
var inboundWalk = &Walk{Name: "inbound"}

// InjectInbound simulates a customer's message to the business: the wire
// builds it and its callbacks, the core stores it as delivered and posts
// them. It returns the message's id (as the wire formats it); the error
// says why nothing was injected, or (with an id) that the callback could
// not be queued.
func (s *Server) InjectInbound(ctx context.Context, in InboundRequest) (string, error) {
	if in.Destination == "" {
		in.Destination = s.cfg.BusinessNumber
	}
	if !s.store.reserve(1) {
		return "", fmt.Errorf("sim: the store holds its maximum of %d messages", s.cfg.MaxMessages)
	}
	m, dels, err := s.wire.Inbound(ctx, in)
	if err != nil {
		s.store.release(1)
		return "", err
	}
	s.storeInbound(m)
	id := s.wire.FormatID(m.ID)
	for _, del := range dels {
		if s.faults.hit(FaultCallbackMalformedBody) {
			del.Body = del.Body[:len(del.Body)/2]
		}
		if s.batch != nil {
			s.batch.add(del)
			continue
		}
		if err := s.disp.Enqueue(ctx, del); err != nil {
			s.stats.enqueueFailed.Add(1)
			return id, fmt.Errorf("sim: inbound callback: %w", err)
		}
		s.stats.dlrsQueued.Add(1)
	}
	if len(dels) == 0 {
		s.stats.skipped.Add(1)
	}
	return id, nil
}

// storeInbound stores an inbound message as delivered and finished.
func (s *Server) storeInbound(m *Message) {
	now := s.now()
	if m.ID == (ID{}) {
		m.ID = NewID()
	}
	m.Inbound, m.Created, m.walk = true, now.Unix(), inboundWalk
	m.status, m.held = noStatus, noStatus
	if i, ok := s.model.Index(s.walks.DeliveredStatus); ok {
		m.status = i
	}
	m.statusUnix, m.doneAtNanos = m.Created, now.UnixNano()
	m.times = []stamp{{m.status, m.Created}}
	s.store.put(m)
	s.store.finished(m, m.doneAtNanos)
	s.stats.replies.Add(1)
	s.stats.reached[m.status].Add(1)
}
