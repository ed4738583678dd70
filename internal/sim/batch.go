package sim

import (
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dispatch"
)

// Batcher is implemented by wires whose vendor posts several events in
// one callback (the on-premises client's statuses[] and messages[]).
type Batcher interface {
	// BatchKey names the batch a delivery may join ("" for none): deliveries
	// with the same key (the same URL and format) are merged.
	BatchKey(del dispatch.Delivery) string
	// Merge makes one delivery of several of the same batch, in order.
	Merge(dels []dispatch.Delivery) dispatch.Delivery
	// DefaultBatch is the batch size and window used when Config leaves
	// them zero.
	DefaultBatch() (max int, window time.Duration)
}

// RetryScheduler is implemented by wires whose vendor retries callbacks on
// a fixed schedule (YCloud); Config.CallbackSchedule overrides it.
type RetryScheduler interface {
	RetrySchedule() []time.Duration
}

// batcher collects deliveries per batch key and posts each batch when it
// is full or its window has passed since its first delivery.
type batcher struct {
	b      Batcher
	max    int
	window time.Duration
	post   func(dispatch.Delivery)

	mu      sync.Mutex
	pending map[string]*batch
}

type batch struct {
	dels  []dispatch.Delivery
	timer *time.Timer
}

func newBatcher(b Batcher, max int, window time.Duration, post func(dispatch.Delivery)) *batcher {
	return &batcher{b: b, max: max, window: window, post: post, pending: map[string]*batch{}}
}

// add queues del in its batch, or posts it at once when it has none.
func (bt *batcher) add(del dispatch.Delivery) {
	key := bt.b.BatchKey(del)
	if key == "" || bt.max <= 1 {
		bt.post(del)
		return
	}
	bt.mu.Lock()
	cur := bt.pending[key]
	if cur == nil {
		cur = &batch{}
		bt.pending[key] = cur
		cur.timer = time.AfterFunc(bt.window, func() { bt.flush(key, cur) })
	}
	cur.dels = append(cur.dels, del)
	full := len(cur.dels) >= bt.max
	if full {
		delete(bt.pending, key)
		cur.timer.Stop()
	}
	bt.mu.Unlock()
	if full {
		bt.post(bt.b.Merge(cur.dels))
	}
}

// flush posts batch b of key if it is still pending.
func (bt *batcher) flush(key string, b *batch) {
	bt.mu.Lock()
	if bt.pending[key] != b {
		bt.mu.Unlock()
		return
	}
	delete(bt.pending, key)
	bt.mu.Unlock()
	bt.post(bt.b.Merge(b.dels))
}

// flushAll posts every pending batch now (Close).
func (bt *batcher) flushAll() {
	bt.mu.Lock()
	all := bt.pending
	bt.pending = map[string]*batch{}
	bt.mu.Unlock()
	for _, b := range all {
		b.timer.Stop()
		bt.post(bt.b.Merge(b.dels))
	}
}
