package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Server is the simulator: the vendor-neutral core and one vendor's wire.
// Create it with New; it is safe for concurrent use. Its background work
// (lifecycle scheduler, callback workers) runs until Close.
type Server struct {
	cfg    Config
	doc    *spec.Doc
	v      *validate.Validator
	wire   Wire
	model  *dialect.StatusModel
	walks  Walks
	base   string
	now    func() time.Time
	log    *slog.Logger
	store  *store
	media  *mediaStore
	sched  *scheduler
	disp   *dispatch.Dispatcher
	faults *faults
	stats  counters
	batch  *batcher // nil when the wire does not batch

	rl      atomic.Pointer[rateState]
	rateMax int // the most the wire lets the rate limit be (0: unbounded)
	dynamic atomic.Pointer[dynamicConfig]

	rngMu sync.Mutex
	rng   *rand.Rand

	emit       [dialect.MaxStatuses]bool // statuses posted as callbacks
	enqueueCtx context.Context           // cancelled by Close: unblocks the scheduler
	cancel     context.CancelFunc
	closing    atomic.Bool
	closeOnce  sync.Once
	closeN     int
}

// dynamicConfig is what the admin API can change at run time; it is
// swapped as a whole.
type dynamicConfig struct {
	callbackURLs map[string]string
	lifecycle    Lifecycle
	ratios       ratios
	disorder     Disorder
}

// New builds a simulator of doc speaking w's wire format, with v the
// run's validator of doc (nil: New builds one). cfg is validated first.
func New(doc *spec.Doc, v *validate.Validator, w Wire, cfg Config) (*Server, error) {
	if doc == nil || w == nil {
		return nil, errors.New("sim: a spec and a wire are required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = withDefaultCredentials(cfg, w.Dialect())
	if v == nil {
		var err error
		kinds := append([]dialect.CallbackKind{}, w.Dialect().Callbacks().Kinds()...)
		if v, err = validate.New(doc, validate.Callbacks(kinds)); err != nil {
			return nil, fmt.Errorf("sim: %w", err)
		}
	}
	s := &Server{cfg: cfg, doc: doc, v: v, wire: w, model: w.Dialect().Statuses(), walks: w.Walks(),
		base: doc.BasePath(), now: cfg.Now, log: cfg.Logger}
	if err := s.init(); err != nil {
		return nil, err
	}
	if err := w.Init(s); err != nil {
		s.shutdown()
		return nil, err
	}
	go s.sched.loop()
	return s, nil
}

// init sets up the core's state from cfg and the wire.
func (s *Server) init() error {
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.cfg.BusinessNumber == "" {
		s.cfg.BusinessNumber = strings.TrimPrefix(s.wire.Dialect().Info().SimSender, "+")
	}
	if err := s.walks.check(s.model); err != nil {
		return err
	}
	if err := checkOptions(s.wire, s.cfg.Options); err != nil {
		return err
	}
	cat, err := newCatalogue(s.wire)
	if err != nil {
		return err
	}
	for i, f := range s.cfg.Faults {
		if err := cat.check(f); err != nil {
			return fmt.Errorf("sim config: Faults[%d]: %w", i, err)
		}
	}
	if err := s.setEmitted(s.cfg.DLRStatuses); err != nil {
		return err
	}
	return s.start(cat)
}

// start builds the stores, faults, dispatcher and scheduler.
func (s *Server) start(cat *catalogue) error {
	seed := s.cfg.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s.rng = rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	s.setRateLimit(s.cfg.RateLimit, s.cfg.RateBurst)
	s.faults = newFaults(cat, seed, s.cfg.Faults)
	s.store = newStore(s.cfg.MaxMessages)
	s.media = newMediaStore(s.cfg.MaxMediaBytes)
	d := dynamicConfig{callbackURLs: copyURLs(s.cfg.CallbackURLs), lifecycle: s.cfg.Lifecycle,
		ratios: ratios{s.cfg.ReadRatio, s.cfg.FailRatio, s.cfg.RejectRatio, s.cfg.ExpireRatio}, disorder: s.walks.Disorder}
	if s.cfg.Disorder != nil {
		d.disorder = *s.cfg.Disorder
	}
	if err := s.checkRatios(d.ratios); err != nil {
		return err
	}
	s.dynamic.Store(&d)
	if err := s.startDispatch(seed); err != nil {
		return err
	}
	if b, ok := s.wire.(Batcher); ok {
		max, window := b.DefaultBatch()
		if s.cfg.BatchMax > 0 {
			max = s.cfg.BatchMax
		}
		if s.cfg.BatchWindow > 0 {
			window = s.cfg.BatchWindow
		}
		s.batch = newBatcher(b, max, window, s.enqueue)
	}
	s.enqueueCtx, s.cancel = context.WithCancel(context.Background())
	sweepEvery := min(max(s.cfg.MessageTTL/10, 10*time.Millisecond), 10*time.Second)
	s.sched = newScheduler(s.now, s.runEvent, s.sweep, sweepEvery)
	return nil
}

// checkRatios refuses a failure ratio the wire has no walk for.
func (s *Server) checkRatios(r ratios) error {
	for _, x := range []struct {
		name, field string
		v           float64
	}{{"fail", "FailRatio", r.fail}, {"reject", "RejectRatio", r.reject}, {"expire", "ExpireRatio", r.expire}} {
		if x.v > 0 && s.walks.Failures[x.name] == nil {
			return fmt.Errorf("sim config: %s %v: %s has no %s path", x.field, x.v, s.wire.Dialect().Info().Name, x.name)
		}
	}
	return nil
}

func copyURLs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *Server) startDispatch(seed uint64) error {
	dc := dispatch.DefaultConfig()
	dc.Workers = s.cfg.CallbackWorkers
	dc.QueueSize = s.cfg.CallbackQueue
	dc.MaxAttempts = s.cfg.CallbackMaxAttempts
	dc.InitialBackoff = s.cfg.CallbackBackoff
	dc.MaxBackoff = s.cfg.CallbackMaxBackoff
	dc.Timeout = s.cfg.CallbackTimeout
	schedule := s.cfg.CallbackSchedule
	if rs, ok := s.wire.(RetryScheduler); ok && schedule == nil {
		schedule = rs.RetrySchedule()
	}
	dc.Schedule = s.scaled(schedule)
	dc.TLS = s.cfg.CallbackTLS
	dc.Logger = s.log
	dc.Seed = seed
	dc.UserAgent = "wabcheck-sim"
	if !s.cfg.AllowMetadataCallbacks {
		// the URL check sees names; this sees the address they resolve to
		dc.DialControl = netguard.DialControl
	}
	d, err := dispatch.New(dc)
	if err != nil {
		return fmt.Errorf("sim: callbacks: %w", err)
	}
	s.disp = d
	return nil
}

// scaled multiplies each wait by the time scale.
func (s *Server) scaled(ds []time.Duration) []time.Duration {
	if len(ds) == 0 {
		return nil
	}
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = s.Scale(d)
	}
	return out
}

