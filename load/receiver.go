package load

import (
	"net/http"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// cbReceiver adapts callbacks.Receiver to Receiver and meters the peak
// callback ingest rate (callbacks per wall-clock second).
type cbReceiver struct {
	*callbacks.Receiver
	meter rateMeter
}

func newReceiver(v *validate.Validator) Receiver {
	return &cbReceiver{Receiver: callbacks.NewReceiver(v, callbacks.Options{Lean: true})}
}

// Handler counts each callback, then hands it to the receiver.
func (r *cbReceiver) Handler() http.Handler {
	h := r.Receiver.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.meter.tick(time.Now())
		h.ServeHTTP(w, req)
	})
}

// Delivery converts the receiver's accounting.
func (r *cbReceiver) Delivery() DeliverySummary {
	s := r.Summary()
	d := DeliverySummary{Enabled: true, Accepted: uint64(s.Expected), Terminal: uint64(s.Terminal),
		Missing: uint64(s.NoTerminal), Duplicates: uint64(s.Duplicates), Unknown: uint64(s.Unknown),
		Illegal: uint64(s.Illegal), Callbacks: uint64(s.DLRTotal + s.Replies), ByStatus: map[string]uint64{},
		P50: s.Latency.P50, P90: s.Latency.P90, P95: s.Latency.P95, P99: s.Latency.P99, Max: s.Latency.Max,
		PeakRate: r.meter.peakRate(), Findings: map[string]uint64{}}
	for k, v := range s.DLRs {
		d.ByStatus[k] = uint64(v)
	}
	for k, v := range s.Findings {
		d.Findings[k] = uint64(v)
	}
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
