package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// MaxRate is the highest rate (requests per second) a stage may ask for;
// above it the profile is rejected as impossible.
const MaxRate = 1_000_000

// MaxDuration is the longest a load run may plan (all stages, --duration),
// and the longest any single duration of a profile (timeout, grace,
// ratelimit.max_wait) may be: one week. Longer asks are one-line errors.
const MaxDuration = 7 * 24 * time.Hour

// MaxBudget is the longest a run may take: stages, rate-limit recovery
// wait and DLR grace period, each at most MaxDuration.
const MaxBudget = 3 * MaxDuration

// Profile is a parsed, validated load profile.
type Profile struct {
	// Name identifies the profile ("send"); Description is one line.
	Name        string
	Description string
	// Source is the file (or "builtin:<name>") the profile came from.
	Source string
	// Stages run one after the other.
	Stages []Stage
	// Mix is the weighted operation mix.
	Mix []OpWeight
	// Payload controls request bodies.
	Payload Payload
	// Timeout bounds each request; Workers and MaxWorkers size vegeta's
	// worker pool (MaxWorkers 0 = unbounded).
	Timeout    time.Duration
	Workers    uint64
	MaxWorkers uint64
	// Grace is how long to wait for DLRs after the attack.
	Grace time.Duration
	// RateLimit, when set, checks rate-limit conformance.
	RateLimit *RateLimitCheck
	// SimRateLimit is the in-process simulator's limit (requests per
	// second, 0 = off) used when no --target is given.
	SimRateLimit int
	// SimOptions are the in-process simulator's wire options
	// (--sim-option NAME=VALUE; the on-premises client's throughput), by
	// name; --sim-option given on the command line wins.
	SimOptions map[string]string
	// Thresholds are evaluated at the end of the run.
	Thresholds []threshold.Threshold
}

// Stage is one stretch of the attack: a constant rate (From == To) or a
// linear ramp from From to To.
type Stage struct {
	Duration time.Duration
	From, To Rate
}

// Rate is requests per second, absolute or relative to the target's
// advertised X-RateLimit-Limit ("3x").
type Rate struct {
	Value    float64
	Relative bool
}

func (r Rate) String() string {
	if r.Relative {
		return fmt.Sprintf("%gx", r.Value)
	}
	return fmt.Sprintf("%g/s", r.Value)
}

// OpWeight is one operation of the mix with its weight.
type OpWeight struct {
	Op     string
	Weight int
}

// Operations a mix may name.
const (
	OpSend      = "send"      // POST /messages
	OpBroadcast = "broadcast" // POST /messages/broadcast
	OpGet       = "get"       // GET /messages?id= (a recently accepted id)
	OpHealthz   = "healthz"   // GET /healthz
)

var knownOps = []string{OpSend, OpBroadcast, OpGet, OpHealthz}

// Message variants a payload may weight.
const (
	VariantText     = "text"
	VariantTemplate = "template"
	VariantMedia    = "media"
)

var knownVariants = []string{VariantText, VariantTemplate, VariantMedia}

// Payload controls the generated request bodies.
type Payload struct {
	// FirstDestination is the first E.164 number of the destination range
	// and Destinations its size; shards take disjoint slices of it.
	FirstDestination uint64
	Destinations     uint64
	// BroadcastSize is the number of destinations per broadcast request.
	BroadcastSize int
	// ReferencePrefix starts every message reference.
	ReferencePrefix string
	// Via is a vendor-specific send route, passed to the dialect
	// (YCloud: "direct" for sendDirectly); "" is the default.
	Via string
	// Variants weights the message types: text, template, media.
	Variants []OpWeight
}

// RateLimitCheck configures the rate-limit conformance checks.
type RateLimitCheck struct {
	// Recovery sends a probe after waiting the Retry-After a 429 asked
	// for, bounded by MaxWait.
	Recovery bool
	MaxWait  time.Duration
	// Limit is the per-second limit the vendor documents, for a vendor
	// that advertises none in a header (YCloud's 200 sends per second
	// per sender): relative rates ("3x") are multiples of it and
	// ratelimit_onset compares with it. 0: the dialect's documented one.
	Limit int
}

// Duration is the planned attack time (all stages), without the grace period
// or a rate-limit recovery wait.
func (p *Profile) Duration() time.Duration {
	var d time.Duration
	for _, s := range p.Stages {
		d += s.Duration
	}
	return d
}

// Budget is the longest the run may take: stages, rate-limit recovery wait
// and DLR grace period.
func (p *Profile) Budget() time.Duration {
	d := p.Duration() + p.Grace
	if p.RateLimit != nil && p.RateLimit.Recovery {
		d += p.RateLimit.MaxWait
	}
	return d
}

// Relative reports whether any stage rate is relative to the advertised
// rate limit (and so needs a probe before the attack).
func (p *Profile) Relative() bool {
	for _, s := range p.Stages {
		if s.From.Relative || s.To.Relative {
			return true
		}
	}
	return false
}

// Parse reads a profile from YAML. name is used in error messages (the file
// name); every error is one line naming the key and its line.
func Parse(name string, data []byte) (*Profile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("profile %s: empty file", name)
	}
	if err := checkKeys(root.Content[0], fileSchema, ""); err != nil {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	var raw fileYAML
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	p, err := raw.build()
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	p.Source = name
	return p, nil
}

// Scale applies --duration and --rate: a non-zero duration stretches every
// stage so the stages add up to it; a positive rate scales every stage rate
// so the highest absolute rate equals it (relative rates are scaled the same
// way, relative to their peak).
func (p *Profile) Scale(duration time.Duration, rate float64) error {
	if duration < 0 {
		return fmt.Errorf("--duration %s: must be positive", duration)
	}
	if duration > MaxDuration {
		return fmt.Errorf("--duration %s: longer than the maximum of %s for one run (split a longer soak into runs)", duration, MaxDuration)
	}
	if finite.Check(rate) != nil || rate < 0 || rate > MaxRate {
		return fmt.Errorf("--rate %g: must be between 0 and %d", rate, MaxRate)
	}
	if duration > 0 {
		f := float64(duration) / float64(p.Duration())
		for i := range p.Stages {
			p.Stages[i].Duration = time.Duration(math.Round(float64(p.Stages[i].Duration) * f))
		}
	}
	if rate > 0 {
		p.scaleRate(rate)
	}
	return nil
}

func (p *Profile) scaleRate(rate float64) {
	peak := 0.0
	for _, s := range p.Stages {
		peak = math.Max(peak, math.Max(s.From.Value, s.To.Value))
	}
	if peak == 0 { // "as fast as possible" stages become constant at rate
		for i := range p.Stages {
			p.Stages[i].From, p.Stages[i].To = Rate{Value: rate}, Rate{Value: rate}
		}
		return
	}
	f := rate / peak
	for i := range p.Stages {
		s := &p.Stages[i]
		s.From.Value *= f
		s.To.Value *= f
	}
}

// Resolve turns relative rates into absolute ones given the advertised
// limit (requests per second).
func (p *Profile) Resolve(limit float64) {
	for i := range p.Stages {
		s := &p.Stages[i]
		for _, r := range []*Rate{&s.From, &s.To} {
			if r.Relative {
				*r = Rate{Value: r.Value * limit}
			}
		}
	}
}
