package load

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/rundir"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/report"
	"github.com/wabcheck/wabcheck/load/summary"
	"github.com/wabcheck/wabcheck/spec"
)

// Options configures Run; the CLI fills it from flags.
type Options struct {
	Profile *profiles.Profile
	// Dialect is the vendor's API; Doc its spec.
	Dialect dialect.Dialect
	Doc     *spec.Doc
	// Target is the API root (with base path); "" runs the in-process
	// simulator.
	Target      string
	Credentials dialect.Credentials
	// From is the business number to send from ("" for the dialect's
	// default; YCloud needs the account's number against a real target).
	From        string
	AllowRemote bool
	// WebhookSecret and Register say how a vendor's signed or registered
	// callbacks reach the receiver (see harness.Options); SimConfig adjusts
	// the in-process simulator.
	WebhookSecret, Register string
	SimConfig               func(*sim.Config)
	// ReportRoot and ReportDir choose the run folder (rundir.New).
	ReportRoot, ReportDir string
	Shard                 Shard
	// CallbackListen is where the callback receiver listens for a
	// --target run ("" = no delivery accounting); CallbackURL is the base
	// URL the target was told to post to (…/status, …/reply): printed at
	// the start and recorded, credentials redacted.
	CallbackListen, CallbackURL string
	// ValidateSample is the share of responses validated: 1 all, 0 off.
	ValidateSample float64
	// Progress receives the live progress line; TTY rewrites it in place.
	Progress io.Writer
	TTY      bool
	// ProgressEvery is the interval of progress lines (default 1 s on a
	// TTY, 10 s otherwise).
	ProgressEvery time.Duration
	// MaxBody bounds the response bytes kept per result (default 4 KB,
	// raised for large broadcasts).
	MaxBody int
	// Now is the clock for the run folder name; nil means time.Now.
	Now func() time.Time
}

// Result is what Run produced.
type Result struct {
	Summary *summary.Summary
	Dir     string
}

// Run executes the profile and writes the run folder. It returns an error
// only when the run could not happen (configuration, setup); threshold
// failures are in Summary.Pass. A cancelled ctx stops the attack and still
// writes the report of what ran. reports/latest moves only once the
// reports are written.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	p := *o.Profile
	p.Stages = append([]profiles.Stage(nil), o.Profile.Stages...)
	env, err := setup(ctx, o, &p)
	if err != nil {
		return nil, err
	}
	defer env.close()
	if err := preflight(ctx, env, o.Target); err != nil {
		return nil, err
	}
	if p.Relative() {
		lim, err := probeLimit(ctx, env, documentedLimit(&p, env.d))
		if err != nil {
			return nil, err
		}
		p.Resolve(float64(lim))
	}
	shareRate(&p, o.Shard)
	announce(o, env)
	run, err := newRunDir(o.ReportRoot, o.ReportDir, o.Now)
	if err != nil {
		return nil, err
	}
	s, latency, err := attack(ctx, o, env, &p, run.Dir)
	if err != nil {
		_ = run.Discard() // nothing worth reading was written
		return nil, err
	}
	return publish(s, latency, run)
}

// check refuses options no run could use, before anything starts.
func (o *Options) check() error {
	if o.Profile == nil || o.Doc == nil || o.Dialect == nil {
		return fmt.Errorf("load: Options.Profile, Options.Dialect and Options.Doc are required")
	}
	if finite.Check(o.ValidateSample) != nil || o.ValidateSample < 0 || o.ValidateSample > 1 {
		return fmt.Errorf("load: Options.ValidateSample %v: want a share between 0 and 1", o.ValidateSample)
	}
	return nil
}

// publish writes the reports (with latency, the receipt-latency histogram
// behind s's delivery percentiles, or nil), then points reports/latest at
// the run.
func publish(s *summary.Summary, latency func() *callbacks.LatencyHistogram, run *rundir.Run) (*Result, error) {
	if err := writeReports(s, latency, run.Dir); err != nil {
		return nil, err
	}
	if err := run.Publish(); err != nil {
		return nil, err
	}
	return &Result{Summary: s, Dir: run.Dir}, nil
}

