package dispatch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/wabcheck/wabcheck/internal/httpc"
)

// Config configures a Dispatcher. Start from DefaultConfig.
type Config struct {
	// Workers is the number of deliveries in flight at once (default 64).
	Workers int
	// QueueSize bounds the deliveries accepted but not yet finished, in
	// flight and backing off included (default 100000). When it is reached,
	// Enqueue blocks and TryEnqueue drops.
	QueueSize int
	// MaxAttempts is the number of attempts per delivery, the first
	// included (default 8); after that the delivery is given up.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry (default 200ms); it
	// doubles on every further retry, with jitter, up to MaxBackoff.
	InitialBackoff time.Duration
	// MaxBackoff caps a backoff step and a receiver's Retry-After
	// (default 30s).
	MaxBackoff time.Duration
	// Schedule, when set, is the vendor's retry schedule: the wait before
	// retry n is Schedule[n-1] (the last entry repeats), instead of the
	// exponential backoff; a receiver's Retry-After is not honoured.
	Schedule []time.Duration
	// Timeout bounds one attempt (default 5s); a timeout is a failure and is
	// retried.
	Timeout time.Duration
	// TLS is used for https callback URLs (see LoadCA). Nil means the
	// system roots.
	TLS *tls.Config
	// Client overrides the HTTP client (tests). When nil, the Dispatcher
	// builds one with a transport tuned for Workers connections per host.
	// Either way no redirect is followed (a copy of Client is made to
	// follow none): a 3xx is a failed attempt, never a hop that would carry
	// the callback URL's credentials to another host.
	Client *http.Client
	// DialControl, when set, is the Control hook of the built client's
	// dialer (see dial.go): it sees every resolved address before the
	// connection is made and may refuse it. Unused with Client.
	DialControl func(network, address string, c syscall.RawConn) error
	// Now and After are the backoff clock (tests inject a fake one). Nil
	// means time.Now and time.After.
	Now   func() time.Time
	After func(d time.Duration) <-chan time.Time
	// Seed seeds the backoff jitter; 0 means a seed from the clock.
	Seed uint64
	// Logger receives attempt failures (Debug), give-ups (Warn) and the
	// Close summary. Nil discards.
	Logger *slog.Logger
	// UserAgent is sent on every attempt ("wabcheck-sim/<version>").
	UserAgent string
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Workers:        64,
		QueueSize:      100000,
		MaxAttempts:    8,
		InitialBackoff: 200 * time.Millisecond,
		MaxBackoff:     30 * time.Second,
		Timeout:        5 * time.Second,
		Now:            time.Now,
		After:          time.After,
		Logger:         slog.New(slog.DiscardHandler),
		UserAgent:      "wabcheck-sim/dev",
	}
}

// Validate reports the first invalid field by name.
func (c Config) Validate() error {
	switch {
	case c.Workers <= 0:
		return errors.New("dispatch: Workers must be > 0")
	case c.QueueSize <= 0:
		return errors.New("dispatch: QueueSize must be > 0")
	case c.MaxAttempts <= 0:
		return errors.New("dispatch: MaxAttempts must be > 0")
	case c.InitialBackoff <= 0:
		return errors.New("dispatch: InitialBackoff must be > 0")
	case c.MaxBackoff < c.InitialBackoff:
		return fmt.Errorf("dispatch: MaxBackoff (%v) must be >= InitialBackoff (%v)", c.MaxBackoff, c.InitialBackoff)
	case c.Timeout <= 0:
		return errors.New("dispatch: Timeout must be > 0")
	}
	return nil
}

// withDefaults fills the optional function and text fields left nil/empty.
func (c Config) withDefaults() Config {
	def := DefaultConfig()
	if c.Now == nil {
		c.Now = def.Now
	}
	if c.After == nil {
		c.After = def.After
	}
	if c.Logger == nil {
		c.Logger = def.Logger
	}
	if c.UserAgent == "" {
		c.UserAgent = def.UserAgent
	}
	if c.Seed == 0 {
		c.Seed = uint64(c.Now().UnixNano())
	}
	return c
}

// LoadCA reads a PEM file of CA certificates (the simulator's
// --callback-ca) and returns a TLS config that trusts them in addition to
// the system roots.
func LoadCA(path string) (*tls.Config, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dispatch: callback CA file %s: %w", path, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("dispatch: callback CA file %s: no PEM certificate found", path)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// newClient builds the default client: keep-alive, MaxIdleConnsPerHost equal
// to Workers (the stock transport keeps 2, which would force a new
// connection for almost every callback), no redirects.
func newClient(c Config) (*http.Client, *http.Transport) {
	tr := &http.Transport{
		Proxy:                 nil, // callbacks go straight to the receiver
		DialContext:           c.dialer().DialContext,
		MaxIdleConns:          max(100, 2*c.Workers),
		MaxIdleConnsPerHost:   c.Workers,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   c.Timeout,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     true,
	}
	if c.TLS != nil {
		tr.TLSClientConfig = c.TLS.Clone()
	}
	client := httpc.New(0)
	client.Transport = tr
	return client, tr
}
