package steps

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Env is what every scenario of a run shares: the target, one HTTP client,
// the validator and the callback receiver. Build it once per run; it is
// safe for concurrent use by many scenarios.
type Env struct {
	// Dialect is the vendor's API: how requests are built and answers,
	// callbacks and statuses are read.
	Dialect dialect.Dialect
	// BaseURL is the API base URL including its base path
	// ("http://127.0.0.1:8080/rest/wab/v1"), without credentials.
	BaseURL string
	// Auth puts the target's credentials on requests (and the
	// simulator's on admin API calls).
	Auth dialect.Auth
	// From is the business number to send from ("" for the dialect's
	// default).
	From string
	// AdminURL is the simulator's admin API root ("http://…/_sim"); empty
	// against a real target (then @sim-only steps fail).
	AdminURL string
	// To lists the test destinations: To[0] for single sends; broadcasts
	// cycle through them unless Simulated, where numbers are generated.
	To []string
	// Simulated is true when the target is the simulator.
	Simulated bool
	// BusinessNumber is shown to a person in @assisted steps.
	BusinessNumber string

	// Client makes every request; its Timeout bounds each one. Whatever
	// its CheckRedirect, steps never follow a redirect (httpc.NoRedirects):
	// a 3xx is the target's answer, judged like any other.
	Client *http.Client
	// Doc is the spec; Validator is built from it once.
	Doc       *spec.Doc
	Validator *validate.Validator
	// Receiver records and validates callbacks.
	Receiver *callbacks.Receiver
	// CallbackAuth, when set, wraps the receiver and checks the credentials
	// carried by the callback URL.
	CallbackAuth *CallbackAuth
	// WebhookURL is the receiver's URL the harness registered with the
	// vendor through its API ("" when the vendor was configured by hand).
	// It may carry credentials: never print it.
	WebhookURL string

	// DLRTimeout bounds the wait for a message's final DLR; ReplyTimeout
	// the wait for a reply callback (assisted: a person has to act).
	DLRTimeout, ReplyTimeout time.Duration
	// Settle is how long to keep listening after a final DLR, to catch
	// duplicates and stragglers.
	Settle time.Duration
	// MaxLatency fails any response slower than it; 0 means no budget.
	MaxLatency time.Duration
	// Prompt receives instructions for the person in @assisted steps.
	Prompt io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	issued   sync.Map // message ids this run got a 2XX for
	patterns sync.Map // step patterns, compiled once (pattern)
	sends    sendTracker

	clientOnce sync.Once
	client     *http.Client // Client, following no redirect

	classesOnce sync.Once
	classes     map[string]map[int]bool // operationId → status classes declared
}

// Validate checks the fields a run cannot do without and names the first
// missing one.
func (e *Env) Validate() error {
	switch {
	case e.BaseURL == "":
		return errors.New("steps: Env.BaseURL is empty")
	case e.Dialect == nil || e.Auth == nil:
		return errors.New("steps: Env.Dialect and Env.Auth are required")
	case e.Client == nil:
		return errors.New("steps: Env.Client is nil")
	case e.Validator == nil || e.Doc == nil:
		return errors.New("steps: Env.Validator and Env.Doc are required")
	case e.Receiver == nil:
		return errors.New("steps: Env.Receiver is nil")
	case len(e.To) == 0:
		return errors.New("steps: Env.To needs at least one test destination")
	case e.DLRTimeout <= 0:
		return errors.New("steps: Env.DLRTimeout must be > 0")
	}
	u, err := url.Parse(e.BaseURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("steps: Env.BaseURL %q is not an absolute URL", e.BaseURL)
	}
	if u.User != nil {
		return errors.New("steps: Env.BaseURL must not carry credentials; set Env.Auth")
	}
	return nil
}

// httpClient is Client made to follow no redirect: a hop would carry the
// target's credentials to wherever Location points.
func (e *Env) httpClient() *http.Client {
	e.clientOnce.Do(func() { e.client = httpc.NoRedirects(e.Client) })
	return e.client
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// markIssued remembers a message id the target accepted.
func (e *Env) markIssued(id string) { e.issued.Store(id, true) }

// Issued reports whether the run got id in an accepted answer.
func (e *Env) Issued(id string) bool {
	_, ok := e.issued.Load(id)
	return ok
}

// destinations returns n test destinations: generated around the
// simulator's ordinary recipient (its last five digits counted from 1)
// when simulated, else e.To cycled.
func (e *Env) destinations(n int) []string {
	out := make([]string, n)
	ordinary := e.Dialect.Info().SimRecipient
	for i := range out {
		if e.Simulated && len(ordinary) > 8 {
			out[i] = fmt.Sprintf("%s%05d", ordinary[:len(ordinary)-5], i+1)
		} else {
			out[i] = e.To[i%len(e.To)]
		}
	}
	return out
}
