package sim

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/internal/netguard"
)

// Default credentials of the simulator (documented in docs/simulator.md):
// a wire uses those of its vendor's scheme.
const (
	DefaultUser     = "wabcheck"
	DefaultPassword = "wabcheck"
	DefaultAPIKey   = "wabcheck-sim-api-key"
)

// Config configures a Server. Start from DefaultConfig and override fields;
// New calls Validate.
type Config struct {
	// User, Password and APIKey are the credentials every request (vendor
	// and admin API) must carry, in the vendor's scheme (the wire uses the
	// ones it needs).
	User, Password, APIKey string

	// RateLimit is the token-bucket rate in requests per second of each
	// rate-limit key the wire names (a credential for Modica, a sender for
	// YCloud); 0 switches limiting off. A wire may bound it (Modica: the
	// spec's X-RateLimit-Limit maximum, 100).
	RateLimit int
	// RateBurst is the bucket size; 0 means one second's worth (RateLimit).
	RateBurst int

	// CallbackURLs are the account's callback URLs by callback kind
	// (Modica: "status" and "reply"), for vendors whose callbacks are
	// configured out of band; a wire whose callbacks are registered
	// through its API may use them as the initial registration. Missing
	// or empty means no callbacks of that kind. They may carry URL-encoded
	// basic-auth credentials and may be https.
	CallbackURLs map[string]string
	// AllowMetadataCallbacks lets callback URLs (configuration and admin
	// API) name a link-local or cloud metadata host, and lets deliveries
	// connect to such an address (see netguard). Off, both are refused: a
	// simulator reachable with its published default credentials would
	// otherwise post to 169.254.169.254 for anyone who asked.
	AllowMetadataCallbacks bool
	// AllowRemote lets Serve listen beyond loopback with the published
	// default password (see CheckExposure).
	AllowRemote bool
	// WebhookSecret is the secret a vendor that signs with a configured
	// secret (the Cloud API's app secret) signs callbacks with; vendors
	// that issue a secret per webhook (YCloud) ignore it. Never logged.
	WebhookSecret string
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
	// CallbackSchedule, when set, replaces the exponential backoff with
	// the vendor's retry schedule (YCloud: 10 s, 30 s, 5 min, …), each
	// wait multiplied by TimeScale.
	CallbackSchedule []time.Duration
	// BatchMax and BatchWindow bound the callbacks merged into one POST by
	// a vendor that batches (the on-premises client): at most BatchMax
	// events, posted at the latest BatchWindow after the first; zero
	// means the wire's default. Vendors that do not batch ignore them.
	BatchMax    int
	BatchWindow time.Duration
	// TimeScale multiplies the vendor's real-world waits (retry
	// schedules, suspensions) so a test need not wait hours; 0 means 1.
	TimeScale float64

	// Lifecycle sets the timing of status changes.
	Lifecycle Lifecycle
	// DLRStatuses lists the statuses posted as status callbacks; nil means
	// every status but the one the send answer reports (accepted).
	DLRStatuses []string

	// ReadRatio is the share of delivered messages the simulated recipient
	// reads; FailRatio, RejectRatio and ExpireRatio are the shares of
	// ordinary messages that end failed, rejected or expired.
	ReadRatio, FailRatio, RejectRatio, ExpireRatio float64
	// Disorder is the lawful disorder of vendors that promise no order;
	// nil means the wire's default (none for Modica).
	Disorder *Disorder
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

	// BusinessNumber is the business number messages are sent from and
	// inbound messages are sent to; "" means the dialect's SimSender.
	BusinessNumber string
	// Options are the wire's own settings by name (WireOptions lists
	// them: the on-premises client's webhook format, YCloud's endpoint
	// limit, …).
	Options map[string]string
	// NoAccountLimits switches off, by default, the limits a wire puts on
	// an account beyond RateLimit: per-sender rates, a maximum number of
	// resources (YCloud: 200/80 sends per second per sender, 20 webhook
	// endpoints). A spec-driven probe sets it, as it sets RateLimit 0:
	// such limits would refuse cases the spec allows. Options given
	// explicitly still apply.
	NoAccountLimits bool

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
		TimeScale:           1,
		LatencySpike:        2 * time.Second,
		LateDLRDelay:        35 * time.Second,
		ErrorBurst:          5,
		MessageTTL:          10 * time.Minute,
		MaxMessages:         2_000_000,
		MaxMediaBytes:       256 << 20,
		MaxBodyBytes:        2 << 20,
		MaxScheduleAhead:    60 * 24 * time.Hour,
	}
}

// Validate reports the first bad field by name.
func (c Config) Validate() error {
	checks := []struct {
		bad   bool
		field string
		why   string
	}{
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
		{!(c.TimeScale >= 0 && c.TimeScale <= 1e6), "TimeScale", "must be within [0, 1e6] (0 means 1)"},
		{c.BatchMax < 0, "BatchMax", "must be >= 0"},
		{c.BatchWindow < 0, "BatchWindow", "must be >= 0"},
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
	for kind, u := range c.CallbackURLs {
		if err := checkCallbackURL(u, c.AllowMetadataCallbacks); err != nil {
			return fmt.Errorf("sim config: CallbackURLs[%s]: %w", kind, err)
		}
	}
	for i, f := range c.Faults {
		if err := f.checkRatio(); err != nil {
			return fmt.Errorf("sim config: Faults[%d]: %w", i, err)
		}
	}
	if c.Disorder != nil {
		return c.Disorder.validate()
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
