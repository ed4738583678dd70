package sim

import (
	"math"
	"sync/atomic"
	"time"
)

// limiter is a token bucket per credential, implemented as GCRA (generic
// cell rate algorithm): one atomic "theoretical arrival time" per bucket,
// updated by compare-and-swap, so a request costs no lock and no
// allocation.
type limiter struct {
	interval int64 // nanoseconds per token; 0 = off
	burst    int64 // tolerance: (burst-1) * interval
	rate     int
}

// newLimiter returns a limiter for rate req/s with burst tokens (0 = rate);
// rate 0 is off.
func newLimiter(rate, burst int) *limiter {
	if rate <= 0 {
		return &limiter{}
	}
	if burst <= 0 {
		burst = rate
	}
	iv := int64(time.Second) / int64(rate)
	return &limiter{interval: iv, burst: int64(burst-1) * iv, rate: rate}
}

// bucket is one credential's state.
type bucket struct{ tat atomic.Int64 }

// allow takes a token from b at now; when none is left it returns the
// honest wait until one will be.
func (l *limiter) allow(b *bucket, now int64) (bool, time.Duration) {
	if l.interval == 0 {
		return true, 0
	}
	for {
		old := b.tat.Load()
		tat := old
		if tat < now {
			tat = now
		}
		next := tat + l.interval
		if wait := next - l.interval - l.burst - now; wait > 0 {
			return false, time.Duration(wait)
		}
		if b.tat.CompareAndSwap(old, next) {
			return true, 0
		}
	}
}

// retryAfterSeconds rounds wait up to whole seconds and clamps it into the
// spec's RetryAfter range [lo, hi].
func retryAfterSeconds(wait time.Duration, lo, hi int) int {
	s := int(math.Ceil(wait.Seconds()))
	return min(max(s, lo), hi)
}