// Scale multiplies a vendor's real-world wait by Config.TimeScale.
func (s *Server) Scale(d time.Duration) time.Duration {
	if s.cfg.TimeScale == 0 || s.cfg.TimeScale == 1 {
		return d
	}
	return time.Duration(float64(d) * s.cfg.TimeScale)
}

// Handler returns the simulator's handler: the vendor API under the spec's
// base path and the admin API under /_sim/.
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP authenticates a request, then routes it to the admin API or
// to the wire (which rate-limits, routes and calls RequestFaults).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.stats.requests.Add(1)
	key, ok := s.wire.Authenticate(r)
	if !ok {
		s.wire.WriteError(w, Error{Status: http.StatusUnauthorized, Field: "Authorization", Code: CodeUnauthorized,
			Message: "valid credentials are required"})
		return
	}
	p := r.URL.Path
	if strings.HasPrefix(p, adminPrefix) {
		s.serveAdmin(w, r, p[len(adminPrefix):])
		return
	}
	rel, ok := strings.CutPrefix(p, s.base)
	if !ok || (rel != "" && rel[0] != '/') {
		s.wire.WriteError(w, Error{Status: http.StatusNotFound, Field: "path", Code: CodeNotFound, Message: "no such path: the API is under " + s.base})
		return
	}
	s.wire.ServeAPI(w, r, rel, key)
}

