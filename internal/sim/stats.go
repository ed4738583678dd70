package sim

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dispatch"
)

// counters are the server's atomic counters.
type counters struct {
	requests      atomic.Int64
	accepted      atomic.Int64
	rateLimited   atomic.Int64
	storeFull     atomic.Int64
	skipped       atomic.Int64 // callbacks not sent: no URL configured
	dlrSuppressed atomic.Int64 // statuses not posted (Config.DLRStatuses)
	dlrsQueued    atomic.Int64 // callbacks handed to the dispatcher
	enqueueFailed atomic.Int64
	lateDLRs      atomic.Int64
	replies       atomic.Int64
	expired       atomic.Int64 // messages removed by the TTL sweep
	reached       [dialect.MaxStatuses]atomic.Int64
	byHTTP        [600]atomic.Int64
}

func (c *counters) countStatus(code int) {
	if code >= 100 && code < 600 {
		c.byHTTP[code].Add(1)
	}
}

// Stats is a snapshot of the simulator's counters (GET /_sim/stats).
type Stats struct {
	// Requests counts every request, admin API included.
	Requests int64 `json:"requests"`
	// Responses counts vendor-API responses by HTTP status.
	Responses map[int]int64 `json:"responses"`
	// Accepted counts messages accepted (single sends and broadcast items).
	Accepted int64 `json:"messages_accepted"`
	// Reached counts how many messages reached each status.
	Reached map[string]int64 `json:"messages_by_status"`
	// Stored is the number of messages held (in flight or within the TTL).
	Stored int `json:"messages_stored"`
	// Expired counts messages removed by the TTL sweep.
	Expired int64 `json:"messages_expired"`
	// InFlightSteps is the number of scheduled lifecycle steps.
	InFlightSteps int `json:"lifecycle_steps_pending"`
	// RateLimited counts 429 answers of the rate limiter.
	RateLimited int64 `json:"rate_limited"`
	// StoreFull counts 429 answers because MaxMessages was reached.
	StoreFull int64 `json:"store_full"`
	// Replies counts injected MO messages.
	Replies int64 `json:"replies_injected"`
	// Callbacks are the callback delivery counters.
	Callbacks CallbackStats `json:"callbacks"`
	// FaultsActive lists the active faults; FaultsFired counts firings.
	FaultsActive []FaultSetting   `json:"faults_active"`
	FaultsFired  map[string]int64 `json:"faults_fired"`
	// Media counts uploaded media items held and their bytes.
	MediaItems int   `json:"media_items"`
	MediaBytes int64 `json:"media_bytes"`
	// At is when the snapshot was taken.
	At time.Time `json:"at"`
}

// CallbackStats are the callback delivery counters.
type CallbackStats struct {
	// Queued counts callbacks handed to the delivery queue.
	Queued int64 `json:"queued"`
	// Skipped counts callbacks not sent because no URL was configured.
	Skipped int64 `json:"skipped_no_url"`
	// Suppressed counts statuses not posted by design: switched off by
	// Config.DLRStatuses, skipped as lawful disorder, or reported to no one
	// by the vendor (Reporter: a read of a customer's message).
	Suppressed int64 `json:"suppressed"`
	// Late counts DLRs held back by the dlr-late fault and then sent.
	Late int64 `json:"late"`
	// NotQueued counts callbacks the queue refused (closing, bad URL).
	NotQueued int64 `json:"not_queued"`
	// Delivery are the dispatcher's counters: delivered, retried, given
	// up, queue depth.
	Delivery dispatch.Stats `json:"delivery"`
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	c := &s.stats
	st := Stats{
		Requests: c.requests.Load(), Accepted: c.accepted.Load(), Stored: s.store.len(),
		Expired: c.expired.Load(), InFlightSteps: s.sched.pending(), RateLimited: c.rateLimited.Load(),
		StoreFull: c.storeFull.Load(), Replies: c.replies.Load(),
		Responses: map[int]int64{}, Reached: map[string]int64{},
		FaultsActive: s.faults.active(), FaultsFired: s.faults.firedCounts(), At: s.now().UTC(),
		Callbacks: CallbackStats{Queued: c.dlrsQueued.Load(), Skipped: c.skipped.Load(), Suppressed: c.dlrSuppressed.Load(),
			Late: c.lateDLRs.Load(), NotQueued: c.enqueueFailed.Load(), Delivery: s.disp.Stats()},
	}
	for i := range c.byHTTP {
		if n := c.byHTTP[i].Load(); n > 0 {
			st.Responses[i] = n
		}
	}
	for i, status := range s.model.Statuses {
		if n := c.reached[i].Load(); n > 0 {
			st.Reached[status.Name] = n
		}
	}
	st.MediaItems, st.MediaBytes = s.media.size()
	if st.FaultsActive == nil {
		st.FaultsActive = []FaultSetting{}
	}
	return st
}

// setEmitted selects the statuses posted as callbacks (nil: all but the
// model's Accepted, which the send answer itself reports).
func (s *Server) setEmitted(list []string) error {
	var emit [dialect.MaxStatuses]bool
	if list == nil {
		for i, st := range s.model.Statuses {
			emit[i] = st.Name != s.model.Accepted
		}
	}
	for _, name := range list {
		i, ok := s.model.Index(name)
		if !ok {
			return fmt.Errorf("sim config: DLRStatuses: %q is not a status of %s (%s)", name,
				s.wire.Dialect().Info().Name, strings.Join(s.model.Names(), ", "))
		}
		emit[i] = true
	}
	s.emit = emit
	return nil
}

// sweep removes finished messages older than the TTL and expired media
// (scheduler goroutine).
func (s *Server) sweep(now time.Time) {
	n := s.store.sweep(now.UnixNano(), int64(s.cfg.MessageTTL))
	if n > 0 {
		s.stats.expired.Add(int64(n))
		s.log.Debug("sim: swept finished messages", "removed", n, "stored", s.store.len())
	}
}
