package ycloudsim

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Webhook endpoint statuses (WebhookEndpointStatus).
const (
	epActive   = "active"
	epDisabled = "disabled"
	epPending  = "pending"
)

// endpoint is one webhook endpoint as configured. It is immutable: an
// update replaces it in the store with a copy that shares its health, so
// a delivery keeps the URL and secret it was made for.
type endpoint struct {
	id, url, description string
	events               []string
	status               string // as configured: active, disabled or pending
	secret               string
	created, updated     int64
	header               http.Header // X-Webhook-Endpoint-ID, shared read-only
	health               *health
	// near is true for an endpoint the simulator posts to whatever
	// remote-webhooks says: one from the configuration (--callback-url),
	// or one at a loopback host.
	near bool
}

// subscribes reports whether the endpoint is enabled for event type ev.
func (e *endpoint) subscribes(ev string) bool { return slices.Contains(e.events, ev) }

// effectiveStatus is the status the endpoint has now: as configured, or
// pending while it is suspended for failing.
func (e *endpoint) effectiveStatus(now time.Time) string {
	if e.status == epActive && e.health.suspended(now) {
		return epPending
	}
	return e.status
}

// health counts an endpoint's failed deliveries per window and suspends
// it (status pending) when they reach a limit ("URL suspension": 200
// failures in a minute suspend a URL for 3 minutes).
type health struct {
	limit         int
	window, pause time.Duration

	mu          sync.Mutex
	windowStart time.Time
	failures    int
	until       atomic.Int64 // suspended until (unix nanoseconds); 0: never
	suspensions atomic.Int64
}

// suspended reports whether the endpoint is suspended at now.
func (h *health) suspended(now time.Time) bool { return now.UnixNano() < h.until.Load() }

// report records the outcome of one delivery attempt at now.
func (h *health) report(status int, err error, now time.Time) {
	if err == nil && status/100 == 2 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if now.Sub(h.windowStart) >= h.window {
		h.windowStart, h.failures = now, 0
	}
	h.failures++
	if h.failures >= h.limit && !h.suspended(now) {
		h.until.Store(now.Add(h.pause).UnixNano())
		h.suspensions.Add(1)
		h.failures = 0
	}
}

// resume ends a suspension (the endpoint was set active again).
func (h *health) resume() { h.until.Store(0) }

// endpointStore holds the account's webhook endpoints.
type endpointStore struct {
	mu    sync.Mutex
	max   int
	byID  map[string]*endpoint
	order []string                    // ids in creation order
	snap  atomic.Pointer[[]*endpoint] // every endpoint, in order; for the hot path
}

func newEndpointStore(max int) *endpointStore {
	st := &endpointStore{max: max, byID: map[string]*endpoint{}}
	st.snap.Store(&[]*endpoint{})
	return st
}

// publish rebuilds the snapshot; mu must be held.
func (st *endpointStore) publish() {
	all := make([]*endpoint, 0, len(st.order))
	for _, id := range st.order {
		all = append(all, st.byID[id])
	}
	st.snap.Store(&all)
}

// limit is the most endpoints the account may have.
func (st *endpointStore) limit() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.max
}

// setLimit changes the maximum; endpoints beyond it stay (no new ones
// until they are fewer).
func (st *endpointStore) setLimit(n int) {
	st.mu.Lock()
	st.max = n
	st.mu.Unlock()
}

// add stores a new endpoint; false when the account has its maximum.
func (st *endpointStore) add(e *endpoint) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.order) >= st.max {
		return false
	}
	st.byID[e.id] = e
	st.order = append(st.order, e.id)
	st.publish()
	return true
}

// get returns the endpoint with id, or nil.
func (st *endpointStore) get(id string) *endpoint {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.byID[id]
}

// update replaces endpoint id with f's copy of it; nil when there is none.
func (st *endpointStore) update(id string, f func(e *endpoint)) *endpoint {
	st.mu.Lock()
	defer st.mu.Unlock()
	old := st.byID[id]
	if old == nil {
		return nil
	}
	n := *old
	f(&n)
	st.byID[id] = &n
	st.publish()
	return &n
}

// remove deletes endpoint id and returns it (nil when there was none).
func (st *endpointStore) remove(id string) *endpoint {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.byID[id]
	if e == nil {
		return nil
	}
	delete(st.byID, id)
	st.order = slices.DeleteFunc(st.order, func(x string) bool { return x == id })
	st.publish()
	return e
}

// all returns every endpoint in creation order (read-only).
func (st *endpointStore) all() []*endpoint { return *st.snap.Load() }

// receiving returns the endpoints that get events of type ev now: active
// (not suspended), subscribed to it, and near unless remote allows any.
func (st *endpointStore) receiving(ev string, now time.Time, remote bool) []*endpoint {
	var out []*endpoint
	for _, e := range st.all() {
		if e.subscribes(ev) && e.effectiveStatus(now) == epActive && (e.near || remote) {
			out = append(out, e)
		}
	}
	return out
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("ycloudsim: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// newSecret returns a signing secret as YCloud's look ("whsec_" and 32 hex
// digits).
func newSecret() string { return "whsec_" + randomHex(16) }

// newEndpointID returns an endpoint id as YCloud's look ("wh" and 24 hex
// digits).
func newEndpointID() string { return "wh" + randomHex(12) }
