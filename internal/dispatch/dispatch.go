package dispatch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/httpc"
)

// ErrClosed is returned by Enqueue once Close has been called.
var ErrClosed = errors.New("dispatch: dispatcher closed")

// Delivery is one callback to send.
type Delivery struct {
	// Key orders deliveries (the message id): those with the same Key are
	// delivered strictly in enqueue order. Empty means unordered.
	Key string
	// URL is the receiver's callback URL. It may carry URL-encoded basic
	// auth credentials (https://user:p%40ss@host/path): they are sent as an
	// Authorization: Basic header and stripped from the URL.
	URL string
	// Body is the JSON payload. It must not be modified after Enqueue.
	Body []byte
	// Kind is "status" or "reply", for stats and logs.
	Kind string
	// Header holds extra request headers (optional). It must not be
	// modified after Enqueue.
	Header http.Header
	// Sign, when set, signs the body at each attempt (the vendor's
	// signature carries the time of sending): its header is added to the
	// request. It must be safe for concurrent use.
	Sign func(body []byte, at time.Time) (header, value string)
	// Report, when set, is told the outcome of every attempt (status 0
	// with err on a transport error) and whether it was the last one, so a
	// vendor can suspend an endpoint that keeps failing. It is called
	// outside the dispatcher's locks and must not block.
	Report func(status int, err error, last bool)
}

// Dispatcher delivers callbacks with a fixed worker pool; see the package
// documentation. It is safe for concurrent use.
type Dispatcher struct {
	cfg     Config
	client  *http.Client
	own     *http.Transport // nil when cfg.Client was given
	targets targetCache

	slots chan struct{} // semaphore: one token per outstanding delivery
	ready chan *item    // deliveries a worker may attempt now; never full
	wake  chan struct{} // the earliest timer changed
	stop  chan struct{} // closed on hard stop: workers and scheduler exit

	closing chan struct{} // closed by Close: Enqueue refuses
	runCtx  context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu          sync.Mutex
	closed      bool
	outstanding int
	inFlight    int
	idle        chan struct{} // closed when outstanding drops to 0
	keys        map[string]keyList
	timers      timerHeap
	kinds       map[string]*kindCounters
	rejected    uint64
	rng         *rand.Rand

	closeOnce sync.Once
	leftover  int
}

// New validates cfg and starts the workers and the scheduler.
func New(cfg Config) (*Dispatcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	d := &Dispatcher{
		cfg:     cfg,
		targets: targetCache{userAgent: cfg.UserAgent},
		client:  httpc.NoRedirects(cfg.Client),
		slots:   make(chan struct{}, cfg.QueueSize),
		ready:   make(chan *item, cfg.QueueSize),
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		closing: make(chan struct{}),
		idle:    closedChan(),
		keys:    make(map[string]keyList),
		kinds:   make(map[string]*kindCounters),
		rng:     rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
	}
	if cfg.Client == nil {
		d.client, d.own = newClient(cfg)
	}
	d.runCtx, d.cancel = context.WithCancel(context.Background())
	d.wg.Add(cfg.Workers + 1)
	for range cfg.Workers {
		go d.work()
	}
	go d.schedule()
	return d, nil
}

func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// Enqueue accepts del, blocking while the queue is full. It returns ctx's
// error if ctx ends first, ErrClosed after Close, or an error wrapping
// ErrBadURL for a URL that cannot be delivered to.
func (d *Dispatcher) Enqueue(ctx context.Context, del Delivery) error {
	t, err := d.prepare(del)
	if err != nil {
		return err
	}
	select {
	case <-d.closing:
		d.reject()
		return ErrClosed
	default:
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("dispatch: enqueue %s callback: %w", del.Kind, err)
	}
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("dispatch: enqueue %s callback: %w", del.Kind, ctx.Err())
	case <-d.closing:
		d.reject()
		return ErrClosed
	}
	return d.admit(del, t)
}

// TryEnqueue accepts del if there is room, without blocking. It returns
// false, counting the delivery in Stats.Dropped, when the queue is full, and
// false (Stats.Rejected) for an unusable URL or after Close.
func (d *Dispatcher) TryEnqueue(del Delivery) bool {
	t, err := d.prepare(del)
	if err != nil {
		return false
	}
	select {
	case d.slots <- struct{}{}:
	default:
		d.mu.Lock()
		if d.closed {
			d.rejected++
		} else {
			d.kind(del.Kind).Dropped++
		}
		d.mu.Unlock()
		return false
	}
	return d.admit(del, t) == nil
}

// prepare resolves the delivery's URL, counting a rejection on error.
func (d *Dispatcher) prepare(del Delivery) (*target, error) {
	t, err := d.targets.get(del.URL)
	if err != nil {
		d.reject()
		d.cfg.Logger.Warn("dispatch: callback refused", "kind", del.Kind, "key", del.Key, "err", err)
	}
	return t, err
}

func (d *Dispatcher) reject() {
	d.mu.Lock()
	d.rejected++
	d.mu.Unlock()
}

// admit registers a delivery that holds a slot.
func (d *Dispatcher) admit(del Delivery, t *target) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		<-d.slots
		d.rejected++
		return ErrClosed
	}
	it := &item{key: del.Key, body: del.Body, header: t.requestHeader(del.Header), target: t, kind: d.kind(del.Kind), index: -1,
		sign: del.Sign, report: del.Report}
	it.kind.Enqueued++
	if d.outstanding == 0 {
		d.idle = make(chan struct{})
	}
	d.outstanding++
	if it.key == "" {
		d.ready <- it
		return nil
	}
	l, busy := d.keys[it.key]
	if busy {
		l.tail.next = it
		l.tail = it
	} else {
		l = keyList{head: it, tail: it}
		d.ready <- it
	}
	d.keys[it.key] = l
	return nil
}

// finish retires a delivered or given-up item and releases its key's next
// delivery. Callers hold d.mu.
func (d *Dispatcher) finish(it *item) {
	d.outstanding--
	<-d.slots
	if d.outstanding == 0 {
		close(d.idle)
	}
	if it.key == "" {
		return
	}
	if it.next == nil {
		delete(d.keys, it.key)
		return
	}
	l := d.keys[it.key]
	l.head = it.next
	it.next = nil
	d.keys[it.key] = l
	d.ready <- l.head
}

// Flush waits until every accepted delivery has been delivered or given up,
// or ctx ends.
func (d *Dispatcher) Flush(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("dispatch: flush: %w", ctx.Err())
	}
}
