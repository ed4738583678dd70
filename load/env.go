package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Receiver is the callback receiver as load uses it: register accepted
// ids, serve callbacks, account for deliveries.
type Receiver interface {
	Expecter
	Handler() http.Handler
	Delivery() DeliverySummary
}

// environment is what a run talks to: the target (or in-process
// simulator), the callback receiver and the validator.
type environment struct {
	base           string
	user, password string
	sim            *sim.Server
	servers        []*http.Server
	receiver       Receiver
	validator      *validate.Validator
	recent         *Recent
	runID          string
}

func setup(ctx context.Context, o Options, p *Profile) (*environment, error) {
	env := &environment{user: o.User, password: o.Password, runID: strconv.FormatInt(time.Now().UnixMilli()%1e9, 36)}
	if mixHas(p.Mix, OpGet) {
		env.recent = &Recent{}
	}
	v, err := validate.New(o.Doc)
	if err != nil {
		return nil, fmt.Errorf("build validator: %w", err)
	}
	if o.ValidateSample > 0 {
		env.validator = v
	}
	if o.Target != "" {
		return env, env.setupTarget(o, v)
	}
	return env, env.setupSim(ctx, o.Doc, p, v)
}

func mixHas(mix []OpWeight, op string) bool {
	for _, m := range mix {
		if m.Op == op {
			return true
		}
	}
	return false
}

func (env *environment) setupTarget(o Options, v *validate.Validator) error {
	u, err := CheckTarget(o.Target, o.AllowRemote)
	if err != nil {
		return err
	}
	env.base = strings.TrimRight(u.String(), "/")
	if o.CallbackURL != "" {
		// a metadata host is the user's own statement here; nothing calls it
		if err := netguard.CheckURL(o.CallbackURL, true); err != nil {
			return fmt.Errorf("--callback-url %s: %v; want the http(s) base URL the target posts to (…/status, …/reply)", redact.URL(o.CallbackURL), err)
		}
	}
	if o.CallbackListen == "" {
		return nil
	}
	ln, err := netguard.Listen(o.CallbackListen, o.AllowRemote)
	if errors.Is(err, netguard.ErrNotLoopback) {
		return fmt.Errorf("--callback-listen %s: %w; callbacks from other hosts need --allow-remote", o.CallbackListen, err)
	}
	if err != nil {
		return fmt.Errorf("--callback-listen %s: %w", o.CallbackListen, err)
	}
	env.receiver = newReceiver(v)
	env.serveOn(ln, env.receiver.Handler())
	return nil
}

func (env *environment) setupSim(ctx context.Context, doc *spec.Doc, p *Profile, v *validate.Validator) error {
	env.receiver = newReceiver(v)
	recvURL, err := env.serve(env.receiver.Handler())
	if err != nil {
		return fmt.Errorf("callback receiver: %w", err)
	}
	cfg := simConfig(p, recvURL)
	w, ok := sim.WireFor("modica")
	if !ok {
		return errors.New("in-process simulator: no simulator is registered for modica")
	}
	srv, err := sim.New(doc, nil, w, cfg)
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	env.sim = srv
	simURL, err := env.serve(srv.Handler())
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	env.base = simURL + doc.BasePath()
	if env.user == "" {
		env.user, env.password = cfg.User, cfg.Password
	}
	return nil
}

// simMessageTTL is how long the in-process simulator keeps a message after
// its final status. The default (10 minutes) made a 10-minute soak hold
// every message it sent; the only later reader is the "get" mix, which asks
// for ids from Recent, no older than recentMaxAge (< simMessageTTL).
const simMessageTTL = time.Minute

// simConfig is the in-process simulator's configuration for profile p,
// posting its callbacks to the receiver at recvURL.
func simConfig(p *Profile, recvURL string) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.RateLimit = p.SimRateLimit
	cfg.CallbackURLs = map[string]string{"status": recvURL + "/status", "reply": recvURL + "/reply"}
	cfg.MessageTTL = simMessageTTL
	return cfg
}

// serve starts an HTTP server on a free loopback port and returns its
// base URL.
func (env *environment) serve(h http.Handler) (string, error) {
	ln, err := netguard.Listen("127.0.0.1:0", false)
	if err != nil {
		return "", err
	}
	env.serveOn(ln, h)
	return "http://" + ln.Addr().String(), nil
}

// serveOn serves h on ln until close.
func (env *environment) serveOn(ln net.Listener, h http.Handler) {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	env.servers = append(env.servers, hs)
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the run notices missing callbacks; nothing else to do
		}
	}()
}

func (env *environment) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if env.sim != nil {
		_, _ = env.sim.Close(ctx)
	}
	for _, hs := range env.servers {
		_ = hs.Shutdown(ctx)
	}
}

func (env *environment) expecter() Expecter {
	if env.receiver == nil {
		return nil
	}
	return env.receiver
}

func (env *environment) targetConfig(o Options, p *Profile) TargetConfig {
	return TargetConfig{BaseURL: env.base, User: env.user, Password: env.password, Payload: p.Payload,
		Mix: p.Mix, Shard: o.Shard, RunID: env.runID}
}
