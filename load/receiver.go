package load

import (
	"net/http"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
)

// cbReceiver adapts callbacks.Receiver to Receiver and meters the peak
// callback ingest rate (callbacks per wall-clock second).
type cbReceiver struct {
	*callbacks.Receiver
	meter rateMeter
}

// receiverOptions are load's receiver bounds: no headers kept, a final
// message settles 30 s after its first final DLR (memory then follows the
// messages in flight, not those sent), and up to 100,000 ids may wait for
// their 202 (a DLR can beat it when the collector lags).
func receiverOptions() callbacks.Options {
	return callbacks.Options{Lean: true, Settle: 30 * time.Second, MaxPending: 100_000}
}

// wrap counts each callback, then hands it to h (the receiver's handler).
func (r *cbReceiver) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.meter.tick(time.Now())
		h.ServeHTTP(w, req)
	})
}

// Delivery converts the receiver's accounting; the latency histogram
// rides along for LatencyFile.
func (r *cbReceiver) Delivery() DeliverySummary {
	s := r.Summary()
	d := DeliverySummary{Enabled: true, Accepted: uint64(s.Expected), Terminal: uint64(s.Terminal),
		Missing: uint64(s.NoTerminal), Duplicates: uint64(s.Duplicates), Unknown: uint64(s.Unknown),
		Illegal: uint64(s.Illegal), Callbacks: uint64(s.DLRTotal + s.Replies), ByStatus: map[string]uint64{},
		Late: uint64(s.Late), Settled: uint64(s.Settled), Forgotten: uint64(s.Forgotten),
		NotKept:  uint64(s.NotKept.Unknown + s.NotKept.DLRs + s.NotKept.Replies),
		PeakRate: r.meter.peakRate(), Findings: map[string]uint64{}, SignatureFailures: uint64(s.SignatureFailures),
		Verifying: r.VerifiesAny(), Posts: uint64(s.Posts), BatchedPosts: uint64(s.BatchedPosts), MaxBatch: uint64(s.MaxBatch)}
	for k, v := range s.DLRs {
		d.ByStatus[k] = uint64(v)
	}
	for k, v := range s.Findings {
		d.Findings[k] = uint64(v)
	}
	d.setLatency(s.Latency, r.LatencyHistogram)
	return d
}

// rateMeter tracks the busiest wall-clock second.
type rateMeter struct {
	mu      sync.Mutex
	sec     int64
	n, peak uint64
}

func (m *rateMeter) tick(now time.Time) {
	s := now.Unix()
	m.mu.Lock()
	if s != m.sec {
		m.sec, m.n = s, 0
	}
	m.n++
	m.peak = max(m.peak, m.n)
	m.mu.Unlock()
}

func (m *rateMeter) peakRate() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return float64(m.peak)
}
