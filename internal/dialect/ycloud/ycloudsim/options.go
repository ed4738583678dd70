package ycloudsim

import (
	"fmt"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// options are the wire's own settings (--sim-option NAME=VALUE).
type options struct {
	enqueueRate, directRate int
	maxEndpoints            int
	webhookSecret           string
	suspendAfter            int
	suspendFor              time.Duration
}

// The option names.
const (
	optEnqueueRate   = "enqueue-rate"
	optDirectRate    = "direct-rate"
	optMaxEndpoints  = "max-endpoints"
	optWebhookSecret = "webhook-secret"
	optSuspendAfter  = "suspend-after"
	optSuspendFor    = "suspend-for"
)

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
		{Name: optEnqueueRate, Default: strconv.Itoa(ycloud.EnqueueRate), What: "requests per second per sender on POST /whatsapp/messages (0: no limit)"},
		{Name: optDirectRate, Default: strconv.Itoa(ycloud.DirectRate), What: "requests per second per sender on POST /whatsapp/messages/sendDirectly (0: no limit)"},
		{Name: optMaxEndpoints, Default: strconv.Itoa(defaultMaxEndpoints), What: "webhook endpoints the account may have"},
		{Name: optWebhookSecret, Default: randomSecret, What: "signing secret of the endpoints made from --callback-url (\"random\": a new whsec_ secret, logged nowhere)"},
		{Name: optSuspendAfter, Default: strconv.Itoa(defaultSuspendAfter), What: "failed deliveries within a minute after which an endpoint goes pending"},
		{Name: optSuspendFor, Default: defaultSuspendFor.String(), What: "how long a failing endpoint stays pending (scaled by the time scale)"},
	}
}

// parseOptions reads the settings given; the core has refused unknown
// names already.
func parseOptions(set map[string]string) (options, error) {
	o := options{enqueueRate: ycloud.EnqueueRate, directRate: ycloud.DirectRate, maxEndpoints: defaultMaxEndpoints,
		suspendAfter: defaultSuspendAfter, suspendFor: defaultSuspendFor}
	if v := set[optWebhookSecret]; v != randomSecret {
		o.webhookSecret = v
	}
	for _, n := range []struct {
		name string
		dst  *int
		min  int
	}{{optEnqueueRate, &o.enqueueRate, 0}, {optDirectRate, &o.directRate, 0}, {optMaxEndpoints, &o.maxEndpoints, 1}, {optSuspendAfter, &o.suspendAfter, 1}} {
		v, ok := set[n.name]
		if !ok {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < n.min {
			return o, fmt.Errorf("sim config: Options: %s %q: want an integer >= %d", n.name, v, n.min)
		}
		*n.dst = i
	}
	if v, ok := set[optSuspendFor]; ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return o, fmt.Errorf("sim config: Options: %s %q: want a positive duration (\"3m\")", optSuspendFor, v)
		}
		o.suspendFor = d
	}
	return o, nil
}
