package conform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/features"
	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/steps"
)

// Run runs the suite as o says and returns its record. The error is a
// configuration or setup problem (exit 2); scenario failures are in the
// record (Run.Passed). When ctx ends (Ctrl-C) the scenarios still to come
// are skipped and the record of what ran is returned, Interrupted set.
func Run(ctx context.Context, o Options) (*report.Run, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o, now := prepare(o)
	h, err := harness.Start(ctx, harnessOptions(o, now))
	if err != nil {
		return nil, err
	}
	defer closeAndTell(h, o.Output)
	env := newEnv(o, h, now)
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
	run.Vendor, run.Target, run.Simulated, run.Started = o.Dialect.Info().Name, h.Target, simulated, now()
	run.CallbackURLs, run.Webhook = h.CallbackURLs, h.Webhook.Description
	announce(o.Output, run)
	r := &runner{o: o, env: env, index: index, now: now}
	if err := r.phase(ctx, and(tags, "~"+TagSerial), o.Concurrency); err != nil {
		return nil, err
	}
	if err := r.phase(ctx, and(tags, TagSerial), 1); err != nil {
		return nil, err
	}
	finish(run, o, env, now, ctx.Err() != nil)
	run.HarnessErrors = append(h.Errs(), setupFindings(h)...)
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
	if len(o.Paths) == 0 && o.Dialect != nil {
		o.Paths = features.Paths(o.FS, o.Dialect.Info().Name)
	}
	if o.Now == nil {
		return o, time.Now
	}
	return o, o.Now
}

// harnessOptions is the harness a run needs: the receiver keeps bodies
// (the report shows them), the simulator's late and slow faults outlast
// the run's budgets.
func harnessOptions(o Options, now func() time.Time) harness.Options {
	return harness.Options{Dialect: o.Dialect, Doc: o.Doc, Target: o.Target, Credentials: o.Credentials,
		Timeout: o.Timeout, Receiver: callbacks.Options{KeepBodies: true, Now: now},
		CallbackListen: o.CallbackListen, CallbackURL: o.CallbackURL,
		CallbackTLSCert: o.CallbackTLSCert, CallbackTLSKey: o.CallbackTLSKey,
		WebhookSecret: o.WebhookSecret, Register: o.Register, Faults: o.Faults, Now: now,
		SimConfig: func(c *sim.Config) {
			c.LateDLRDelay = o.DLRTimeout + time.Second
			c.LatencySpike = o.MaxLatency + time.Second
			if o.SimConfig != nil {
				o.SimConfig(c)
			}
		}}
}

func newEnv(o Options, h *harness.Harness, now func() time.Time) *steps.Env {
	to := o.To
	if len(to) == 0 {
		to = []string{o.Dialect.Info().SimRecipient}
	}
	return &steps.Env{
		Dialect: o.Dialect, BaseURL: h.BaseURL, Auth: h.Auth, AdminURL: h.AdminURL, From: o.From,
		To: to, Simulated: h.Simulated, BusinessNumber: businessNumber(o, h),
		Client: h.Client, Doc: o.Doc, Validator: h.Validator,
		Receiver: h.Receiver, CallbackAuth: h.CallbackAuth, WebhookURL: h.WebhookURL,
		DLRTimeout: o.DLRTimeout, ReplyTimeout: o.ReplyTimeout, Settle: o.Settle,
		MaxLatency: max(o.MaxLatency, 0),
		Prompt:     o.Output, Now: now,
	}
}

// businessNumber is the number a person writes to in @assisted steps.
func businessNumber(o Options, h *harness.Harness) string {
	if h.Sim != nil {
		return h.Sim.Config().BusinessNumber
	}
	return o.From
}

// announce prints where the vendor sends its callbacks: what was
// registered, or the URLs for the person to configure by hand.
func announce(w io.Writer, run *report.Run) {
	fmt.Fprintf(w, "wabcheck conform: %s, target %s\n", run.Vendor, run.Target)
	if run.Simulated {
		return
	}
	if run.Webhook != "" {
		fmt.Fprintf(w, "Registered with the vendor: %s (removed when the run ends)\n", run.Webhook)
		return
	}
	fmt.Fprintln(w, "Configure these callback URLs with the vendor:")
	for _, k := range sortedKeys(run.CallbackURLs) {
		fmt.Fprintf(w, "  %s: %s\n", k, run.CallbackURLs[k])
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

// closeAndTell closes the harness and tells w what went wrong, if
// anything (the results are final by then).
func closeAndTell(h *harness.Harness, w io.Writer) {
	if err := h.Close(context.Background()); err != nil {
		fmt.Fprintf(w, "wabcheck conform: closing: %v\n", redact.String(err.Error()))
	}
}

// setupFindings are the spec departures of the harness's own requests
// (login, webhook registration), one line each.
func setupFindings(h *harness.Harness) []string {
	var out []string
	for _, x := range h.Exchanges {
		for _, f := range x.Findings {
			out = append(out, "set-up request "+x.Method+" "+x.URL+": "+f.String())
		}
	}
	return out
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
	run.Universe = report.Universe(o.Doc, callbackKinds(o, env))
	run.Coverage = report.ComputeCoverage(run.Universe, run)
	run.Duration = now().Sub(run.Started)
}

// callbackKinds are the dialect's callback kinds the spec declares (the
// validator compiled them): the callback cells of spec coverage.
func callbackKinds(o Options, env *steps.Env) []string {
	var out []string
	for _, k := range o.Dialect.Callbacks().Kinds() {
		if env.Validator.HasCallback(validate.Kind(k.Name)) {
			out = append(out, k.Name)
		}
	}
	return out
}
