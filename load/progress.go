package load

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// startProgress prints the live progress line until the returned stop is
// called: rewritten in place (\r) on a TTY, plain periodic lines otherwise.
// stop prints a final line for the whole attack, which lasted attack: the
// last tick may be long before the end (or never have come).
func startProgress(o Options, c *Collector, env *environment, total time.Duration, start time.Time) (stop func(attack time.Duration)) {
	if o.Progress == nil {
		return func(time.Duration) {}
	}
	every := o.ProgressEvery
	if every <= 0 {
		every = map[bool]time.Duration{true: time.Second, false: 10 * time.Second}[o.TTY]
	}
	done := make(chan time.Duration)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		var last uint64
		lastAt := start
		pending, pendingAt := int64(-1), time.Time{}
		for {
			select {
			case attack := <-done:
				writeFinal(o, c, env, attack, total)
				return
			case now := <-t.C:
				n := c.live.requests.Load()
				rate := float64(n-last) / now.Sub(lastAt).Seconds()
				last, lastAt = n, now
				if env.receiver != nil && now.Sub(pendingAt) >= 5*time.Second {
					// the receiver's summary walks every message: refresh it rarely
					pending, pendingAt = int64(env.receiver.Delivery().Missing), now
				}
				writeProgress(o.Progress, o.TTY, progressLine(c, pending, liveHead(c, now.Sub(start), total, rate), time.Duration(c.live.p99.Load())))
			}
		}
	}()
	return func(attack time.Duration) { done <- attack; wg.Wait() }
}

// writeFinal prints the last line: the whole attack's requests, its rate
// and p99 (the collector is closed by then), and the DLRs still pending.
func writeFinal(o Options, c *Collector, env *environment, attack, total time.Duration) {
	pending := int64(-1)
	if env.receiver != nil {
		pending = int64(env.receiver.Delivery().Missing)
	}
	head := fmt.Sprintf("load %s/%s  %7.0f req/s", attack.Round(time.Second), total.Round(time.Second), c.Metrics.Rate)
	writeProgress(o.Progress, o.TTY, progressLine(c, pending, head, c.Metrics.Latencies.P99)+"  done")
	if o.TTY {
		fmt.Fprintln(o.Progress)
	}
}

func writeProgress(w io.Writer, tty bool, line string) {
	if tty {
		fmt.Fprintf(w, "\r\033[K%s", line)
		return
	}
	fmt.Fprintln(w, line)
}

// liveHead is elapsed/total and the current rate or, once the attack is
// over, the phase the run is in.
func liveHead(c *Collector, elapsed, total time.Duration, rate float64) string {
	if ph := c.live.phase.Load(); ph != nil {
		return "load: " + *ph
	}
	return fmt.Sprintf("load %s/%s  %7.0f req/s", elapsed.Round(time.Second), total.Round(time.Second), rate)
}

// progressLine is head, then requests, success, p99, 429s and DLRs
// pending (-1: no receiver).
func progressLine(c *Collector, pending int64, head string, p99 time.Duration) string {
	n, ok := c.live.requests.Load(), c.live.ok.Load()
	succ := 0.0
	if n > 0 {
		succ = float64(ok) / float64(n) * 100
	}
	line := fmt.Sprintf("%s  %d requests  success %.2f%%  p99 %s  429s %d", head, n, succ,
		p99.Round(10*time.Microsecond), c.live.limited.Load())
	if pending >= 0 {
		line += fmt.Sprintf("  DLRs pending %d", pending)
	}
	return line
}
