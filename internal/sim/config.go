package sim

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/internal/netguard"
)

// Default credentials of the simulator (documented in docs/simulator.md).
const (
	DefaultUser     = "wabcheck"
	DefaultPassword = "wabcheck"
)

// Config configures a Server. Start from DefaultConfig and override fields;
// New calls Validate.
type Config struct {
	// User and Password are the HTTP Basic credentials every request (vendor
	// and admin API) must carry.
	User, Password string

	// RateLimit is the per-credential token-bucket rate in requests per
	// second, advertised in X-RateLimit-Limit; 0 switches limiting off. It
	// cannot exceed the maximum the spec allows for X-RateLimit-Limit (100).
	RateLimit int
	// RateBurst is the bucket size; 0 means one second's worth (RateLimit).
	RateBurst int

	// StatusCallbackURL and ReplyCallbackURL are the account's DLR and MO
	// callback URLs; empty means no callbacks of that kind. They may carry
	// URL-encoded basic-auth credentials and may be https.
	StatusCallbackURL, ReplyCallbackURL string
	// AllowMetadataCallbacks lets callback URLs (configuration and admin
	// API) name a link-local or cloud metadata host, and lets deliveries
	// connect to such an address (see netguard). Off, both are refused: a
	// simulator reachable with its published default credentials would
	// otherwise post to 169.254.169.254 for anyone who asked.
	AllowMetadataCallbacks bool
	// AllowRemote lets Serve listen beyond loopback with the published
	// default password (see CheckExposure).
	AllowRemote bool
	// CallbackTLS is the TLS configuration for https callback URLs (for
	// example from dispatch.LoadCA); nil means the system roots.
	CallbackTLS *tls.Config
	// CallbackWorkers bounds concurrent callback deliveries.
	CallbackWorkers int
	// CallbackQueue bounds callbacks waiting for delivery; when full the
	// lifecycle scheduler waits (backpressure).
	CallbackQueue int
	// CallbackMaxAttempts is how often one callback is tried before it is
	// given up.
	CallbackMaxAttempts int
	// CallbackBackoff and CallbackMaxBackoff bound the exponential backoff
	// between attempts.
	CallbackBackoff, CallbackMaxBackoff time.Duration
	// CallbackTimeout bounds one delivery attempt.
	CallbackTimeout time.Duration

	// Lifecycle sets the timing of status changes.
	Lifecycle Lifecycle
	// DLRStatuses lists the statuses posted as DLRs; nil means every status
	// except accepted (which is the 202 itself).
	DLRStatuses []string

	// ReadRatio is the share of delivered messages the simulated recipient
	// reads; FailRatio, RejectRatio and ExpireRatio are the shares of
	// ordinary messages that end failed, rejected or expired.
	ReadRatio, FailRatio, RejectRatio, ExpireRatio float64
	// Seed seeds every random choice (ratios, faults, jitter); 0 picks one.
	Seed uint64

	// Faults are the vendor defects switched on at start (see Faults).
	Faults []FaultSetting
	// LatencySpike is how long the latency-spike fault delays a response.
	LatencySpike time.Duration
	// LateDLRDelay is how long the dlr-late fault holds back a terminal DLR.
	LateDLRDelay time.Duration
	// ErrorBurst is how many consecutive requests server-error-burst fails.
	ErrorBurst int

	// MessageTTL is how long a message that reached its final status stays
	// queryable; a sweep then removes it. Messages still in flight never
	// expire.
	MessageTTL time.Duration
	// MaxMessages bounds the messages held at once; beyond it POST answers
	// 429 until the sweep frees room.
	MaxMessages int
	// MaxMediaBytes bounds the uploaded media held at once; the oldest is
	// evicted first.
	MaxMediaBytes int64
	// MaxBodyBytes bounds a request body (413 beyond).
	MaxBodyBytes int64
	// MaxScheduleAhead is how far ahead `scheduled` may be (spec: 60 days).
	MaxScheduleAhead time.Duration

	// BusinessNumber is the business number id reported in message details
	// and as destination of MO messages.
	BusinessNumber string
	// ApplicationID is reported as application_id in message details.
	ApplicationID string

	// Now is the clock (tests inject one); nil means time.Now.
	Now func() time.Time
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Lifecycle is the timing of a message's status changes. Each step waits
// its delay plus a uniformly random jitter in [0, Jitter).
type Lifecycle struct {
	// Submit is accepted → submitted (or the first failure status).
	Submit time.Duration `json:"submit"`
	// Send is submitted → sent (and submitted → frozen → sent).
	Send time.Duration `json:"send"`
	// Deliver is sent → received.
	Deliver time.Duration `json:"deliver"`
	// Read is received → read, for messages the recipient reads.
	Read time.Duration `json:"read"`
	// Jitter is added to each step, uniformly in [0, Jitter).
	Jitter time.Duration `json:"jitter"`
}

// DefaultLifecycle is fast enough for tests and demos: a message is
// received about 100 ms after it was accepted.
func DefaultLifecycle() Lifecycle {
	return Lifecycle{Submit: 20 * time.Millisecond, Send: 30 * time.Millisecond,
		Deliver: 50 * time.Millisecond, Read: 100 * time.Millisecond, Jitter: 20 * time.Millisecond}
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		User: DefaultUser, Password: DefaultPassword,
		RateLimit:           100,
		CallbackWorkers:     16,
		CallbackQueue:       65536,
		CallbackMaxAttempts: 8,
		CallbackBackoff:     100 * time.Millisecond,
		CallbackMaxBackoff:  10 * time.Second,
		CallbackTimeout:     5 * time.Second,
		Lifecycle:           DefaultLifecycle(),
		Seed:                0,
		LatencySpike:        2 * time.Second,
		LateDLRDelay:        35 * time.Second,
		ErrorBurst:          5,
		MessageTTL:          10 * time.Minute,
		MaxMessages:         2_000_000,
		MaxMediaBytes:       256 << 20,
		MaxBodyBytes:        2 << 20,
		MaxScheduleAhead:    60 * 24 * time.Hour,
		BusinessNumber:      "102046588645210",
		ApplicationID:       "wabcheck_sim",
	}
}

