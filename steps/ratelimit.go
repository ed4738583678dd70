package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// maxBurst bounds a burst, whatever limit the target advertises.
const maxBurst = 600

// burstPastLimit reads the advertised limit (Modica: X-RateLimit-Limit)
// from a health check, then sends three times that many health checks at
// once. Every answer is validated; each is read up to maxBurstBody, so the
// burst's memory is bounded. A vendor that advertises no limit, or has no
// health check to burst with, skips it with the reason.
func (s *Scenario) burstPastLimit(ctx context.Context) error {
	header, err := s.limitHeader()
	if err != nil {
		return err
	}
	if err := s.getHealth(ctx); err != nil {
		return err
	}
	limit, err := strconv.Atoi(s.last.header.Get(header))
	if err != nil || limit <= 0 {
		return expected(fmt.Sprintf("%s %s header %s", s.last.method, s.last.path, header), "a positive integer to burst past", show(s.last.header.Get(header)))
	}
	health := s.env.Dialect.(dialect.HealthChecker).HealthRequest()
	n := min(3*limit, maxBurst)
	s.burst = make([]*response, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s.burst[i], errs[i] = s.send(ctx, maxBurstBody, health)
		}()
	}
	close(start)
	wg.Wait()
	return firstErrors(errs, 5)
}

// firstErrors joins up to max distinct errors and says how many more.
func firstErrors(errs []error, max int) error {
	seen := map[string]bool{}
	var out []error
	more := 0
	for _, e := range errs {
		if e == nil || seen[e.Error()] {
			continue
		}
		seen[e.Error()] = true
		if len(out) < max {
			out = append(out, e)
		} else {
			more++
		}
	}
	if more > 0 {
		out = append(out, fmt.Errorf("… and %d more", more))
	}
	return errors.Join(out...)
}

func (s *Scenario) burstWith(status int) []*response {
	var out []*response
	for _, r := range s.burst {
		if r != nil && r.status == status {
			out = append(out, r)
		}
	}
	return out
}

func (s *Scenario) some429() error {
	if len(s.burst) == 0 {
		return fmt.Errorf("no burst yet: a burst step must come first")
	}
	if len(s.burstWith(http.StatusTooManyRequests)) == 0 {
		return expected(fmt.Sprintf("%d requests at once", len(s.burst)), "some 429 Too Many Requests", "none: "+s.burstStatuses())
	}
	return nil
}

func (s *Scenario) burstStatuses() string {
	count := map[int]int{}
	for _, r := range s.burst {
		if r != nil {
			count[r.status]++
		}
	}
	var parts []string
	for code, n := range count {
		parts = append(parts, fmt.Sprintf("%d×%d", n, code))
	}
	return strings.Join(parts, ", ")
}

func (s *Scenario) every429Header(name string, lo, hi int) error {
	for _, r := range s.burstWith(http.StatusTooManyRequests) {
		if err := headerInt(r, name, lo, hi); err != nil {
			return err
		}
	}
	return nil
}

// limitHeader is the vendor's advertised-limit header, or a skip saying
// it advertises none.
func (s *Scenario) limitHeader() (string, error) {
	h := s.env.Dialect.RateLimit().LimitHeader
	if h == "" {
		return "", fmt.Errorf("%w: %s advertises no rate limit", godog.ErrSkip, s.env.Dialect.Info().Name)
	}
	return h, nil
}

// everyResponseAdvertisesLimit checks the last response carries the
// advertised limit, within the spec's bounds.
func (s *Scenario) everyResponseAdvertisesLimit() error {
	header, err := s.limitHeader()
	if err != nil {
		return err
	}
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	hi := s.env.Dialect.RateLimit().LimitMax
	if hi == 0 {
		hi = 1 << 30
	}
	return headerInt(r, header, 0, hi)
}

// every429RetryAfterInBounds checks every 429 of the burst has a
// Retry-After within the vendor's bounds (a vendor that promises none
// skips).
func (s *Scenario) every429RetryAfterInBounds() error {
	b := s.env.Dialect.RateLimit().RetryAfter
	if b == nil {
		return fmt.Errorf("%w: %s promises no Retry-After", godog.ErrSkip, s.env.Dialect.Info().Name)
	}
	return s.every429Header("Retry-After", b.Min, b.Max)
}

func (s *Scenario) every429ErrorBody() error {
	for _, r := range s.burstWith(http.StatusTooManyRequests) {
		if err := errorBody(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *Scenario) no5XX() error {
	for _, r := range s.burst {
		if r != nil && r.status >= 500 {
			return expected("burst answers", "no 5XX", fmt.Sprintf("%d %s", r.status, show(string(r.body))))
		}
	}
	return nil
}

// waitRetryAfter waits the Retry-After of the first 429 of the burst.
func (s *Scenario) waitRetryAfter(ctx context.Context) error {
	limited := s.burstWith(http.StatusTooManyRequests)
	if len(limited) == 0 {
		return fmt.Errorf("no 429 in the burst to take Retry-After from")
	}
	secs, err := strconv.Atoi(limited[0].header.Get("Retry-After"))
	if err != nil || secs < 0 {
		return expected("429 header Retry-After", "a number of seconds", show(limited[0].header.Get("Retry-After")))
	}
	t := time.NewTimer(time.Duration(secs) * time.Second)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting %d s as Retry-After said: %w", secs, ctx.Err())
	}
}
