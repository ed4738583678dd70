package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// PositiveMode says which positive cases may run against a real target.
type PositiveMode string

// The positive modes.
const (
	// PositiveNone runs no positive case.
	PositiveNone PositiveMode = "none"
	// PositiveSafe (the default) runs, against a real target, positive
	// cases of read-only operations, of sends whose recipients are the
	// --to numbers, and links from those; other writes need PositiveAll.
	PositiveSafe PositiveMode = "safe"
	// PositiveAll also runs positive cases of operations that change the
	// account (uploads, sources) and undeclared-method cases. Sends still
	// go to the --to numbers only.
	PositiveAll PositiveMode = "all"
)

// Options configures a probe run. Start from DefaultOptions.
type Options struct {
	// Doc is the spec, errata applied; Validator is built from it once
	// (nil: Run builds it).
	Doc       *spec.Doc
	Validator *validate.Validator
	// Dialect is the vendor's: its sends, links and receipts when it is a
	// dialect.Explorer. Auth puts the target's credentials on requests.
	Dialect dialect.Dialect
	Auth    dialect.Auth
	// BaseURL is the target's API base URL; its path is the base path the
	// spec's paths are appended to.
	BaseURL string
	// Target names the target in reports (credentials redacted); BaseURL
	// when empty.
	Target string
	// Simulated is true when the target is wabcheck's own simulator: no
	// real message can be sent, so every positive case runs and
	// recipients are the generated ones.
	Simulated bool
	// Client sends the requests; nil means NewClient(Timeout).
	Client *http.Client
	// Timeout bounds one request.
	Timeout time.Duration
	// Seed makes generation deterministic: the same seed, spec and options
	// give the same cases.
	Seed uint64
	// MaxCases bounds the cases sent (examples, coverage, fuzzing and
	// stateful together); shrinking adds at most MaxShrink requests per
	// finding.
	MaxCases int
	// MaxShrink bounds the requests spent shrinking one finding.
	MaxShrink int
	// Operations limits the run to these operationIds (empty: all).
	Operations []string
	// Serves, when set, says which operations the target implements (the
	// in-process simulator of a vendor whose wire covers part of its
	// spec); the others are left out, and the result says so.
	Serves func(method, path string) bool
	// Positive selects the positive cases against a real target.
	Positive PositiveMode
	// To are the numbers sends to a real target go to.
	To []string
	// From is the business number sends to a real target come from, for
	// a dialect whose sends name one (dialect.SenderFielder).
	From string
	// MaxLatency is the latency budget of every answer (0: unchecked).
	MaxLatency time.Duration
	// Concurrency is how many requests are in flight at once.
	Concurrency int
	// Receiver, when set, receives the target's delivery receipts: the
	// first FollowReceipts accepted sends are followed to a final status
	// (the Dialect must be a dialect.Explorer).
	Receiver       *callbacks.Receiver
	FollowReceipts int
	ReceiptTimeout time.Duration
	// MaxRetryAfter bounds how long a 429 answer's Retry-After is honoured
	// before the case is counted as rate-limited.
	MaxRetryAfter time.Duration
	// Now is the clock (latency, generated date-times); Sleep waits for
	// Retry-After. Tests inject both.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Progress receives one line per phase; nil discards.
	Progress io.Writer
}

// DefaultOptions are the defaults for a real target; the CLI tightens the
// timings for the in-process simulator.
func DefaultOptions() Options {
	return Options{Timeout: 30 * time.Second, Seed: 1, MaxCases: 500, MaxShrink: 16, Positive: PositiveSafe,
		MaxLatency: 5 * time.Second, Concurrency: 4, FollowReceipts: 5, ReceiptTimeout: 60 * time.Second,
		MaxRetryAfter: 30 * time.Second}
}

// Validate reports the first bad option, named by its flag.
func (o Options) Validate() error {
	switch {
	case o.Doc == nil:
		return errors.New("probe: no spec (--spec)")
	case o.Dialect == nil || o.Auth == nil:
		return errors.New("probe: no dialect or credentials")
	case o.MaxCases < 1:
		return fmt.Errorf("--max-cases %d: must be >= 1", o.MaxCases)
	case o.Concurrency < 1:
		return fmt.Errorf("--concurrency %d: must be >= 1", o.Concurrency)
	case o.Timeout <= 0:
		return fmt.Errorf("--timeout %v: must be > 0", o.Timeout)
	case o.MaxLatency < 0:
		return fmt.Errorf("--max-latency %v: must be >= 0 (0: unchecked)", o.MaxLatency)
	}
	if o.Positive != PositiveNone && o.Positive != PositiveSafe && o.Positive != PositiveAll {
		return fmt.Errorf("--positive %q: want none, safe or all", o.Positive)
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--target %q: want an absolute http(s) URL such as https://api.vendor.example/rest/wab/v1", o.BaseURL)
	}
	if u.User != nil {
		return errors.New("--target: put credentials in --user/--password or WABCHECK_USER/WABCHECK_PASSWORD, not in the URL")
	}
	return o.checkOperations()
}

// checkOperations names the first --operations entry the spec lacks.
func (o Options) checkOperations() error {
	known := map[string]bool{}
	var ids []string
	for _, op := range operations(o.Doc) {
		known[op.id] = true
		ids = append(ids, op.id)
	}
	for _, id := range o.Operations {
		if !known[id] {
			return fmt.Errorf("--operations %q: no such operationId in the spec (known: %s)", id, strings.Join(ids, ", "))
		}
	}
	return nil
}

// NewClient is the probe's HTTP client: it never follows redirects (a
// redirect is an answer to check, and following one could send
// credentials elsewhere).
func NewClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// resolve fills defaults the caller left zero.
func (o Options) resolve() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Client == nil {
		o.Client = NewClient(o.Timeout)
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Target == "" {
		o.Target = o.BaseURL
	}
	o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
	return o
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
