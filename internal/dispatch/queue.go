package dispatch

import (
	"container/heap"
	"net/http"
	"time"
)

// item is one accepted delivery. Ordered items of one key form a singly
// linked list (next); an item backing off sits in the timer heap (index).
type item struct {
	key     string
	body    []byte
	header  http.Header // the full request header (see target.requestHeader)
	target  *target
	kind    *kindCounters
	due     time.Time
	next    *item
	index   int // position in the timer heap, -1 when not in it
	attempt int // attempts made so far
	sign    func([]byte, time.Time) (string, string)
	report  func(int, error, bool)
}

// keyList is the FIFO of one key's outstanding deliveries; head is the only
// one that may be in flight, queued for a worker, or backing off.
type keyList struct {
	head, tail *item
}

// timerHeap orders backing-off items by due time.
type timerHeap []*item

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) Push(x any) {
	it := x.(*item)
	it.index = len(*h)
	*h = append(*h, it)
}

func (h *timerHeap) Pop() any {
	old := *h
	n := len(old) - 1
	it := old[n]
	old[n] = nil
	it.index = -1
	*h = old[:n]
	return it
}

// push adds it and reports whether it became the earliest.
func (h *timerHeap) push(it *item) bool {
	heap.Push(h, it)
	return it.index == 0
}

// popDue removes and returns the earliest item if it is due at now.
func (h *timerHeap) popDue(now time.Time) *item {
	if len(*h) == 0 || (*h)[0].due.After(now) {
		return nil
	}
	return heap.Pop(h).(*item)
}
