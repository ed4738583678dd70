package load

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// startProgress prints the live progress line until the returned stop is
// called: rewritten in place (\r) on a TTY, plain periodic lines otherwise.
func startProgress(o Options, c *Collector, env *environment, total time.Duration, start time.Time) (stop func()) {
	if o.Progress == nil {
		return func() {}
	}
	every := o.ProgressEvery
	if every <= 0 {
		every = map[bool]time.Duration{true: time.Second, false: 10 * time.Second}[o.TTY]
	}
	done := make(chan struct{})
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
			case <-done:
				if o.TTY {
					fmt.Fprintln(o.Progress)
				}
				return
			case now := <-t.C:
				n := c.live.requests.Load()
				rate := float64(n-last) / now.Sub(lastAt).Seconds()
				last, lastAt = n, now
				if env.receiver != nil && now.Sub(pendingAt) >= 5*time.Second {
					// the receiver's summary walks every message: refresh it rarely
					pending, pendingAt = int64(env.receiver.Delivery().Missing), now
				}
				writeProgress(o.Progress, o.TTY, progressLine(c, pending, now.Sub(start), total, rate))
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func writeProgress(w io.Writer, tty bool, line string) {
	if tty {
		fmt.Fprintf(w, "\r\033[K%s", line)
		return
	}
	fmt.Fprintln(w, line)
}

// progressLine is elapsed/total and current rate (or, once the attack is
// over, the phase the run is in), success, p99 of the last second, 429s
// and DLRs pending (-1: no receiver).
func progressLine(c *Collector, pending int64, elapsed, total time.Duration, rate float64) string {
	n, ok := c.live.requests.Load(), c.live.ok.Load()
	succ := 0.0
	if n > 0 {
		succ = float64(ok) / float64(n) * 100
	}
	head := fmt.Sprintf("load %s/%s  %7.0f req/s", elapsed.Round(time.Second), total.Round(time.Second), rate)
	if ph := c.live.phase.Load(); ph != nil {
		head = "load: " + *ph
	}
	line := fmt.Sprintf("%s  %d requests  success %.2f%%  p99 %s  429s %d", head, n, succ,
		time.Duration(c.live.p99.Load()).Round(10*time.Microsecond), c.live.limited.Load())
	if pending >= 0 {
		line += fmt.Sprintf("  DLRs pending %d", pending)
	}
	return line
}
