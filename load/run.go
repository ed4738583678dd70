package load

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/rundir"
	"github.com/wabcheck/wabcheck/spec"
)

// Options configures Run; the CLI fills it from flags.
type Options struct {
	Profile *Profile
	Doc     *spec.Doc
	// Target is the API root (with base path); "" runs the in-process
	// simulator.
	Target         string
	User, Password string
	AllowRemote    bool
	// ReportRoot and ReportDir choose the run folder (rundir.Create).
	ReportRoot, ReportDir string
	Shard                 Shard
	// CallbackListen is where the callback receiver listens for a
	// --target run ("" = no delivery accounting); CallbackURL is the URL
	// the target was told to post to (informational).
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
	Summary *Summary
	Dir     string
}

// Run executes the profile and writes the run folder. It returns an error
// only when the run could not happen (configuration, setup); threshold
// failures are in Summary.Pass. A cancelled ctx stops the attack and still
// writes the report of what ran.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Profile == nil || o.Doc == nil {
		return nil, fmt.Errorf("load: Options.Profile and Options.Doc are required")
	}
	p := *o.Profile
	p.Stages = append([]Stage(nil), o.Profile.Stages...)
	env, err := setup(ctx, o, &p)
	if err != nil {
		return nil, err
	}
	defer env.close()
	if p.Relative() {
		lim, err := probeLimit(ctx, env)
		if err != nil {
			return nil, err
		}
		p.Resolve(float64(lim))
	}
	p.share(o.Shard)
	dir, err := createRunDir(o.ReportRoot, o.ReportDir, o.Now)
	if err != nil {
		return nil, err
	}
	s, err := attack(ctx, o, env, &p, dir)
	if err != nil {
		return nil, err
	}
	if err := writeReports(s, dir); err != nil {
		return nil, err
	}
	return &Result{Summary: s, Dir: dir}, nil
}

// createRunDir creates the load run folder (rundir.Create) named by now,
// or by time.Now when now is nil.
func createRunDir(root, dir string, now func() time.Time) (string, error) {
	if now == nil {
		now = time.Now
	}
	return rundir.Create(root, dir, "load", now())
}

// share divides every stage rate by the shard count: each shard runs its
// share of the rate (rate 0, as fast as possible, stays as it is).
func (p *Profile) share(sh Shard) {
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
func attackName(p *Profile, sh Shard) string {
	if sh.Sharded() {
		return p.Name + "/shard-" + strconv.Itoa(sh.Index)
	}
	return p.Name
}

func attack(ctx context.Context, o Options, env *environment, p *Profile, dir string) (*Summary, error) {
	f, err := os.Create(filepath.Join(dir, "results.bin"))
	if err != nil {
		return nil, fmt.Errorf("results.bin: %w", err)
	}
	defer f.Close()
	pacer := NewStagePacer(p.Stages)
	gen := NewGenerator(env.targetConfig(o, p), env.recent)
	maxBody := max(o.MaxBody, 4<<10, 128*p.Payload.BroadcastSize+1024)
	atk := vegeta.NewAttacker(vegeta.Workers(p.Workers), vegeta.MaxWorkers(p.MaxWorkers),
		vegeta.Timeout(p.Timeout), vegeta.MaxBody(int64(maxBody)), vegeta.KeepAlive(true))
	s := &Summary{Tool: "wabcheck load", Profile: p.Name, Description: p.Description, Source: p.Source,
		Attack: attackName(p, o.Shard), Target: redact.URL(env.base), InProcess: env.sim != nil, Planned: pacer.Total()}
	if o.Shard.Sharded() {
		s.Shard = fmt.Sprintf("%d/%d", o.Shard.Index, o.Shard.Count)
	}
	for i, st := range p.Stages {
		s.Stages = append(s.Stages, StageSummary{Duration: st.Duration, From: st.From.Value, To: st.To.Value, PlannedHits: pacer.StageHits()[i]})
	}
	c := NewCollector(CollectorConfig{Pacer: pacer, Budget: p.Budget() + 30*time.Second, Results: f,
		Validator: env.validator, Sample: o.ValidateSample, MaxBody: maxBody, Expecter: env.expecter(), Recent: env.recent})
	s.Validation.Enabled, s.Validation.Sample = env.validator != nil && o.ValidateSample > 0, o.ValidateSample
	s.Start = time.Now()
	c.cfg.Start = s.Start
	results := atk.Attack(gen.Targeter(), pacer, pacer.Total(), s.Attack)
	stopProgress := startProgress(o, c, env, pacer.Total(), s.Start)
	stopped := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-stopped:
		}
	}()
	for r := range results {
		c.Add(r)
	}
	close(stopped)
	if err := c.Close(); err != nil {
		stopProgress()
		return nil, fmt.Errorf("results.bin: %w", err)
	}
	s.Interrupted = ctx.Err() != nil
	s.fill(c, pacer.Rate)
	finish(ctx, s, c, env, p)
	stopProgress()
	s.End = time.Now()
	s.Evaluate(p.Thresholds)
	return s, nil
}

// finish runs the rate-limit recovery probe and waits out the DLR grace
// period (both skipped when interrupted), then fills the delivery record.
func finish(ctx context.Context, s *Summary, c *Collector, env *environment, p *Profile) {
	if p.RateLimit != nil {
		s.RateLimit.Checked = true
		if p.RateLimit.Recovery {
			s.RateLimit.Recovery = probeRecovery(ctx, env, &c.RL, p.RateLimit.MaxWait)
		}
	}
	if env.receiver == nil {
		return
	}
	waitGrace(ctx, env.receiver, p.Grace)
	s.Delivery = env.receiver.Delivery()
	s.Delivery.Enabled = true
	s.Delivery.Accepted = max(s.Delivery.Accepted, c.Accepted)
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
