package load

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
)

// Receiver is the callback receiver as load uses it: register accepted
// ids, account for deliveries.
type Receiver interface {
	Expecter
	Delivery() summary.DeliverySummary
	// LatencyHistogram is the histogram behind the delivery's latency
	// percentiles (a copy), written as LatencyFile.
	LatencyHistogram() *callbacks.LatencyHistogram
}

// environment is what a run talks to: the harness (target or in-process
// simulator, callback receiver, validator, credentials).
type environment struct {
	h         *harness.Harness
	d         dialect.Dialect
	base      string
	auth      dialect.Auth
	sim       *sim.Server
	receiver  Receiver // nil without delivery accounting
	validator *validate.Validator
	recent    *Recent
	runID     string
}

func setup(ctx context.Context, o Options, p *profiles.Profile) (*environment, error) {
	if o.Target != "" {
		if _, err := CheckTarget(o.Target, o.AllowRemote); err != nil {
			return nil, err
		}
		if err := checkCallbackURL(o.CallbackURL); err != nil {
			return nil, err
		}
	}
	meter := &cbReceiver{}
	h, err := harness.Start(ctx, harnessOptions(o, p, meter))
	if err != nil {
		return nil, err
	}
	env := &environment{h: h, d: o.Dialect, base: h.BaseURL, auth: h.Auth, sim: h.Sim,
		runID: strconv.FormatInt(time.Now().UnixMilli()%1e9, 36)}
	if h.Receiver != nil {
		meter.Receiver = h.Receiver
		env.receiver = meter
	}
	if o.ValidateSample > 0 {
		env.validator = h.Validator
	}
	if mixHas(p.Mix, profiles.OpGet) {
		env.recent = NewRecent(env.forget(), p.Timeout)
	}
	return env, nil
}

// forget is what tells the in-process simulator that the run will not ask
// for a message again, so that it keeps the messages in flight and those
// "get" may still retrieve, not every message of the last simMessageTTL;
// nil against a target.
func (env *environment) forget() func(id string) {
	if env.sim == nil {
		return nil
	}
	return env.sim.Forget
}

// harnessOptions is load's harness: a lean, settling receiver behind the
// rate meter, listened for only with --callback-listen against a target,
// loopback-only unless --allow-remote; an in-process simulator with the
// profile's rate limit.
func harnessOptions(o Options, p *profiles.Profile, meter *cbReceiver) harness.Options {
	return harness.Options{Dialect: o.Dialect, Doc: o.Doc, Target: o.Target, Credentials: o.Credentials,
		Timeout: 10 * time.Second, NoReceiver: o.Target != "" && o.CallbackListen == "",
		Receiver: receiverOptions(), WrapHandler: meter.wrap,
		Listen:         func(addr string) (net.Listener, error) { return listen(addr, o.AllowRemote) },
		CallbackListen: o.CallbackListen, CallbackURL: o.CallbackURL,
		WebhookSecret: o.WebhookSecret, Register: o.Register,
		SimConfig: func(c *sim.Config) {
			c.RateLimit, c.MessageTTL = p.SimRateLimit, simMessageTTL
			if len(p.SimOptions) > 0 {
				c.Options = maps.Clone(p.SimOptions)
			}
			if o.SimConfig != nil {
				o.SimConfig(c)
			}
		}}
}

// listen opens the callback listener on loopback, or beyond it with
// --allow-remote.
func listen(addr string, allowRemote bool) (net.Listener, error) {
	ln, err := netguard.Listen(addr, allowRemote)
	if errors.Is(err, netguard.ErrNotLoopback) {
		return nil, fmt.Errorf("%w; callbacks from other hosts need --allow-remote", err)
	}
	return ln, err
}

// checkCallbackURL checks --callback-url: an http(s) base URL.
func checkCallbackURL(u string) error {
	if u == "" {
		return nil
	}
	// a metadata host is the user's own statement here; nothing calls it
	if err := netguard.CheckURL(u, true); err != nil {
		return fmt.Errorf("--callback-url %s: %v; want the http(s) base URL the target posts to", redact.URL(u), err)
	}
	return nil
}

func mixHas(mix []profiles.OpWeight, op string) bool {
	for _, m := range mix {
		if m.Op == op {
			return true
		}
	}
	return false
}

// simMessageTTL is how long the in-process simulator keeps a message after
// its final status unless the run forgets it sooner (environment.forget:
// every message whose 202 it read). The default (10 minutes) made a
// 10-minute soak hold every message it sent; the only later reader is the
// "get" mix, which asks for ids from Recent, no older than recentMaxAge
// (< simMessageTTL).
const simMessageTTL = time.Minute

func (env *environment) close() {
	_ = env.h.Close(context.Background())
}

func (env *environment) expecter() Expecter {
	if env.receiver == nil {
		return nil
	}
	return env.receiver
}

func (env *environment) targetConfig(o Options, p *profiles.Profile) TargetConfig {
	return TargetConfig{BaseURL: env.base, Dialect: env.d, Auth: env.auth, Payload: p.Payload,
		Mix: p.Mix, Shard: o.Shard, RunID: env.runID, From: o.From}
}