// writeReports writes summary.json, the DLR latency histogram latency
// (LatencyFile, with delivery accounting), load.html and plot.html into dir.
func writeReports(s *summary.Summary, latency func() *callbacks.LatencyHistogram, dir string) error {
	if err := s.WriteJSON(dir); err != nil {
		return err
	}
	if err := writeLatency(dir, &s.Delivery, latency); err != nil {
		return err
	}
	if err := report.WriteHTML(s, filepath.Join(dir, "load.html")); err != nil {
		return err
	}
	return report.WritePlot(s.Profile, dir)
}

// newRunDir makes the load run folder (rundir.New) named by now, or by
// time.Now when now is nil; the caller publishes or discards it.
func newRunDir(root, dir string, now func() time.Time) (*rundir.Run, error) {
	if now == nil {
		now = time.Now
	}
	return rundir.New(root, dir, "load", now())
}

// announce prints where a real target must post its callbacks: what the
// harness registered, or the URLs to configure by hand.
func announce(o Options, env *environment) {
	if o.Progress == nil || o.Target == "" {
		return
	}
	urls := env.h.CallbackURLs
	if urls == nil && o.CallbackURL != "" {
		urls = harness.KindURLs(env.d, redact.URL(callbackBase(o.CallbackURL)))
	}
	if env.h.Webhook.Description != "" {
		fmt.Fprintf(o.Progress, "wabcheck load: registered with the vendor: %s (removed when the run ends)\n", env.h.Webhook.Description)
	}
	for _, k := range sortedKeys(urls) {
		fmt.Fprintf(o.Progress, "wabcheck load: configure the target's %s callback URL as %s\n", k, urls[k])
	}
	if o.CallbackListen == "" {
		fmt.Fprintln(o.Progress, "wabcheck load: no --callback-listen, so callbacks are not received or counted")
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// callbackBase is --callback-url without a trailing slash.
func callbackBase(u string) string { return strings.TrimRight(u, "/") }

// shareRate divides every stage rate of p by the shard count: each shard
// runs its share of the rate (rate 0, as fast as possible, stays as it is).
func shareRate(p *profiles.Profile, sh Shard) {
	if !sh.Sharded() {
		return
	}
	for i := range p.Stages {
		p.Stages[i].From.Value /= float64(sh.Count)
		p.Stages[i].To.Value /= float64(sh.Count)
	}
}

// attackName is the vegeta attack name: unique per shard so plots and
// merges keep shards apart.
func attackName(p *profiles.Profile, sh Shard) string {
	if sh.Sharded() {
		return p.Name + "/shard-" + strconv.Itoa(sh.Index)
	}
	return p.Name
}

// newSummary starts the summary with what is known before the attack.
func newSummary(o Options, env *environment, p *profiles.Profile, pacer *StagePacer) *summary.Summary {
	s := &summary.Summary{Tool: "wabcheck load", Vendor: o.Dialect.Info().Name, Profile: p.Name, Description: p.Description, Source: p.Source,
		Attack: attackName(p, o.Shard), Target: redact.URL(env.base), InProcess: env.sim != nil, Planned: pacer.Total(),
		Spec: o.Doc.Name, Errata: o.Doc.Errata.Summary()}
	if o.CallbackURL != "" {
		s.CallbackURL = redact.URL(callbackBase(o.CallbackURL))
	}
	if o.Shard.Sharded() {
		s.Shard = fmt.Sprintf("%d/%d", o.Shard.Index, o.Shard.Count)
	}
	for i, st := range p.Stages {
		s.Stages = append(s.Stages, summary.StageSummary{Duration: st.Duration, From: st.From.Value, To: st.To.Value, PlannedHits: pacer.StageHits()[i]})
	}
	s.Validation.Enabled, s.Validation.Sample = env.validator != nil && o.ValidateSample > 0, o.ValidateSample
	return s
}

// attack runs the profile and returns its summary and the receipt-latency
// histogram behind the delivery percentiles (nil without delivery
// accounting).
func attack(ctx context.Context, o Options, env *environment, p *profiles.Profile, dir string) (*summary.Summary, func() *callbacks.LatencyHistogram, error) {
	f, err := os.Create(filepath.Join(dir, "results.bin"))
	if err != nil {
		return nil, nil, fmt.Errorf("results.bin: %w", err)
	}
	defer f.Close()
	pacer := NewStagePacer(p.Stages)
	gen := NewGenerator(env.targetConfig(o, p), env.recent)
	maxBody := max(o.MaxBody, 4<<10, 128*p.Payload.BroadcastSize+1024)
	atk := newAttacker(ctx, p, maxBody)
	s := newSummary(o, env, p, pacer)
	c := NewCollector(CollectorConfig{Pacer: pacer, Budget: p.Budget() + 30*time.Second, Results: f, Dialect: env.d,
		Validator: env.validator, Sample: o.ValidateSample, MaxBody: maxBody, Expecter: env.expecter(), Recent: env.recent, Forget: env.forget()})
	s.Start = time.Now()
	c.cfg.Start = s.Start
	results := atk.Attack(gen.Targeter(), pacer, pacer.Total(), s.Attack)
	stopProgress := startProgress(o, c, env, pacer.Total(), s.Start)
	stoppedAt := drain(ctx, atk, results, c, s.Start)
	attacked := time.Since(s.Start)
	if err := c.Close(); err != nil {
		stopProgress(attacked)
		return nil, nil, fmt.Errorf("results.bin: %w", err)
	}
	s.Interrupted = ctx.Err() != nil
	fillSummary(s, c, pacer.Rate)
	s.RateLimit.Documented = documentedLimit(p, env.d)
	plan(s, pacer, stoppedAt)
	latency := finish(ctx, s, c, env, p)
	stopProgress(attacked)
	s.End = time.Now()
	s.Evaluate(p.Thresholds)
	return s, latency, nil
}

// drain feeds the attack's results to c until they end. When ctx is done
// first it stops the attack and returns how long after start that was;
// otherwise it returns 0.
func drain(ctx context.Context, atk *vegeta.Attacker, results <-chan *vegeta.Result, c *Collector, start time.Time) time.Duration {
	var stoppedAt time.Duration
	stopped := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			stoppedAt = max(time.Since(start), time.Nanosecond)
			atk.Stop()
		case <-stopped:
		}
	}()
	for r := range results {
		c.Add(r)
	}
	close(stopped)
	wg.Wait()
	return stoppedAt
}

