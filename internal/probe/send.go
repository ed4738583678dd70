package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// maxAnswer bounds how much of an answer body is read.
const maxAnswer = 8 << 20

// maxRetries is how often a 429 is retried after its Retry-After.
const maxRetries = 2

// exchange is one case sent and what came back.
type exchange struct {
	c       *Case
	method  string
	url     string
	reqHdr  http.Header // as sent, credentials included: redact before storing
	reqBody []byte
	status  int
	header  http.Header
	answer  []byte
	dur     time.Duration
	err     error
	limited bool     // still 429 after the retries
	ids     []string // message ids of an accepted send, registered with the receiver (expect)
}

// sendAll sends cases with bounded concurrency; the result has one
// exchange per case, in case order.
func (r *runner) sendAll(ctx context.Context, cases []*Case) []*exchange {
	out := make([]*exchange, len(cases))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range r.o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i] = r.send(ctx, cases[i])
				r.expect(out[i])
			}
		}()
	}
	for i := range cases {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

// expect registers an accepted send's message ids with the receiver as
// soon as the answer is in, so their receipts are kept for them: left until
// every case was sent, they competed with the receipts of thousands of
// other messages (1000-destination broadcasts) for the receiver's bounded
// table of ids not yet expected, and a followed message could lose its
// final receipt there.
func (r *runner) expect(x *exchange) {
	ex, ok := r.o.Dialect.(dialect.Explorer)
	if !ok || r.o.Receiver == nil || x == nil || x.c.Kind != Positive || x.status/100 != 2 {
		return
	}
	x.ids = ex.MessageIDs(x.c.Operation, x.answer)
	for _, id := range x.ids {
		r.o.Receiver.Expect(id, "", r.o.Now())
	}
}

// send sends one case, retrying a 429 after its Retry-After (bounded).
func (r *runner) send(ctx context.Context, c *Case) *exchange {
	ex := &exchange{c: c, method: c.Method}
	body, ct, err := encode(c)
	if err != nil {
		ex.err = err
		return ex
	}
	ex.reqBody = body
	for attempt := 0; ; attempt++ {
		r.once(ctx, ex, body, ct)
		if ex.err != nil || ex.status != http.StatusTooManyRequests {
			return ex
		}
		wait, ok := retryAfter(ex.header)
		if attempt >= maxRetries || !ok || wait > r.o.MaxRetryAfter || r.o.Sleep(ctx, wait) != nil {
			ex.limited = true
			return ex
		}
	}
}

// once makes one attempt at ex's request.
func (r *runner) once(ctx context.Context, ex *exchange, body []byte, ct string) {
	req, err := request(ctx, r.o.BaseURL, ex.c, body, ct)
	if err != nil {
		ex.err = err
		return
	}
	if err := r.authorize(req, ex.c.auth); err != nil {
		ex.err = err
		return
	}
	ex.url, ex.reqHdr = req.URL.String(), req.Header.Clone()
	start := r.o.Now()
	resp, err := r.o.Client.Do(req)
	if err != nil {
		ex.err, ex.dur = err, r.o.Now().Sub(start)
		return
	}
	defer resp.Body.Close()
	ex.answer, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	ex.dur = r.o.Now().Sub(start)
	ex.status, ex.header = resp.StatusCode, resp.Header
	if err != nil {
		ex.err = fmt.Errorf("read the answer: %w", err)
	}
}

// authorize sets the case's credentials: valid, none, or wrong.
func (r *runner) authorize(req *http.Request, auth int) error {
	switch auth {
	case authValid:
		return dialect.Authorize(req.Context(), r.o.Auth, req)
	case authWrong:
		r.o.authorizeWrong(req)
	}
	for _, h := range r.o.Auth.Headers() {
		if auth == authMissing {
			req.Header.Del(h)
		}
	}
	return nil
}

// retryAfter reads Retry-After in seconds.
func retryAfter(h http.Header) (time.Duration, bool) {
	s := h.Get("Retry-After")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// preflight makes sure the target answers at all and credentials can be
// set, so a dead target or a missing password is one clear error, not a
// finding per case.
func (r *runner) preflight(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.o.BaseURL+"/", nil)
	if err != nil {
		return fmt.Errorf("--target %s: %w", r.o.Target, err)
	}
	if err := dialect.Authorize(req.Context(), r.o.Auth, req); err != nil {
		return err
	}
	resp, err := r.o.Client.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return fmt.Errorf("--target %s: no answer within %v", r.o.Target, r.o.Timeout)
		}
		return fmt.Errorf("--target %s: %w", r.o.Target, errors.Unwrap(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	return resp.Body.Close()
}
