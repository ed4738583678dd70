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

	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Server is the simulator. Create it with New; it is safe for concurrent
// use. Its background work (lifecycle scheduler, callback workers) runs
// until Close.
type Server struct {
	cfg   Config
	doc   *spec.Doc
	v     *validate.Validator
	base  string
	now   func() time.Time
	log   *slog.Logger
	store *store
	media *mediaStore
	sched *scheduler
	disp  *dispatch.Dispatcher

	auth    authenticator
	rl      atomic.Pointer[rateState]
	faults  *faults
	stats   counters
	dynamic atomic.Pointer[dynamicConfig]

	rngMu sync.Mutex
	rng   *rand.Rand

	mimeTypes  map[string]bool // allowed upload types (spec)
	retryLo    int             // spec RetryAfter minimum
	retryHi    int             // spec RetryAfter maximum
	rateMax    int             // spec X-RateLimit-Limit maximum
	dlrEmit    [16]bool        // indexed by statusIndex
	enqueueCtx context.Context // cancelled by Close: unblocks the scheduler
	cancel     context.CancelFunc
	closing    atomic.Bool
	closeOnce  sync.Once
	closeN     int
	sources    sourceStore
}

// dynamicConfig is what the admin API can change at run time; it is
// swapped as a whole.
type dynamicConfig struct {
	statusURL, replyURL string
	lifecycle           Lifecycle
	ratios              ratios
}

