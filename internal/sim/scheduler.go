package sim

import (
	"sync"
	"time"
)

// Event kinds.
const (
	evStep    uint8 = iota // advance the message to its next status
	evLateDLR              // post a held-back DLR (fault dlr-late)
)

// event is one scheduled action, due at a time on the configured clock.
type event struct {
	due    int64 // unix nanoseconds
	seq    uint64
	m      *Message
	kind   uint8
	status uint8 // evLateDLR: the status to post
}

func (a *event) before(b *event) bool {
	return a.due < b.due || (a.due == b.due && a.seq < b.seq)
}

// scheduler runs every lifecycle step of every message from one goroutine
// over a binary min-heap of events: no goroutine or timer per message.
type scheduler struct {
	mu   sync.Mutex
	heap []event
	seq  uint64

	now   func() time.Time
	run   func(*event) // called from the scheduler goroutine, without mu
	tick  func(now time.Time)
	every time.Duration // how often tick runs (the sweep)

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

func newScheduler(now func() time.Time, run func(*event), tick func(time.Time), every time.Duration) *scheduler {
	return &scheduler{now: now, run: run, tick: tick, every: every,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// push schedules ev and wakes the loop if ev is the new earliest event.
func (s *scheduler) push(ev event) {
	s.mu.Lock()
	s.seq++
	ev.seq = s.seq
	s.heap = append(s.heap, ev)
	i := len(s.heap) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !s.heap[i].before(&s.heap[p]) {
			break
		}
		s.heap[i], s.heap[p] = s.heap[p], s.heap[i]
		i = p
	}
	first := i == 0
	s.mu.Unlock()
	if first {
		s.kick()
	}
}

// kick wakes the loop to re-read the clock (tests call it after advancing
// a fake clock).
func (s *scheduler) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// pop removes the earliest event; mu must be held and the heap non-empty.
func (s *scheduler) pop() event {
	h := s.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h[last] = event{}
	h = h[:last]
	for i := 0; ; {
		l, r, min := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].before(&h[min]) {
			min = l
		}
		if r < len(h) && h[r].before(&h[min]) {
			min = r
		}
		if min == i {
			break
		}
		h[i], h[min] = h[min], h[i]
		i = min
	}
	s.heap = h
	return top
}

// pending is the number of scheduled events.
func (s *scheduler) pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.heap)
}

// due moves the events due at now into batch and returns how long until
// the next one (capped at max).
func (s *scheduler) due(now int64, batch []event, max time.Duration) ([]event, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.heap) > 0 && s.heap[0].due <= now && len(batch) < 4096 {
		batch = append(batch, s.pop())
	}
	wait := max
	if len(s.heap) > 0 {
		if d := time.Duration(s.heap[0].due - now); d < wait {
			wait = d
		}
	}
	return batch, wait
}

// loop runs until close.
func (s *scheduler) loop() {
	defer close(s.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var batch []event
	nextTick := s.now().Add(s.every)
	for {
		now := s.now()
		if !now.Before(nextTick) {
			s.tick(now)
			nextTick = now.Add(s.every)
		}
		var wait time.Duration
		batch, wait = s.due(now.UnixNano(), batch[:0], nextTick.Sub(now))
		for i := range batch {
			s.run(&batch[i])
			batch[i] = event{}
		}
		if len(batch) > 0 {
			continue
		}
		timer.Reset(max(wait, 0))
		select {
		case <-timer.C:
		case <-s.wake:
		case <-s.stop:
			return
		}
	}
}

// close stops the loop and waits for it; events not yet due are dropped.
func (s *scheduler) close() {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
}