// RequestFaults applies the request-level faults (latency-spike,
// server-error-burst); true when it answered. The wire calls it for a
// request it routed, after rate limiting.
func (s *Server) RequestFaults(w http.ResponseWriter, r *http.Request) bool {
	if !s.faults.set.Load().any {
		return false
	}
	if s.faults.hit(FaultLatencySpike) {
		t := time.NewTimer(s.cfg.LatencySpike)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if s.serverErrorBurst() {
		s.wire.WriteError(w, Error{Status: http.StatusInternalServerError, Field: "server", Code: CodeServerError,
			Message: "simulated internal server error (fault server-error-burst)"})
		return true
	}
	return false
}

// serverErrorBurst reports whether this request falls into a burst of 500s.
// A burst ends when the fault is switched off: what was left of it is
// dropped, so it cannot leak into requests made after the switch.
func (s *Server) serverErrorBurst() bool {
	if !s.faults.on(FaultServerErrorBurst) {
		if s.faults.burst.Load() != 0 {
			s.faults.burst.Store(0)
		}
		return false
	}
	for {
		n := s.faults.burst.Load()
		if n <= 0 {
			break
		}
		if s.faults.burst.CompareAndSwap(n, n-1) {
			return true
		}
	}
	if s.faults.hit(FaultServerErrorBurst) {
		s.faults.burst.Store(int64(s.cfg.ErrorBurst - 1))
		return true
	}
	return false
}

// SetCallbackURL changes the account's callback URL of a kind; ""
// switches that kind of callback off.
func (s *Server) SetCallbackURL(kind, url string) error {
	if err := checkCallbackURL(url, s.cfg.AllowMetadataCallbacks); err != nil {
		return fmt.Errorf("sim: %s callback URL %s: %w", kind, redact.URL(url), err)
	}
	s.updateDynamic(func(d *dynamicConfig) {
		d.callbackURLs = copyURLs(d.callbackURLs)
		d.callbackURLs[kind] = url
	})
	s.log.Info("sim: callback URL set", "kind", kind, "url", redact.URL(url))
	return nil
}

// CallbackURL is the account's callback URL of a kind ("" when none).
func (s *Server) CallbackURL(kind string) string { return s.dynamic.Load().callbackURLs[kind] }

// updateDynamic applies f to a copy of the run-time configuration.
func (s *Server) updateDynamic(f func(*dynamicConfig)) {
	for {
		old := s.dynamic.Load()
		n := *old
		f(&n)
		if s.dynamic.CompareAndSwap(old, &n) {
			return
		}
	}
}

// Close stops the lifecycle scheduler (steps not yet due are dropped and
// counted as in flight), then drains the callback queue until ctx ends and
// returns how many callbacks were left undelivered. Sends arriving after
// Close are refused (Closing).
func (s *Server) Close(ctx context.Context) (undelivered int, err error) {
	s.closeOnce.Do(func() {
		s.closing.Store(true)
		s.sched.close()
		if s.batch != nil {
			s.batch.flushAll()
		}
		s.cancel()
		s.closeN = s.disp.Close(ctx)
		s.log.Info("sim: closed", "undelivered_callbacks", s.closeN, "lifecycle_steps_dropped", s.sched.pending())
	})
	if s.closeN > 0 {
		return s.closeN, fmt.Errorf("sim: %d callbacks left undelivered", s.closeN)
	}
	return 0, nil
}

// shutdown releases what init started when the wire refuses to start.
func (s *Server) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.cancel()
	go s.sched.loop()
	s.sched.close()
	s.disp.Close(ctx)
}

// Closing reports whether Close has begun: wires then refuse new sends.
func (s *Server) Closing() bool { return s.closing.Load() }

// Random returns a uniform float64 in [0, 1) from the seeded source.
func (s *Server) Random() float64 {
	s.rngMu.Lock()
	u := s.rng.Float64()
	s.rngMu.Unlock()
	return u
}

// jitter returns a delay in [0, j).
func (s *Server) jitter(j time.Duration) time.Duration {
	if j <= 0 {
		return 0
	}
	s.rngMu.Lock()
	d := time.Duration(s.rng.Int64N(int64(j)))
	s.rngMu.Unlock()
	return d
}

// Now is the simulator's clock.
func (s *Server) Now() time.Time { return s.now() }

// Config returns the configuration the server was built with.
func (s *Server) Config() Config { return s.cfg }

// Validator is the validator of the server's spec.
func (s *Server) Validator() *validate.Validator { return s.v }

// Doc is the server's spec.
func (s *Server) Doc() *spec.Doc { return s.doc }

// Log is the server's logger.
func (s *Server) Log() *slog.Logger { return s.log }

// FaultID returns the id of a fault of the server's catalogue; wires look
// theirs up in Init.
func (s *Server) FaultID(name string) (FaultID, bool) { return s.faults.cat.byName(name) }

// Hit decides whether fault id fires at this opportunity.
func (s *Server) Hit(id FaultID) bool { return s.faults.hit(id) }

// AnyFault reports whether any fault is on (a cheap check for hot paths).
func (s *Server) AnyFault() bool { return s.faults.set.Load().any }

// CountStatus counts a vendor-API response by HTTP status (Stats).
func (s *Server) CountStatus(code int) { s.stats.countStatus(code) }

// Kick wakes the scheduler so that events due by the clock run now; tests
// that move a fake clock call it.
func (s *Server) Kick() { s.sched.kick() }

// Sweep removes finished messages older than the TTL now, as the
// scheduler's periodic sweep does.
func (s *Server) Sweep() { s.sweep(s.now()) }

// ActiveFaults lists the active faults sorted by name.
func (s *Server) ActiveFaults() []FaultSetting { return s.faults.active() }

// Lifecycle is the lifecycle timing in force.
func (s *Server) Lifecycle() Lifecycle { return s.dynamic.Load().lifecycle }

// withDefaultCredentials fills the credentials d uses that cfg leaves
// empty with the published defaults (in-process use from DefaultConfig,
// which leaves the API key empty for the vendors that use none), so that
// the server's configuration, and CheckExposure, see the credential that
// really guards it.
func withDefaultCredentials(cfg Config, d dialect.Dialect) Config {
	for _, f := range d.Info().Credentials {
		switch {
		case f == dialect.FieldAPIKey && cfg.APIKey == "":
			cfg.APIKey = DefaultAPIKey
		case f == dialect.FieldUser && cfg.User == "":
			cfg.User = DefaultUser
		case f == dialect.FieldPassword && cfg.Password == "":
			cfg.Password = DefaultPassword
		}
	}
	return cfg
}
