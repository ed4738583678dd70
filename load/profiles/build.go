package profiles

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/load/threshold"
)

// Defaults for keys a profile leaves out.
const (
	defaultTimeout       = 10 * time.Second
	defaultWorkers       = 10
	defaultMaxWorkers    = 4096
	defaultGrace         = 10 * time.Second
	defaultFirstDest     = 64220000000 // clear of the simulator's magic +642100000xx numbers
	defaultDestinations  = 1_000_000
	defaultBroadcastSize = 10
	defaultRefPrefix     = "wabcheck"
	defaultMaxWait       = 30 * time.Second
)

// build validates the raw file and returns the Profile.
func (f *fileYAML) build() (*Profile, error) {
	if !f.Name.Set || f.Name.Raw == "" {
		return nil, fmt.Errorf("line 1: name: missing (every profile needs a name)")
	}
	p := &Profile{Name: f.Name.Raw, Description: f.Description.Raw}
	steps := []func(*Profile) error{f.buildStages, f.buildMix, f.buildPayload, f.buildKnobs, f.buildRateLimit, f.buildThresholds}
	for _, step := range steps {
		if err := step(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (f *fileYAML) buildStages(p *Profile) error {
	if len(f.Stages) == 0 {
		return fmt.Errorf("line 1: stages: missing (at least one stage with duration and rate, or from/to)")
	}
	var total time.Duration
	for i, s := range f.Stages {
		st, err := s.build(fmt.Sprintf("stages[%d]", i))
		if err != nil {
			return err
		}
		if total += st.Duration; total > MaxDuration { // each at most MaxDuration: no overflow
			return fieldErr(s.Duration, fmt.Sprintf("stages[%d].duration", i), "the stages add up to more than the maximum of %s for one run", MaxDuration)
		}
		if st.From.Value == 0 && st.To.Value == 0 && len(f.Stages) > 1 {
			return fieldErr(s.Rate, fmt.Sprintf("stages[%d].rate", i), "rate 0 (as fast as possible) must be the only stage")
		}
		p.Stages = append(p.Stages, st)
	}
	return nil
}

func (s stageYAML) build(path string) (Stage, error) {
	line := s.Duration
	for _, c := range []scalar{s.Rate, s.From, s.To} {
		if !line.Set && c.Set {
			line = c
		}
	}
	if !s.Duration.Set {
		return Stage{}, fieldErr(line, path+".duration", "missing")
	}
	d, err := parseDuration(s.Duration, path+".duration", 0)
	if err != nil {
		return Stage{}, err
	}
	switch {
	case s.Rate.Set && (s.From.Set || s.To.Set):
		return Stage{}, fieldErr(s.Rate, path+".rate", "give either rate (constant) or from and to (ramp), not both")
	case s.Rate.Set:
		r, err := parseRate(s.Rate, path+".rate")
		return Stage{Duration: d, From: r, To: r}, err
	case s.From.Set != s.To.Set:
		return Stage{}, fieldErr(line, path, "a ramp needs both from and to")
	case !s.From.Set:
		return Stage{}, fieldErr(line, path+".rate", "missing (give rate, or from and to)")
	}
	from, err := parseRate(s.From, path+".from")
	if err != nil {
		return Stage{}, err
	}
	to, err := parseRate(s.To, path+".to")
	if err != nil {
		return Stage{}, err
	}
	if from.Relative != to.Relative {
		return Stage{}, fieldErr(s.To, path+".to", "from and to must both be absolute or both multiples (x)")
	}
	if from.Value == 0 && to.Value == 0 {
		return Stage{}, fieldErr(s.From, path+".from", "impossible ramp from 0 to 0 (use rate: 0 for as fast as possible)")
	}
	return Stage{Duration: d, From: from, To: to}, nil
}

func (f *fileYAML) buildMix(p *Profile) error {
	mix, err := weights(&f.Mix, "mix", knownOps)
	if err != nil {
		return err
	}
	if mix == nil {
		mix = []OpWeight{{Op: OpSend, Weight: 1}}
	}
	p.Mix = mix
	return nil
}

func (f *fileYAML) buildPayload(p *Profile) error {
	y := f.Payload
	var err error
	pl := Payload{ReferencePrefix: defaultRefPrefix}
	first := y.FirstDestination
	first.Raw = strings.TrimPrefix(first.Raw, "+")
	if pl.FirstDestination, err = parseInt(first, "payload.first_destination", defaultFirstDest, 10, 999_999_999_999_999); err != nil {
		return err
	}
	if pl.Destinations, err = parseInt(y.Destinations, "payload.destinations", defaultDestinations, 1, 1e12); err != nil {
		return err
	}
	if len(strconv.FormatUint(pl.FirstDestination+pl.Destinations-1, 10)) > 15 {
		return fieldErr(y.Destinations, "payload.destinations", "range runs past 15 digits (E.164)")
	}
	n, err := parseInt(y.BroadcastSize, "payload.broadcast_size", defaultBroadcastSize, 1, 1000)
	if err != nil {
		return err
	}
	pl.BroadcastSize = int(n)
	if y.ReferencePrefix.Set {
		if len(y.ReferencePrefix.Raw) > 100 || strings.ContainsAny(y.ReferencePrefix.Raw, "\"\\") {
			return fieldErr(y.ReferencePrefix, "payload.reference_prefix", "must be at most 100 characters without quotes or backslashes")
		}
		pl.ReferencePrefix = y.ReferencePrefix.Raw
	}
	if y.Via.Set {
		if len(y.Via.Raw) > 32 || strings.ContainsAny(y.Via.Raw, "\"\\ ") {
			return fieldErr(y.Via, "payload.via", "must be a short route name (the vendor's, e.g. direct)")
		}
		pl.Via = y.Via.Raw
	}
	if pl.Variants, err = weights(&y.Variants, "payload.variants", knownVariants); err != nil {
		return err
	}
	if pl.Variants == nil {
		pl.Variants = []OpWeight{{Op: VariantText, Weight: 1}}
	}
	p.Payload = pl
	return nil
}

func (f *fileYAML) buildKnobs(p *Profile) error {
	var err error
	if p.Timeout, err = parseDuration(f.Timeout, "timeout", defaultTimeout); err != nil {
		return err
	}
	if p.Grace, err = parseDuration(f.Grace, "grace", defaultGrace); err != nil {
		return err
	}
	if p.Workers, err = parseInt(f.Workers, "workers", defaultWorkers, 1, 100_000); err != nil {
		return err
	}
	if p.MaxWorkers, err = parseInt(f.MaxWorkers, "max_workers", defaultMaxWorkers, 1, 1_000_000); err != nil {
		return err
	}
	if p.MaxWorkers < p.Workers {
		return fieldErr(f.MaxWorkers, "max_workers", "%d is below workers (%d)", p.MaxWorkers, p.Workers)
	}
	lim, err := parseInt(f.Sim.RateLimit, "sim.rate_limit", 0, 0, 1_000_000)
	p.SimRateLimit = int(lim)
	if err != nil {
		return err
	}
	p.SimOptions, err = simOptions(&f.Sim.Options)
	return err
}

// simOptions reads sim.options, a mapping of option names to single
// values (the simulator checks the names and values when it starts).
func simOptions(n *yaml.Node) (map[string]string, error) {
	if n.Kind == 0 {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: sim.options: expected a mapping of option names to values", n.Line)
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode || k.Value == "" {
			return nil, fmt.Errorf("line %d: sim.options.%s: expected a single value", v.Line, k.Value)
		}
		out[k.Value] = v.Value
	}
	return out, nil
}

func (f *fileYAML) buildRateLimit(p *Profile) error {
	if f.RateLimit == nil {
		if p.Relative() {
			return fmt.Errorf("line 1: stages: rates relative to the advertised limit (x) need a ratelimit section")
		}
		return nil
	}
	rl := &RateLimitCheck{Recovery: true}
	if r := f.RateLimit.Recovery; r.Set {
		b, err := strconv.ParseBool(r.Raw)
		if err != nil {
			return fieldErr(r, "ratelimit.recovery", "%q is not true or false", r.Raw)
		}
		rl.Recovery = b
	}
	var err error
	if rl.MaxWait, err = parseDuration(f.RateLimit.MaxWait, "ratelimit.max_wait", defaultMaxWait); err != nil {
		return err
	}
	lim, err := parseInt(f.RateLimit.Limit, "ratelimit.limit", 0, 1, MaxRate)
	if err != nil {
		return err
	}
	rl.Limit = int(lim)
	p.RateLimit = rl
	return nil
}

func (f *fileYAML) buildThresholds(p *Profile) error {
	for i, s := range f.Thresholds {
		t, err := threshold.Parse(s.Raw)
		if err != nil {
			return fieldErr(s, fmt.Sprintf("thresholds[%d]", i), "%v", err)
		}
		p.Thresholds = append(p.Thresholds, t)
	}
	return nil
}
