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
)

// maxBurst bounds a burst, whatever limit the target advertises.
const maxBurst = 600

// burstPastLimit reads X-RateLimit-Limit from GET /healthz, then sends
// three times that many GET /healthz at once. Every answer is validated;
// each is read up to maxBurstBody, so the burst's memory is bounded.
func (s *Scenario) burstPastLimit(ctx context.Context) error {
	if err := s.getHealth(ctx); err != nil {
		return err
	}
	limit, err := strconv.Atoi(s.last.header.Get("X-RateLimit-Limit"))
	if err != nil || limit <= 0 {
		return expected("GET /healthz header X-RateLimit-Limit", "a positive integer to burst past", show(s.last.header.Get("X-RateLimit-Limit")))
	}
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
			s.burst[i], errs[i] = s.doLimit(ctx, maxBurstBody, http.MethodGet, "/healthz", "", nil)
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