// finish runs the rate-limit recovery probe and waits out the DLR grace
// period (both skipped when interrupted), then fills the delivery record
// and returns the receipt-latency histogram behind it (nil without a
// receiver).
func finish(ctx context.Context, s *summary.Summary, c *Collector, env *environment, p *profiles.Profile) func() *callbacks.LatencyHistogram {
	if p.RateLimit != nil {
		s.RateLimit.Checked = true
		if p.RateLimit.Recovery {
			s.RateLimit.Recovery = probeRecovery(ctx, env, &c.RL, p.RateLimit.MaxWait, c.setPhase)
		}
	}
	if env.receiver == nil {
		return nil
	}
	c.setPhase(fmt.Sprintf("waiting up to %s for outstanding DLRs", p.Grace))
	waitGrace(ctx, env.receiver, p.Grace)
	s.Delivery = env.receiver.Delivery()
	s.Delivery.Enabled = true
	s.Delivery.Accepted = max(s.Delivery.Accepted, c.Accepted)
	return env.receiver.LatencyHistogram
}

// waitGrace polls the receiver until every accepted message has a terminal
// status, grace has passed, or ctx is done.
func waitGrace(ctx context.Context, r Receiver, grace time.Duration) {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	for {
		t0 := time.Now()
		if d := r.Delivery(); d.Missing == 0 {
			return
		}
		// the summary walks every message: poll no more than a fifth of the time
		pause := time.NewTimer(max(100*time.Millisecond, 4*time.Since(t0)))
		select {
		case <-ctx.Done():
			pause.Stop()
			return
		case <-deadline.C:
			pause.Stop()
			return
		case <-pause.C:
		}
	}
}
