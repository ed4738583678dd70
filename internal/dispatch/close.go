package dispatch

import (
	"context"
	"log/slog"
	"time"

	"github.com/wabcheck/wabcheck/internal/redact"
)

// maxLoggedLeftovers bounds the undelivered deliveries Close lists one by
// one; the rest are only counted.
const maxLoggedLeftovers = 10

// Close stops accepting deliveries, waits until every accepted one is
// delivered or given up or ctx ends, then cancels the attempts in flight
// and stops the workers. It returns (and logs) the number of deliveries
// left undelivered. Later calls return the same number.
func (d *Dispatcher) Close(ctx context.Context) (undelivered int) {
	d.closeOnce.Do(func() { d.leftover = d.shutdown(ctx) })
	return d.leftover
}

func (d *Dispatcher) shutdown(ctx context.Context) int {
	d.mu.Lock()
	d.closed = true
	close(d.closing)
	d.mu.Unlock()

	drainErr := d.Flush(ctx)
	d.cancel()
	close(d.stop)
	d.wg.Wait()
	if d.own != nil {
		d.own.CloseIdleConnections()
	}

	d.mu.Lock()
	left := d.outstanding
	byKind := make(map[string]int)
	for name, k := range d.kinds {
		if n := k.Enqueued - k.Delivered - k.GivenUp; n > 0 {
			byKind[name] = int(n)
		}
	}
	samples := d.leftoverSamples()
	d.mu.Unlock()

	log := d.cfg.Logger
	level := slog.LevelInfo
	if left > 0 {
		level = slog.LevelWarn
	}
	log.Log(context.Background(), level, "dispatch: closed",
		"undelivered", left, "undelivered_by_kind", byKind, "drained", drainErr == nil)
	for _, it := range samples {
		log.Warn("dispatch: undelivered callback", "kind", it.kind.name, "key", it.key, "url", it.target.log,
			"attempts", it.attempt)
	}
	return left
}

// leftoverSamples returns up to maxLoggedLeftovers undelivered items with a
// key (unordered ones sit only in the ready channel and are only counted).
// Callers hold d.mu.
func (d *Dispatcher) leftoverSamples() []*item {
	var out []*item
	for _, l := range d.keys {
		for it := l.head; it != nil && len(out) < maxLoggedLeftovers; it = it.next {
			out = append(out, it)
		}
		if len(out) >= maxLoggedLeftovers {
			break
		}
	}
	return out
}

// attemptEvent is what logAttempt needs, copied under d.mu.
type attemptEvent struct {
	key, kind, url string
	attempt        int
	out            outcome
	wait           time.Duration
	gaveUp         bool
}

// logAttempt logs a failed attempt (Debug) or a give-up (Warn). URLs are
// logged only in redacted form; the request's credentials never reach here.
func (d *Dispatcher) logAttempt(ev attemptEvent) {
	if ev.out.ok() {
		return
	}
	attrs := []any{"kind", ev.kind, "key", ev.key, "url", ev.url, "attempt", ev.attempt}
	if ev.out.err != nil {
		attrs = append(attrs, "err", redact.String(ev.out.err.Error()))
	} else {
		attrs = append(attrs, "status", ev.out.status)
	}
	if ev.gaveUp {
		d.cfg.Logger.Warn("dispatch: callback given up", attrs...)
		return
	}
	d.cfg.Logger.Debug("dispatch: callback attempt failed", append(attrs, "retry_in", ev.wait)...)
}
