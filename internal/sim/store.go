package sim

import (
	"sync"
	"sync/atomic"
)

// Message is one stored message. The exported fields are set when the
// message is made (by the wire, for sends and inbound messages) and never
// change after Accept; the status fields change only under the lock of
// the message's shard (read them with State).
type Message struct {
	// ID is the message's id; the wire formats it for the wire (a UUID
	// for Modica).
	ID ID
	// Reference is the client's reference (Modica reference, YCloud
	// externalId).
	Reference string
	// To is the customer: the recipient of an outbound message, the
	// sender of an inbound one (E.164 with "+").
	To string
	// From is the business number.
	From string
	// Type, Body, MediaType and MediaID describe the content as the wire
	// reports it back.
	Type, Body, MediaType, MediaID string
	// Inbound is true for a customer's message to the business.
	Inbound bool
	// Created is when it was accepted (unix seconds).
	Created int64
	// Extra is the wire's own data about the message.
	Extra any

	walk   *Walk  // status walk (nil for inbound messages)
	faults uint32 // message-level faults and disorder, decided at acceptance

	// Guarded by the shard lock.
	status      uint8   // index into the status model
	statusUnix  int64   // when status was reached
	times       []stamp // every status reached, in order
	held        uint8   // a status callback held back until the next one (noStatus: none)
	step        int     // index into walk.Steps of the next status
	readWanted  bool    // the recipient will read it once delivered
	doneAtNanos int64   // when the last status was reached; 0 in flight
	forgotten   bool    // Forget: leave the store when finished, not after the TTL
}

// stamp is a status reached and when (unix seconds).
type stamp struct {
	status uint8
	at     int64
}

// noStatus marks "no status" in the uint8 status fields.
const noStatus = 0xff

// State is a snapshot of a message's status.
type State struct {
	// Status is the latest status reached.
	Status string
	// At is when (unix seconds).
	At int64
	// Times maps every status reached to when (unix seconds).
	Times map[string]int64
	// Walk is the name of the message's lifecycle path; Finished is true
	// once it has nothing more to do.
	Walk     string
	Finished bool
	// ReadWanted: the recipient will read it once delivered.
	ReadWanted bool
}

const shardCount = 64

type shard struct {
	mu sync.Mutex
	m  map[ID]*Message
}

// store is a sharded map of messages; shards are picked by id bytes, which
// are random, so load spreads evenly.
type store struct {
	shards [shardCount]shard
	n      atomic.Int64
	max    int64

	doneMu sync.Mutex
	done   []doneEntry // finished messages, oldest first, from head on
	head   int
}

func newStore(max int) *store {
	s := &store{max: int64(max)}
	for i := range s.shards {
		s.shards[i].m = make(map[ID]*Message, 1024)
	}
	return s
}

func (s *store) shard(id ID) *shard { return &s.shards[id[0]&(shardCount-1)] }

// reserve claims room for n messages; false when the store is full.
func (s *store) reserve(n int) bool {
	if s.n.Add(int64(n)) > s.max {
		s.n.Add(int64(-n))
		return false
	}
	return true
}

// release gives back room reserved but not used.
func (s *store) release(n int) { s.n.Add(int64(-n)) }

// put stores m; room must have been reserved.
func (s *store) put(m *Message) {
	sh := s.shard(m.ID)
	sh.mu.Lock()
	sh.m[m.ID] = m
	sh.mu.Unlock()
}

// get returns the message with id, or nil.
func (s *store) get(id ID) *Message {
	sh := s.shard(id)
	sh.mu.Lock()
	m := sh.m[id]
	sh.mu.Unlock()
	return m
}

// len is the number of messages held.
func (s *store) len() int { return int(s.n.Load()) }

// doneEntry records when a message finished, for the TTL sweep. It names
// the message by id, not by pointer, so that a message forgotten before
// its TTL is not kept alive by the queue.
type doneEntry struct {
	id ID
	at int64
}

// finished records that m reached its final status at (unix nanoseconds).
// Entries arrive in time order (the TTL is one for all), so the sweep only
// looks at the head of the queue.
func (s *store) finished(m *Message, at int64) {
	s.doneMu.Lock()
	s.done = append(s.done, doneEntry{m.ID, at})
	s.doneMu.Unlock()
}

// forget removes the message with id at once when it is finished, and
// marks it to be removed when it finishes otherwise.
func (s *store) forget(id ID) {
	sh := s.shard(id)
	sh.mu.Lock()
	m := sh.m[id]
	done := m != nil && m.doneAtNanos != 0
	if done {
		delete(sh.m, id)
	} else if m != nil {
		m.forgotten = true
	}
	sh.mu.Unlock()
	if done {
		s.n.Add(-1)
	}
}

// drop removes m, which has just finished after Forget; the lock of its
// shard sh is held.
func (s *store) drop(sh *shard, m *Message) {
	if sh.m[m.ID] == m {
		delete(sh.m, m.ID)
		s.n.Add(-1)
	}
}

// sweep removes messages whose final status is older than ttlNanos and
// returns how many it removed. A message that moved on since (a read after
// delivered) has a newer entry or none.
func (s *store) sweep(nowNanos, ttlNanos int64) int {
	removed := 0
	for {
		s.doneMu.Lock()
		if s.head == len(s.done) || nowNanos-s.done[s.head].at <= ttlNanos {
			s.compact()
			s.doneMu.Unlock()
			break
		}
		e := s.done[s.head]
		s.done[s.head] = doneEntry{}
		s.head++
		s.doneMu.Unlock()
		sh := s.shard(e.id)
		sh.mu.Lock()
		if m := sh.m[e.id]; m != nil && m.doneAtNanos == e.at {
			delete(sh.m, e.id)
			removed++
		}
		sh.mu.Unlock()
	}
	s.n.Add(int64(-removed))
	return removed
}

// compact drops the consumed head of the queue; doneMu must be held.
func (s *store) compact() {
	if s.head > 1024 && s.head*2 > len(s.done) {
		n := copy(s.done, s.done[s.head:])
		clear(s.done[n:])
		s.done = s.done[:n]
		s.head = 0
	}
}
