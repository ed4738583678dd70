package ycloudsim

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// options are the wire's own settings (--sim-option NAME=VALUE). The ones
// that may change at run time (liveOptions) are read from the wire's
// atomics after Init, not from here.
type options struct {
	enqueueRate, directRate int
	maxEndpoints            int
	webhookSecret           string
	suspendAfter            int
	suspendFor              time.Duration
	remoteWebhooks          bool
}

// The option names.
const (
	optEnqueueRate    = "enqueue-rate"
	optDirectRate     = "direct-rate"
	optMaxEndpoints   = "max-endpoints"
	optWebhookSecret  = "webhook-secret"
	optSuspendAfter   = "suspend-after"
	optSuspendFor     = "suspend-for"
	optRemoteWebhooks = "remote-webhooks"
)

// liveOptions may change at run time (PATCH /_sim/config {"options": …}).
var liveOptions = []string{optEnqueueRate, optDirectRate, optMaxEndpoints, optRemoteWebhooks}

// Documented defaults: "Rate limits", "Implement a webhook receiver" (at
// most 20 endpoints) and the help center's "Webhook" page (an endpoint
// failing 200 times in a minute is suspended for 3 minutes).
const (
	defaultMaxEndpoints = 20
	defaultSuspendAfter = 200
	defaultSuspendFor   = 3 * time.Minute
	randomSecret        = "random" // webhook-secret: make one
)

// Options implements sim.Optioner.
func (*api) Options() []sim.Option {
	return []sim.Option{
		{Name: optEnqueueRate, Default: strconv.Itoa(ycloud.EnqueueRate), What: "requests per second per sender on POST /whatsapp/messages (0: no limit; may change at run time)"},
		{Name: optDirectRate, Default: strconv.Itoa(ycloud.DirectRate), What: "requests per second per sender on POST /whatsapp/messages/sendDirectly (0: no limit; may change at run time)"},
		{Name: optMaxEndpoints, Default: strconv.Itoa(defaultMaxEndpoints), What: "webhook endpoints the account may have (may change at run time)"},
		{Name: optWebhookSecret, Default: randomSecret, What: "signing secret of the endpoints made from --callback-url (\"random\": a new whsec_ secret, logged nowhere)"},
		{Name: optSuspendAfter, Default: strconv.Itoa(defaultSuspendAfter), What: "failed deliveries within a minute after which an endpoint goes pending"},
		{Name: optSuspendFor, Default: defaultSuspendFor.String(), What: "how long a failing endpoint stays pending (scaled by the time scale)"},
		{Name: optRemoteWebhooks, Default: "false", What: "post events to endpoints created through the API at hosts other than loopback (off: they are kept but get no events; may change at run time)"},
	}
}

// parseOptions reads the settings given; the core has refused unknown
// names already. Without account limits (sim.Config.NoAccountLimits) the
// per-sender rates and the endpoint maximum default to none.
func parseOptions(set map[string]string, noLimits bool) (options, error) {
	o := options{enqueueRate: ycloud.EnqueueRate, directRate: ycloud.DirectRate, maxEndpoints: defaultMaxEndpoints,
		suspendAfter: defaultSuspendAfter, suspendFor: defaultSuspendFor}
	if noLimits {
		o.enqueueRate, o.directRate, o.maxEndpoints = 0, 0, math.MaxInt
	}
	if v := set[optWebhookSecret]; v != randomSecret {
		o.webhookSecret = v
	}
	for name, v := range set {
		if err := o.set(name, v); err != nil {
			return o, fmt.Errorf("sim config: Options: %w", err)
		}
	}
	return o, nil
}

// set reads one setting into o; the error names it.
func (o *options) set(name, v string) error {
	switch name {
	case optEnqueueRate:
		return atoiMin(name, v, 0, &o.enqueueRate)
	case optDirectRate:
		return atoiMin(name, v, 0, &o.directRate)
	case optMaxEndpoints:
		return atoiMin(name, v, 1, &o.maxEndpoints)
	case optSuspendAfter:
		return atoiMin(name, v, 1, &o.suspendAfter)
	case optSuspendFor:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%s %q: want a positive duration (\"3m\")", name, v)
		}
		o.suspendFor = d
	case optRemoteWebhooks:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%s %q: want true or false", name, v)
		}
		o.remoteWebhooks = b
	}
	return nil
}

func atoiMin(name, v string, lo int, dst *int) error {
	i, err := strconv.Atoi(v)
	if err != nil || i < lo {
		return fmt.Errorf("%s %q: want an integer >= %d", name, v, lo)
	}
	*dst = i
	return nil
}

// limits are the per-sender rate limits in force; a change swaps in fresh
// buckets.
type limits struct {
	enqueue, direct         *sim.Limiter
	enqueueRate, directRate int
}

func newLimits(enqueueRate, directRate int) *limits {
	return &limits{enqueue: sim.NewLimiter(enqueueRate, 0), direct: sim.NewLimiter(directRate, 0),
		enqueueRate: enqueueRate, directRate: directRate}
}

// OptionValues implements sim.LiveOptioner: the settings that may change
// at run time.
func (a *api) OptionValues() map[string]string {
	l := a.lim.Load()
	return map[string]string{
		optEnqueueRate: strconv.Itoa(l.enqueueRate), optDirectRate: strconv.Itoa(l.directRate),
		optMaxEndpoints: strconv.Itoa(a.hooks.limit()), optRemoteWebhooks: strconv.FormatBool(a.remote.Load()),
	}
}

// SetOptions implements sim.LiveOptioner: every value is checked before
// any applies; settings read only at start are refused.
func (a *api) SetOptions(set map[string]string) error {
	l := a.lim.Load()
	o := options{enqueueRate: l.enqueueRate, directRate: l.directRate, maxEndpoints: a.hooks.limit(), remoteWebhooks: a.remote.Load()}
	for name, v := range set {
		if !contains(liveOptions, name) {
			return fmt.Errorf("options: %s applies only at start (--sim-option)", name)
		}
		if err := o.set(name, v); err != nil {
			return fmt.Errorf("options: %w", err)
		}
	}
	if o.enqueueRate != l.enqueueRate || o.directRate != l.directRate {
		a.lim.Store(newLimits(o.enqueueRate, o.directRate))
	}
	a.hooks.setLimit(o.maxEndpoints)
	a.remote.Store(o.remoteWebhooks)
	return nil
}
