package onpremsim

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// AppSecretEnv is the variable the app secret is read from when the
// app-secret option is not given.
const AppSecretEnv = "WABCHECK_APP_SECRET"

// The wire's options (--sim-option NAME=VALUE).
const (
	OptWebhookFormat   = "webhook-format"
	OptAppSecret       = "app-secret"
	OptTokenTTL        = "token-ttl"
	OptThroughput      = "throughput"
	OptThroughputBurst = "throughput-burst"
	OptPairInterval    = "pair-interval"
	OptPairBurst       = "pair-burst"
	OptSentStatus      = "sent-status"
)

// Defaults of the options, as Meta documents them.
const (
	// DefaultTokenTTL is the login token's life ("By default, this is 7
	// days", User-Login-Response-Item.expires_after).
	DefaultTokenTTL = 7 * 24 * time.Hour
	// DefaultPairInterval and DefaultPairBurst: about one message every
	// 6 s to one recipient, bursts of up to 45 (Meta, "Throughput", pair
	// rate limits; error 131056).
	DefaultPairInterval = 6 * time.Second
	DefaultPairBurst    = 45
)

// Options implements sim.Optioner.
func (*api) Options() []sim.Option {
	return []sim.Option{
		{Name: OptWebhookFormat, Default: onprem.KindOnprem, What: "webhook body format: onprem (batches) or cloud (the Cloud API envelope, signed with X-Hub-Signature-256)"},
		{Name: OptAppSecret, Default: "the run's webhook secret, else $" + AppSecretEnv, What: "app secret that signs cloud webhooks (never shown)"},
		{Name: OptTokenTTL, Default: DefaultTokenTTL.String(), What: "life of a login token (expires_after)"},
		{Name: OptThroughput, Default: strconv.Itoa(onprem.DocumentedThroughput), What: "messages per second per business number before error 130429; 0 switches the limit off"},
		{Name: OptThroughputBurst, Default: "the throughput", What: "burst of the throughput limit"},
		{Name: OptPairInterval, Default: DefaultPairInterval.String(), What: "one message per this interval to one recipient before error 131056; 0 switches the limit off"},
		{Name: OptPairBurst, Default: strconv.Itoa(DefaultPairBurst), What: "burst of the pair rate limit"},
		{Name: OptSentStatus, Default: "false", What: "initial sent_status application setting (sent notifications)"},
	}
}

// options are the parsed option values.
type options struct {
	format     string
	secret     string // never logged or shown
	sentStatus bool
	liveOptions
}

// liveOptions are the options that may change while the simulator runs
// (sim.LiveOptioner): the token's life and the send limits.
type liveOptions struct {
	tokenTTL        time.Duration
	throughput      int
	throughputBurst int
	pairInterval    time.Duration
	pairBurst       int
}

// liveNames are the options SetOptions takes.
var liveNames = map[string]bool{OptTokenTTL: true, OptThroughput: true, OptThroughputBurst: true, OptPairInterval: true, OptPairBurst: true}

// parseOptions reads the options from set, each error naming the option.
// The app secret is the app-secret option, else cfgSecret (the harness's
// Config.WebhookSecret, which its receiver verifies with), else
// $WABCHECK_APP_SECRET.
func parseOptions(set map[string]string, cfgSecret string) (options, error) {
	o := options{format: onprem.KindOnprem, liveOptions: liveOptions{tokenTTL: DefaultTokenTTL,
		throughput: onprem.DocumentedThroughput, pairInterval: DefaultPairInterval, pairBurst: DefaultPairBurst}}
	p := optParser{set: set}
	if f, ok := set[OptWebhookFormat]; ok {
		if f != onprem.KindOnprem && f != onprem.KindCloud {
			return o, fmt.Errorf("sim config: Options: %s %q: want onprem or cloud", OptWebhookFormat, f)
		}
		o.format = f
	}
	o.liveOptions = p.live(o.liveOptions)
	o.sentStatus = p.boolean(OptSentStatus, false)
	if p.err != nil {
		return o, p.err
	}
	var given bool
	if o.secret, given = set[OptAppSecret]; !given {
		o.secret = cfgSecret
	}
	if o.secret == "" && !given {
		o.secret = os.Getenv(AppSecretEnv)
	}
	if o.format == onprem.KindCloud && o.secret == "" {
		return o, fmt.Errorf("sim config: Options: %s cloud signs webhooks: give %s or set $%s", OptWebhookFormat, OptAppSecret, AppSecretEnv)
	}
	return o, nil
}

// live reads the live options of p.set over cur; a throughput given
// without its burst takes the throughput as its burst.
func (p *optParser) live(cur liveOptions) liveOptions {
	o := cur
	o.tokenTTL = p.duration(OptTokenTTL, o.tokenTTL, time.Second)
	o.throughput = p.count(OptThroughput, o.throughput, 0)
	burst := o.throughputBurst
	if _, ok := p.set[OptThroughput]; ok || burst == 0 {
		burst = o.throughput
	}
	o.throughputBurst = p.count(OptThroughputBurst, max(burst, 1), 1)
	o.pairInterval = p.duration(OptPairInterval, o.pairInterval, 0)
	o.pairBurst = p.count(OptPairBurst, o.pairBurst, 1)
	return o
}

// SetOptions implements sim.LiveOptioner: token-ttl (new logins),
// throughput, throughput-burst, pair-interval and pair-burst (fresh
// buckets); the other options are fixed at start.
func (a *api) SetOptions(set map[string]string) error {
	for name := range set {
		if !liveNames[name] {
			return fmt.Errorf("%s cannot change while the simulator runs (only %s, %s, %s, %s and %s can)",
				name, OptTokenTTL, OptThroughput, OptThroughputBurst, OptPairInterval, OptPairBurst)
		}
	}
	p := optParser{set: set}
	o := p.live(*a.live.Load())
	if p.err != nil {
		return p.err
	}
	a.limits.Store(newLimits(o))
	a.live.Store(&o)
	return nil
}

// OptionValues implements sim.LiveOptioner.
func (a *api) OptionValues() map[string]string {
	o := a.live.Load()
	return map[string]string{OptTokenTTL: o.tokenTTL.String(), OptThroughput: strconv.Itoa(o.throughput),
		OptThroughputBurst: strconv.Itoa(o.throughputBurst), OptPairInterval: o.pairInterval.String(), OptPairBurst: strconv.Itoa(o.pairBurst)}
}

// optParser parses option values, keeping the first error.
type optParser struct {
	set map[string]string
	err error
}

func (p *optParser) fail(name, v, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("sim config: Options: %s %q: want %s", name, v, want)
	}
}

func (p *optParser) duration(name string, def, least time.Duration) time.Duration {
	v, ok := p.set[name]
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < least {
		p.fail(name, v, "a duration of at least "+least.String())
		return def
	}
	return d
}

func (p *optParser) count(name string, def, least int) int {
	v, ok := p.set[name]
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least {
		p.fail(name, v, "a whole number of at least "+strconv.Itoa(least))
		return def
	}
	return n
}

func (p *optParser) boolean(name string, def bool) bool {
	v, ok := p.set[name]
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, v, "true or false")
		return def
	}
	return b
}
