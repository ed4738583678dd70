package sim

import (
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// limiter is a token bucket per rate-limit key, implemented as GCRA
// (generic cell rate algorithm): one atomic "theoretical arrival time" per
// bucket, updated by compare-and-swap, so a request costs no lock and no
// allocation (the shared key "" needs no map lookup either).
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

// bucket is one key's state.
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

// Limiter is a keyed token bucket (GCRA) for limits a wire keeps besides
// the core's rate limit (YCloud's per-sender sendDirectly limit, the
// on-premises client's pair rate limit). It is safe for concurrent use.
type Limiter struct {
	lim    *limiter
	shared bucket
	keyed  sync.Map // key → *bucket
}

// NewLimiter returns a Limiter of rate per second with burst tokens (0 =
// rate); rate 0 lets everything through.
func NewLimiter(rate, burst int) *Limiter { return &Limiter{lim: newLimiter(rate, burst)} }

// NewLimiterEvery returns a Limiter of one token every interval with burst
// tokens (0 = 1), for limits slower than one per second (the on-premises
// client's pair rate limit: one message every 6 s); interval 0 lets
// everything through.
func NewLimiterEvery(interval time.Duration, burst int) *Limiter {
	if interval <= 0 {
		return &Limiter{lim: &limiter{}}
	}
	burst = max(burst, 1)
	iv := int64(interval)
	return &Limiter{lim: &limiter{interval: iv, burst: int64(burst-1) * iv}}
}

// Allow takes a token from key's bucket at now; when none is left it
// returns the wait until one will be.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	return l.lim.allow(l.bucket(key), now.UnixNano())
}

func (l *Limiter) bucket(key string) *bucket {
	if key == "" {
		return &l.shared
	}
	if b, ok := l.keyed.Load(key); ok {
		return b.(*bucket)
	}
	b, _ := l.keyed.LoadOrStore(key, &bucket{})
	return b.(*bucket)
}

// rateState is the core's limit in force; a change of limit swaps in a
// fresh one.
type rateState struct {
	Limiter
	header []string // the advertised limit, as a header value
	rate   int
	burst  int
}

// setRateLimit swaps in a limiter for rate and burst.
func (s *Server) setRateLimit(rate, burst int) {
	advertised := rate
	if rate == 0 {
		advertised = s.rateMax // off: advertise the most the vendor allows
	}
	s.rl.Store(&rateState{Limiter: Limiter{lim: newLimiter(rate, burst)}, header: []string{strconv.Itoa(advertised)}, rate: rate, burst: burst})
}

// Admit takes a token from the bucket of key; when none is left it counts
// a rate-limited answer and returns the wait until one will be.
func (s *Server) Admit(key string) (bool, time.Duration) {
	ok, wait := s.rl.Load().Allow(key, s.now())
	if !ok {
		s.stats.rateLimited.Add(1)
	}
	return ok, wait
}

// RateLimit is the limit in force: requests per second (0: off) and burst.
func (s *Server) RateLimit() (rate, burst int) {
	st := s.rl.Load()
	return st.rate, st.burst
}

// AdvertisedLimit is the limit to advertise, as a one-value header slice
// (never modify it): the rate, or the wire's maximum when limiting is off.
func (s *Server) AdvertisedLimit() []string { return s.rl.Load().header }

// SetRateLimitMax bounds the rate limit (the wire calls it in Init, from
// its spec's advertised-limit maximum); 0 means unbounded.
func (s *Server) SetRateLimitMax(n int) error {
	s.rateMax = n
	rate, burst := s.RateLimit()
	if n > 0 && rate > n {
		return fmt.Errorf("sim config: RateLimit %d exceeds the spec's maximum %d", rate, n)
	}
	s.setRateLimit(rate, burst)
	return nil
}

// RetryAfterSeconds rounds wait up to whole seconds and clamps it into
// [lo, hi].
func RetryAfterSeconds(wait time.Duration, lo, hi int) int {
	s := int(math.Ceil(wait.Seconds()))
	return min(max(s, lo), hi)
}
