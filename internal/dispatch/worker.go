package dispatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxDrain is how much of a response body is read so the connection can be
// reused; longer bodies cost a new connection instead.
const maxDrain = 64 << 10

// work is one of the Workers goroutines.
func (d *Dispatcher) work() {
	defer d.wg.Done()
	for {
		select {
		case it := <-d.ready:
			d.attempt(it)
		case <-d.stop:
			return
		}
	}
}

// schedule moves backing-off items to the ready queue when they are due.
func (d *Dispatcher) schedule() {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		now := d.cfg.Now()
		for it := d.timers.popDue(now); it != nil; it = d.timers.popDue(now) {
			d.ready <- it
		}
		var timer <-chan time.Time
		if len(d.timers) > 0 {
			timer = d.cfg.After(d.timers[0].due.Sub(now))
		}
		d.mu.Unlock()
		select {
		case <-timer:
		case <-d.wake:
		case <-d.stop:
			return
		}
	}
}

// outcome is the result of one attempt.
type outcome struct {
	status     int
	retryAfter time.Duration // from a 429/503 Retry-After, -1 when absent
	err        error
}

func (o outcome) ok() bool { return o.err == nil && o.status >= 200 && o.status < 300 }

// attempt makes one HTTP attempt for it and then delivers, retries or gives
// up.
func (d *Dispatcher) attempt(it *item) {
	d.mu.Lock()
	d.inFlight++
	it.kind.Attempts++
	it.attempt++
	d.mu.Unlock()

	out := d.send(it)

	d.mu.Lock()
	d.inFlight--
	if !out.ok() && d.runCtx.Err() != nil {
		// Hard stop: the attempt was cancelled; it stays undelivered.
		d.mu.Unlock()
		return
	}
	// Once it is back in the ready queue another worker may own it, so
	// what the log needs is read now.
	ev := attemptEvent{key: it.key, kind: it.kind.name, url: it.target.log, attempt: it.attempt, out: out}
	report, last := it.report, out.ok() || it.attempt >= d.cfg.MaxAttempts
	switch {
	case out.ok():
		it.kind.Delivered++
		d.finish(it)
	case it.attempt >= d.cfg.MaxAttempts:
		it.kind.GivenUp++
		ev.gaveUp = true
		d.finish(it)
	default:
		it.kind.Retried++
		ev.wait = d.backoff(it.attempt, out.retryAfter)
		it.due = d.cfg.Now().Add(ev.wait)
		if d.timers.push(it) {
			select {
			case d.wake <- struct{}{}:
			default:
			}
		}
	}
	d.mu.Unlock()
	d.logAttempt(ev)
	if report != nil {
		report(out.status, out.err, last)
	}
}

// send makes the HTTP request. The response body is drained (up to
// maxDrain) so the keep-alive connection goes back to the pool.
func (d *Dispatcher) send(it *item) outcome {
	ctx, cancel := context.WithTimeout(d.runCtx, d.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, it.target.url, bytes.NewReader(it.body))
	if err != nil {
		return outcome{retryAfter: -1, err: err}
	}
	// Shared read-only: neither Client (no Jar, no userinfo) nor
	// Transport modifies a request's header.
	req.Header = it.header
	if it.sign != nil {
		name, value := it.sign(it.body, d.cfg.Now())
		req.Header = it.header.Clone()
		req.Header.Set(name, value)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && d.runCtx.Err() == nil {
			err = fmt.Errorf("timeout after %v: %w", d.cfg.Timeout, err)
		}
		return outcome{retryAfter: -1, err: err}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	_ = resp.Body.Close()
	out := outcome{status: resp.StatusCode, retryAfter: -1}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		out.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), d.cfg.Now())
	}
	return out
}

// backoff is the wait before the retry that follows attempt n (1-based):
// InitialBackoff·2^(n-1) capped at MaxBackoff, with equal jitter (half the
// step plus a random share of the other half). A receiver's Retry-After
// replaces it, capped at MaxBackoff. Callers hold d.mu (rng).
func (d *Dispatcher) backoff(n int, retryAfter time.Duration) time.Duration {
	if len(d.cfg.Schedule) > 0 {
		return d.cfg.Schedule[min(n, len(d.cfg.Schedule))-1]
	}
	if retryAfter >= 0 {
		return min(retryAfter, d.cfg.MaxBackoff)
	}
	step := d.cfg.MaxBackoff
	if n-1 < 62 && d.cfg.InitialBackoff <= d.cfg.MaxBackoff>>(n-1) {
		step = d.cfg.InitialBackoff << (n - 1)
	}
	half := step / 2
	return half + time.Duration(d.rng.Int64N(int64(step-half)+1))
}

// parseRetryAfter reads delay-seconds or an HTTP date; -1 when absent or
// unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return -1
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return -1
		}
		return time.Duration(min(secs, int64(365*24*3600))) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return -1
}
