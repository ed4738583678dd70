package conform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/features"
	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/steps"
)

// defaultTo is the test destination against the simulator: an ordinary
// number (delivered, never read).
const defaultTo = "+64211000001"

// Run runs the suite as o says and returns its record. The error is a
// configuration or setup problem (exit 2); scenario failures are in the
// record (Run.Passed). When ctx ends (Ctrl-C) the scenarios still to come
// are skipped and the record of what ran is returned, Interrupted set.
func Run(ctx context.Context, o Options) (*report.Run, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o, now := prepare(o)
	v, err := validate.New(o.Doc)
	if err != nil {
		return nil, fmt.Errorf("--spec: %w", err)
	}
	env := newEnv(o, v, now)
	h, err := setup(o, env, env.Receiver)
	if err != nil {
		return nil, err
	}
	defer h.closeAndTell(o.Output)
	if err := env.Validate(); err != nil {
		return nil, err
	}
	simulated := o.Target == ""
	tags := effectiveTags(o.Tags, simulated, o.Assisted)
	run, index, err := skeleton(o, tags)
	if err != nil {
		return nil, err
	}
	if err := checkSelection(o.Tags, tags, index); err != nil {
		return nil, err
	}
	run.Target, run.Simulated, run.Started = h.target, simulated, now()
	run.StatusCallbackURL, run.ReplyCallbackURL = h.statusURL, h.replyURL
	announce(o.Output, run)
	r := &runner{o: o, env: env, index: index, now: now}
	if err := r.phase(ctx, and(tags, "~"+TagSerial), o.Concurrency); err != nil {
		return nil, err
	}
	if err := r.phase(ctx, and(tags, TagSerial), 1); err != nil {
		return nil, err
	}
	finish(run, o, env, now, ctx.Err() != nil)
	run.HarnessErrors = h.errs()
	if o.Format != "" {
		printCounts(o.Output, run)
	}
	return run, nil
}

// prepare fills o's defaults and returns its clock.
func prepare(o Options) (Options, func() time.Time) {
	o = o.Resolve()
	if o.FS == nil {
		o.FS = features.FS
	}
	if len(o.Paths) == 0 {
		o.Paths = []string{"."}
	}
	if o.Now == nil {
		return o, time.Now
	}
	return o, o.Now
}

func newEnv(o Options, v *validate.Validator, now func() time.Time) *steps.Env {
	to := o.To
	if len(to) == 0 {
		to = []string{defaultTo}
	}
	return &steps.Env{
		To: to, Simulated: o.Target == "",
		Client: httpc.New(o.Timeout),
		Doc:    o.Doc, Validator: v,
		Receiver:   callbacks.NewReceiver(v, callbacks.Options{KeepBodies: true, Now: now}),
		DLRTimeout: o.DLRTimeout, ReplyTimeout: o.ReplyTimeout, Settle: o.Settle,
		MaxLatency: max(o.MaxLatency, 0),
		Prompt:     o.Output, Now: now,
	}
}

// announce prints the callback URLs for the person to paste into the
// vendor's API configuration.
func announce(w io.Writer, run *report.Run) {
	fmt.Fprintf(w, "wabcheck conform: target %s\n", run.Target)
	if !run.Simulated {
		fmt.Fprintf(w, "Configure these callback URLs in the vendor's API Configuration:\n  status (DLR) callback URL: %s\n  reply (MO) callback URL:   %s\n",
			run.StatusCallbackURL, run.ReplyCallbackURL)
	}
}

// runner runs godog phases and records results into the skeleton.
type runner struct {
	o     Options
	env   *steps.Env
	index map[string]*report.Scenario
	now   func() time.Time
}

// phase runs the scenarios matching tags with the given concurrency.
func (r *runner) phase(ctx context.Context, tags string, concurrency int) error {
	if !r.any(tags) {
		return nil
	}
	format, out := consoleFormat(r.o.Format), r.o.Output
	if format == "" {
		format, out = progressFormat, io.Discard
	}
	suite := godog.TestSuite{
		Name:                "wabcheck",
		ScenarioInitializer: r.initScenario,
		Options: &godog.Options{
			FS: r.o.FS, Paths: r.o.Paths, Tags: tags, Concurrency: concurrency,
			Format: format, Output: out, Strict: true, NoColors: true,
			DefaultContext: ctx, TestingT: r.o.TestingT,
		},
	}
	if code := suite.Run(); code == 2 {
		return errors.New("conform: godog could not start the suite (check --tags)")
	}
	return nil
}

// any reports whether some scenario matches tags.
func (r *runner) any(tags string) bool {
	for _, s := range r.index {
		if matchTags(tags, s.Tags) {
			return true
		}
	}
	return false
}

// initScenario is godog's ScenarioInitializer: fresh step state per
// scenario, and hooks that record it.
func (r *runner) initScenario(sc *godog.ScenarioContext) {
	st := steps.New(r.env)
	st.RegisterSteps(sc)
	rec := &recorder{r: r, st: st}
	sc.Before(rec.before)
	sc.StepContext().Before(rec.beforeStep)
	sc.StepContext().After(rec.afterStep)
	sc.After(rec.after)
}

