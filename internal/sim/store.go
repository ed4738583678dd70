package sim

import (
	"sync"
	"sync/atomic"

	"github.com/wabcheck/wabcheck/internal/dlr"
)

// Message directions as reported in MessageDetails.direction.
const (
	dirMT = "MT"
	dirMO = "MO"
)

// message is one stored message. The fields above mu-guarded ones never
// change after the message is stored; the others change only under the
// lock of the message's shard.
type message struct {
	id          uuid
	reference   string
	destination string // E.164 with "+": the customer (MT) or the customer who wrote (MO)
	msgType     string // text | template | media (MessageDetails.type)
	body        string // attributes.body
	mediaType   string // attributes.media.type
	mediaID     string // attributes.media.id
	direction   string
	createdUnix int64
	walk        *walk  // status walk (nil for MO messages)
	faults      uint32 // message-level faults decided at acceptance (bit per fault)

	// Guarded by the shard lock.
	status      dlr.Status
	statusUnix  int64      // when status was reached (MessageDetails.timestamp)
	held        dlr.Status // fault dlr-out-of-order: a DLR held back until the next one
	step        int        // index into walk.steps of the next status
	readWanted  bool       // the recipient will read it once received
	doneAtNanos int64      // when the last status was reached; 0 in flight
}

const shardCount = 64

type shard struct {
	mu sync.Mutex
	m  map[uuid]*message
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
		s.shards[i].m = make(map[uuid]*message, 1024)
	}
	return s
}

func (s *store) shard(id uuid) *shard { return &s.shards[id[0]&(shardCount-1)] }

// reserve claims room for n messages; false when the store is full.
func (s *store) reserve(n int) bool {
	if s.n.Add(int64(n)) > s.max {
		s.n.Add(int64(-n))
		return false
	}
	return true
}

// put stores m; room must have been reserved.
func (s *store) put(m *message) {
	sh := s.shard(m.id)
	sh.mu.Lock()
	sh.m[m.id] = m
	sh.mu.Unlock()
}

// get returns the message with id, or nil.
func (s *store) get(id uuid) *message {
	sh := s.shard(id)
	sh.mu.Lock()
	m := sh.m[id]
	sh.mu.Unlock()
	return m
}

// len is the number of messages held.
func (s *store) len() int { return int(s.n.Load()) }

// doneEntry records when a message finished, for the TTL sweep.
type doneEntry struct {
	m  *message
	at int64
}

// finished records that m reached its final status at (unix nanoseconds).
// Entries arrive in time order (the TTL is one for all), so the sweep only
// looks at the head of the queue.
func (s *store) finished(m *message, at int64) {
	s.doneMu.Lock()
	s.done = append(s.done, doneEntry{m, at})
	s.doneMu.Unlock()
}

// sweep removes messages whose final status is older than ttlNanos and
// returns how many it removed. A message that moved on since (a read after
// received) has a newer entry or none.
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
		sh := s.shard(e.m.id)
		sh.mu.Lock()
		if e.m.doneAtNanos == e.at && sh.m[e.m.id] == e.m {
			delete(sh.m, e.m.id)
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