// Validate reports the first bad field by name.
func (c Config) Validate() error {
	checks := []struct {
		bad   bool
		field string
		why   string
	}{
		{c.User == "", "User", "must not be empty"},
		{c.Password == "", "Password", "must not be empty"},
		{c.RateLimit < 0, "RateLimit", "must be >= 0 (0 switches rate limiting off)"},
		{c.RateBurst < 0, "RateBurst", "must be >= 0"},
		{c.CallbackWorkers < 1, "CallbackWorkers", "must be >= 1"},
		{c.CallbackQueue < 1, "CallbackQueue", "must be >= 1"},
		{c.CallbackMaxAttempts < 1, "CallbackMaxAttempts", "must be >= 1"},
		{c.CallbackBackoff <= 0, "CallbackBackoff", "must be > 0"},
		{c.CallbackMaxBackoff < c.CallbackBackoff, "CallbackMaxBackoff", "must be >= CallbackBackoff"},
		{c.CallbackTimeout <= 0, "CallbackTimeout", "must be > 0"},
		{c.ErrorBurst < 1, "ErrorBurst", "must be >= 1"},
		{c.LatencySpike < 0, "LatencySpike", "must be >= 0"},
		{c.LateDLRDelay < 0, "LateDLRDelay", "must be >= 0"},
		{c.MessageTTL <= 0, "MessageTTL", "must be > 0"},
		{c.MaxMessages < 1, "MaxMessages", "must be >= 1"},
		{c.MaxMediaBytes < 1, "MaxMediaBytes", "must be >= 1"},
		{c.MaxBodyBytes < 1024, "MaxBodyBytes", "must be >= 1024"},
		{c.MaxScheduleAhead <= 0, "MaxScheduleAhead", "must be > 0"},
	}
	for _, ch := range checks {
		if ch.bad {
			return fmt.Errorf("sim config: %s %s", ch.field, ch.why)
		}
	}
	if err := c.Lifecycle.Validate(); err != nil {
		return err
	}
	if err := c.validateRatios(); err != nil {
		return err
	}
	for _, u := range []struct{ field, v string }{{"StatusCallbackURL", c.StatusCallbackURL}, {"ReplyCallbackURL", c.ReplyCallbackURL}} {
		if err := checkCallbackURL(u.v, c.AllowMetadataCallbacks); err != nil {
			return fmt.Errorf("sim config: %s: %w", u.field, err)
		}
	}
	for _, s := range c.DLRStatuses {
		if !dlrStatusKnown(s) {
			return fmt.Errorf("sim config: DLRStatuses: %q is not a StatusCallback status", s)
		}
	}
	for i, f := range c.Faults {
		if err := f.check(); err != nil {
			return fmt.Errorf("sim config: Faults[%d]: %w", i, err)
		}
	}
	return nil
}

func (c Config) validateRatios() error {
	ratios := []struct {
		field string
		v     float64
	}{{"ReadRatio", c.ReadRatio}, {"FailRatio", c.FailRatio}, {"RejectRatio", c.RejectRatio}, {"ExpireRatio", c.ExpireRatio}}
	for _, r := range ratios {
		if finite.Check(r.v) != nil || r.v < 0 || r.v > 1 {
			return fmt.Errorf("sim config: %s %v must be within [0, 1]", r.field, r.v)
		}
	}
	if sum := c.FailRatio + c.RejectRatio + c.ExpireRatio; sum > 1 {
		return fmt.Errorf("sim config: FailRatio+RejectRatio+ExpireRatio is %v; must be <= 1", sum)
	}
	return nil
}

// Validate reports the first negative delay by name.
func (l Lifecycle) Validate() error {
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"Submit", l.Submit}, {"Send", l.Send}, {"Deliver", l.Deliver}, {"Read", l.Read}, {"Jitter", l.Jitter}} {
		if d.v < 0 {
			return fmt.Errorf("sim config: Lifecycle.%s %v must be >= 0", d.field, d.v)
		}
	}
	return nil
}

// checkCallbackURL accepts "" (no callbacks) or an absolute http(s) URL
// that passes netguard.CheckURL: no control characters (raw or
// percent-encoded), a port within 1–65535 and, unless allowMetadata, no
// link-local or metadata host.
func checkCallbackURL(raw string, allowMetadata bool) error {
	if raw == "" {
		return nil
	}
	return netguard.CheckURL(raw, allowMetadata)
}