// New builds a simulator for doc. cfg is validated first (see
// Config.Validate); doc must have the Modica operations.
func New(doc *spec.Doc, cfg Config) (*Server, error) {
	if doc == nil {
		return nil, errors.New("sim: no spec")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v, err := validate.New(doc)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	s := &Server{cfg: cfg, doc: doc, v: v, base: doc.BasePath(), now: cfg.Now, log: cfg.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if err := s.readSpecLimits(); err != nil {
		return nil, err
	}
	if cfg.RateLimit > s.rateMax {
		return nil, fmt.Errorf("sim config: RateLimit %d exceeds the spec's X-RateLimit-Limit maximum %d", cfg.RateLimit, s.rateMax)
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s.rng = rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	s.auth = newAuthenticator(cfg.User, cfg.Password)
	s.setRateLimit(cfg.RateLimit, cfg.RateBurst)
	s.faults = newFaults(seed, cfg.Faults)
	s.store = newStore(cfg.MaxMessages)
	s.media = newMediaStore(cfg.MaxMediaBytes)
	s.setDLRStatuses(cfg.DLRStatuses)
	s.dynamic.Store(&dynamicConfig{statusURL: cfg.StatusCallbackURL, replyURL: cfg.ReplyCallbackURL,
		lifecycle: cfg.Lifecycle, ratios: ratios{cfg.ReadRatio, cfg.FailRatio, cfg.RejectRatio, cfg.ExpireRatio}})
	if err := s.startDispatch(seed); err != nil {
		return nil, err
	}
	s.enqueueCtx, s.cancel = context.WithCancel(context.Background())
	sweepEvery := min(max(cfg.MessageTTL/10, 10*time.Millisecond), 10*time.Second)
	s.sched = newScheduler(s.now, s.runEvent, s.sweep, sweepEvery)
	go s.sched.loop()
	return s, nil
}

func (s *Server) startDispatch(seed uint64) error {
	dc := dispatch.DefaultConfig()
	dc.Workers = s.cfg.CallbackWorkers
	dc.QueueSize = s.cfg.CallbackQueue
	dc.MaxAttempts = s.cfg.CallbackMaxAttempts
	dc.InitialBackoff = s.cfg.CallbackBackoff
	dc.MaxBackoff = s.cfg.CallbackMaxBackoff
	dc.Timeout = s.cfg.CallbackTimeout
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

// Handler returns the simulator's handler: the vendor API under the spec's
// base path and the admin API under /_sim/.
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.stats.requests.Add(1)
	cred, ok := s.auth.check(r.Header.Get("Authorization"))
	if !ok {
		w.Header()["Www-Authenticate"] = hvWWWAuth
		s.writeError(w, http.StatusUnauthorized, "Authorization", codeUnauthorized, "valid HTTP Basic credentials are required")
		return
	}
	p := r.URL.Path
	if strings.HasPrefix(p, adminPrefix) {
		s.serveAdmin(w, r, p[len(adminPrefix):])
		return
	}
	if !s.admit(w, cred) {
		return
	}
	rel, ok := strings.CutPrefix(p, s.base)
	if !ok {
		s.writeError(w, http.StatusNotFound, "path", codeNotFound, "no such path: the API is under "+s.base)
		return
	}
	h := s.route(rel, r.Method)
	if h == nil {
		s.notRouted(w, rel)
		return
	}
	if s.faultsBefore(w, r) {
		return
	}
	h(w, r)
}

// route returns the handler for a path relative to the base path, or nil.
func (s *Server) route(rel, method string) http.HandlerFunc {
	switch rel {
	case "/messages":
		switch method {
		case http.MethodPost:
			return s.postMessages
		case http.MethodGet:
			return s.getMessages
		case http.MethodPatch:
			return s.patchMessages
		}
	case "/messages/broadcast":
		if method == http.MethodPost {
			return s.postBroadcast
		}
	case "/media":
		switch method {
		case http.MethodPost:
			return s.postMedia
		case http.MethodGet:
			return s.getMedia
		}
	case "/source":
		if method == http.MethodPost {
			return s.postSource
		}
	case "/healthz":
		if method == http.MethodGet || method == http.MethodHead {
			return s.getHealthz
		}
	}
	return nil
}

// notRouted answers 405 with Allow for a known path, else 404.
func (s *Server) notRouted(w http.ResponseWriter, rel string) {
	allowed := s.v.Allowed(rel)
	if len(allowed) == 0 {
		s.writeError(w, http.StatusNotFound, "path", codeNotFound, "no such path: "+rel)
		return
	}
	w.Header()["Allow"] = []string{strings.Join(allowed, ", ")}
	s.writeError(w, http.StatusMethodNotAllowed, "method", codeMethodNotAllowed, "method not allowed; allowed: "+strings.Join(allowed, ", "))
}

// faultsBefore applies the request-level faults; true when it answered.
func (s *Server) faultsBefore(w http.ResponseWriter, r *http.Request) bool {
	if !s.faults.set.Load().any {
		return false
	}
	if s.faults.hit(fLatencySpike) {
		t := time.NewTimer(s.cfg.LatencySpike)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if s.serverErrorBurst() {
		s.writeError(w, http.StatusInternalServerError, "server", codeServerError, "simulated internal server error (fault server-error-burst)")
		return true
	}
	return false
}

// serverErrorBurst reports whether this request falls into a burst of 500s.
// A burst ends when the fault is switched off: what was left of it is
// dropped, so it cannot leak into requests made after the switch.
func (s *Server) serverErrorBurst() bool {
	if !s.faults.on(fServerErrorBurst) {
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
	if s.faults.hit(fServerErrorBurst) {
		s.faults.burst.Store(int64(s.cfg.ErrorBurst - 1))
		return true
	}
	return false
}

// SetCallbackURLs changes the account's status (DLR) and reply (MO)
// callback URLs; "" switches that kind of callback off.
func (s *Server) SetCallbackURLs(status, reply string) error {
	for _, u := range []struct{ flag, v string }{{"status", status}, {"reply", reply}} {
		if err := checkCallbackURL(u.v, s.cfg.AllowMetadataCallbacks); err != nil {
			return fmt.Errorf("sim: %s callback URL %s: %w", u.flag, redact.URL(u.v), err)
		}
	}
	s.updateDynamic(func(d *dynamicConfig) { d.statusURL, d.replyURL = status, reply })
	s.log.Info("sim: callback URLs set", "status", redact.URL(status), "reply", redact.URL(reply))
	return nil
}

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
// Close get 500 answers (the spec declares no 503).
func (s *Server) Close(ctx context.Context) (undelivered int, err error) {
	s.closeOnce.Do(func() {
		s.closing.Store(true)
		s.cancel()
		s.sched.close()
		s.closeN = s.disp.Close(ctx)
		s.log.Info("sim: closed", "undelivered_callbacks", s.closeN, "lifecycle_steps_dropped", s.sched.pending())
	})
	if s.closeN > 0 {
		return s.closeN, fmt.Errorf("sim: %d callbacks left undelivered", s.closeN)
	}
	return 0, nil
}

// random returns a uniform float64 in [0, 1) from the seeded source.
func (s *Server) random() float64 {
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
