package load

import (
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/load/summary"
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

// Delivery converts the receiver's accounting (the latency histogram
// behind its percentiles is LatencyHistogram, for LatencyFile).
func (r *cbReceiver) Delivery() summary.DeliverySummary {
	s := r.Summary()
	d := summary.DeliverySummary{Enabled: true, Accepted: uint64(s.Expected), Terminal: uint64(s.Terminal),
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
	setPercentiles(&d, s.Latency)
	return d
}

// LatencyFile is the receipt-latency histogram a run writes next to
// results.bin (format: callbacks.LatencyFormat, version
// callbacks.LatencyVersion; see docs/load.md); merge reads it back.
const LatencyFile = callbacks.LatencyFile

// setPercentiles copies the receipt-latency percentiles of l into d.
func setPercentiles(d *summary.DeliverySummary, l callbacks.Latency) {
	d.P50, d.P90, d.P95, d.P99, d.Max, d.LatencyError = l.P50, l.P90, l.P95, l.P99, l.Max, l.RelativeError
}

// writeLatency writes latency(), the histogram behind d's percentiles, as
// dir/LatencyFile; nothing without delivery accounting or a histogram (a
// merge that is only an upper bound).
func writeLatency(dir string, d *summary.DeliverySummary, latency func() *callbacks.LatencyHistogram) error {
	if !d.Enabled || latency == nil {
		return nil
	}
	return callbacks.WriteLatencyFile(filepath.Join(dir, LatencyFile), latency())
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