// recorder fills one scenario's record.
type recorder struct {
	r         *runner
	st        *steps.Scenario
	rec       *report.Scenario
	stepIDs   map[string]int
	started   time.Time
	stepStart time.Time
}

func (c *recorder) before(ctx context.Context, p *godog.Scenario) (context.Context, error) {
	c.rec = c.r.index[p.Id]
	if c.rec == nil {
		return ctx, fmt.Errorf("conform: scenario %q (%s) is not in the suite's index", p.Name, p.Id)
	}
	c.stepIDs = map[string]int{}
	for i, s := range p.Steps {
		c.stepIDs[s.Id] = i
	}
	c.started = c.r.now()
	c.rec.Reason = ""
	if ctx.Err() != nil {
		c.rec.Reason = "not run: the run was interrupted"
		return ctx, godog.ErrSkip
	}
	return ctx, nil
}

func (c *recorder) beforeStep(ctx context.Context, st *godog.Step) (context.Context, error) {
	c.st.SetStep(c.stepIDs[st.Id])
	c.stepStart = c.r.now()
	return ctx, nil
}

func (c *recorder) afterStep(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
	if c.rec == nil {
		return ctx, nil
	}
	i, ok := c.stepIDs[st.Id]
	if !ok || i >= len(c.rec.Steps) {
		return ctx, nil
	}
	s := c.rec.Steps[i]
	s.Status = stepStatus(status)
	if s.Status != report.Skipped {
		s.Duration = c.r.now().Sub(c.stepStart)
	}
	if err != nil && !errors.Is(err, godog.ErrSkip) {
		s.Error = redact.String(err.Error())
	} else if err != nil && s.Status == report.Skipped && c.rec.Reason == "" {
		c.rec.Reason = redact.String(err.Error())
	}
	return ctx, nil
}

func (c *recorder) after(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
	if c.rec == nil {
		return ctx, nil
	}
	c.rec.Duration = c.r.now().Sub(c.started)
	c.rec.Exchanges = c.st.Exchanges()
	c.rec.Messages = c.st.Messages()
	c.rec.Replies = c.st.Replies()
	c.rec.Status = scenarioStatus(c.rec, err)
	return ctx, nil
}

func stepStatus(s godog.StepResultStatus) report.Status {
	switch s {
	case godog.StepPassed:
		return report.Passed
	case godog.StepFailed, godog.StepAmbiguous:
		return report.Failed
	case godog.StepSkipped:
		return report.Skipped
	case godog.StepPending:
		return report.Pending
	}
	return report.Undefined
}

// scenarioStatus derives a scenario's status from its steps (combine)
// and the error its After hooks got.
func scenarioStatus(s *report.Scenario, hookErr error) report.Status {
	statuses := make([]report.Status, len(s.Steps))
	for i, st := range s.Steps {
		statuses[i] = st.Status
	}
	all := combine(statuses)
	if hookErr != nil && !errors.Is(hookErr, godog.ErrSkip) && all == report.Passed {
		return report.Failed
	}
	return all
}

// combine is a scenario's status from its steps' statuses, the one rule
// of the record and of the console: failed if a step failed, else
// undefined or pending if a step is (the last such), else skipped if a
// step was skipped (a scenario that checked only part of what it says
// has not passed), else passed.
func combine(statuses []report.Status) report.Status {
	all := report.Passed
	for _, st := range statuses {
		switch st {
		case report.Failed:
			return report.Failed
		case report.Undefined, report.Pending:
			all = st
		case report.Skipped:
			if all == report.Passed {
				all = report.Skipped
			}
		}
	}
	return all
}

// tooLarge returns the records of callbacks a answered 413 (over the
// body limit); when it kept only the first ones, the last says how many
// there were in all.
func tooLarge(a *steps.CallbackAuth) []report.Callback {
	if a == nil {
		return nil
	}
	n, kept := a.TooLarge()
	if len(kept) > 0 && n > len(kept) {
		last := &kept[len(kept)-1].Findings[0]
		last.Message += fmt.Sprintf(" [%d such callbacks in all; the first %d are listed]", n, len(kept))
	}
	return kept
}

// finish completes the record: unknown callbacks (those the receiver got
// and those refused for their size), coverage, duration.
func finish(run *report.Run, o Options, env *steps.Env, now func() time.Time, interrupted bool) {
	for _, e := range env.Receiver.Unknown() {
		if e.MessageID == "" || !env.Issued(e.MessageID) {
			run.UnknownCallbacks = append(run.UnknownCallbacks, steps.ToCallback(e))
		}
	}
	run.UnknownCallbacks = append(run.UnknownCallbacks, tooLarge(env.CallbackAuth)...)
	run.UnknownCallbacksNotKept = env.Receiver.Summary().NotKept.Unknown
	run.Interrupted = interrupted
	run.Universe = report.Universe(o.Doc)
	run.Coverage = report.ComputeCoverage(run.Universe, run)
	run.Duration = now().Sub(run.Started)
}
