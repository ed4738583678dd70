package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"time"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/probe"
	"github.com/wabcheck/wabcheck/internal/rundir"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

func init() { subcommands = append(subcommands, newProbeCmd) }

// probeFlags are the flags of `wabcheck probe`.
type probeFlags struct {
	spec           specFlags
	opts           probe.Options
	positive       string
	creds          credFlags
	hooks          webhookFlags
	cbListen       string
	reportDir      string
	maxLatency     time.Duration
	timeout        time.Duration
	receiptTimeout time.Duration
}

func newProbeCmd() *cobra.Command {
	f := &probeFlags{opts: probe.DefaultOptions()}
	c := &cobra.Command{
		Use:   "probe",
		Short: "Send every operation generated valid and invalid requests and check the answers",
		Long: `probe generates requests from the spec (errata applied) for every operation:
negative cases that break one rule at a time (a required property missing,
a wrong JSON type, one character past maxLength, a value the pattern does
not match in ECMA-262, outside the enum, past minimum/maximum, an undeclared
property, oneOf branches mixed, malformed JSON, an undeclared Content-Type,
an empty body, missing or wrong credentials) and positive cases from the
examples and the boundaries the spec allows (exact maxLength, each enum
value, each oneOf branch), then random ones up to --max-cases. It follows
stateful links (send → get, upload → download) and, against the in-process
simulator, a few sends to their delivery receipts. Every answer is checked:
negative_data_rejection, positive_data_acceptance, not_a_server_error,
status_code_conformance, response_schema_conformance, ignored_auth,
unsupported_method, max_response_time, ensure_resource_availability,
resource_consistency, delivery_receipts (docs/probe.md).

Each finding is reported once per operation × check × rule, with the
smallest request that shows it as a curl line (credentials as
$WABCHECK_USER/$WABCHECK_PASSWORD, never their values), the answer, and the
rule's file:line:col in the spec. Generation is deterministic for --seed.

Without --target the simulator runs in-process. Against a --target, sends
go only to the --to numbers (without them, sends are not probed), and
positive cases of other operations that change the account need
--positive all.

Reports go to reports/probe-<time>/ (and reports/latest): probe.html,
junit.xml, summary.json, cases.json; ` + "`wabcheck spec coverage --report DIR`" + ` reads
the folder. Exit 0 when nothing was found, 1 on findings (or an
interrupted run), 2 on usage or configuration errors.`,
		Example: `  wabcheck probe
  wabcheck probe --max-cases 2000 --seed 7
  wabcheck probe --operations PostMessages,GetMessages --positive none
  wabcheck probe --target https://api.vendor.example/rest/wab/v1 --to +64211234567
  WABCHECK_USER=acme WABCHECK_PASSWORD=secret wabcheck probe --target https://api.vendor.example/rest/wab/v1 \
      --to +64211234567 --positive all --callback-listen :8443
  wabcheck probe --spec my-spec.yaml --errata none --report-dir out/probe
  wabcheck probe --max-latency 2s --timeout 10s --concurrency 2 --receipt-timeout 2m`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return f.run(c.Context(), c.OutOrStdout())
		},
	}
	f.register(c)
	return c
}

func (f *probeFlags) register(c *cobra.Command) {
	f.spec.register(c)
	f.creds.register(c)
	f.hooks.register(c)
	fl := c.Flags()
	o := &f.opts
	fl.StringVar(&o.BaseURL, "target", "", "API base `URL` of a real endpoint (default: the simulator, in-process)")
	fl.StringSliceVar(&o.To, "to", nil, "test destination `NUMBER`s (E.164): the only recipients of sends to a real target")
	fl.StringVar(&o.From, "from", "", "business `NUMBER` sends to a real target come from (E.164), for a vendor whose sends name one (YCloud)")
	fl.StringSliceVar(&o.Operations, "operations", nil, "probe only these operationIds (`ID,…`; default all)")
	fl.IntVar(&o.MaxCases, "max-cases", o.MaxCases, "send at most `N` cases (examples, coverage, fuzzing and links together)")
	fl.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the generator (`S`): the same seed gives the same cases")
	fl.StringVar(&f.positive, "positive", string(probe.PositiveSafe), "positive cases against a real target: none, safe or all (`MODE`)")
	fl.DurationVar(&f.maxLatency, "max-latency", 0, "latency budget of every answer; negative (-1s): unchecked (default 5s, 1s against the simulator)")
	fl.DurationVar(&f.timeout, "timeout", 0, "bound on each request (default 30s, 10s against the simulator)")
	fl.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "requests in flight at once (`N`)")
	fl.IntVar(&o.FollowReceipts, "follow-receipts", o.FollowReceipts, "follow this many accepted sends (`N`) to a final delivery receipt")
	fl.DurationVar(&f.receiptTimeout, "receipt-timeout", 0, "wait for a final delivery receipt (default 60s, 3s against the simulator)")
	fl.StringVar(&f.cbListen, "callback-listen", "", "--target only: receive the target's delivery receipts on `ADDR` (configure the target to post them there)")
	fl.StringVar(&f.reportDir, "report-dir", "", "write the reports to `DIR` instead of reports/probe-<time>/")
}

var e164 = regexp.MustCompile(`^\+[1-9]\d{1,14}$`)

// options turns the flags into probe options; errors are usage errors.
func (f *probeFlags) options(simulated bool) (probe.Options, error) {
	o := f.opts
	doc, err := f.spec.load()
	if err != nil {
		return o, err
	}
	o.Doc, o.Positive, o.Simulated = doc, probe.PositiveMode(f.positive), simulated
	o.Timeout, o.MaxLatency, o.ReceiptTimeout = pick(f.timeout, 30*time.Second, 10*time.Second, simulated),
		pick(f.maxLatency, 5*time.Second, time.Second, simulated), pick(f.receiptTimeout, time.Minute, 3*time.Second, simulated)
	if f.maxLatency < 0 {
		o.MaxLatency = 0
	}
	for _, to := range o.To {
		if !e164.MatchString(to) {
			return o, fmt.Errorf("--to %q: not an E.164 number (+ then up to 15 digits)", to)
		}
	}
	if o.From != "" && !e164.MatchString(o.From) {
		return o, fmt.Errorf("--from %q: not an E.164 number (+ then up to 15 digits)", o.From)
	}
	if simulated && f.cbListen != "" {
		return o, errors.New("--callback-listen: only with --target (the in-process simulator has its own receiver)")
	}
	if o.Dialect, err = f.spec.dialect(); err != nil {
		return o, err
	}
	if !simulated {
		if err := dialect.CheckCredentials(o.Dialect, f.creds.credentials()); err != nil {
			return o, err
		}
	}
	if err := f.hooks.check(); err != nil {
		return o, err
	}
	if o.Validator, err = validate.New(doc, validate.Dialect(o.Dialect)); err != nil {
		return o, fmt.Errorf("--spec: %w", err)
	}
	return o, nil
}

// pick is the flag's value, or the default for the kind of target.
func pick(v, real, sim time.Duration, simulated bool) time.Duration {
	switch {
	case v > 0:
		return v
	case simulated:
		return sim
	}
	return real
}

// run checks the flags, makes the run folder, starts the in-process
// simulator (or the receipt listener), probes, writes the reports and
// turns the result into the exit code.
func (f *probeFlags) run(ctx context.Context, out io.Writer) error {
	simulated := f.opts.BaseURL == ""
	o, err := f.options(simulated)
	if err != nil {
		return err
	}
	stop, err := f.target(ctx, &o)
	if err != nil {
		return err
	}
	defer stop()
	if err := o.Validate(); err != nil {
		return err
	}
	rd, err := rundir.New("", f.reportDir, "probe", time.Now())
	if err != nil {
		return err
	}
	o.Progress = out
	fmt.Fprintf(out, "wabcheck probe: target %s\nspec: %s (%s)\n", o.Target, o.Doc.Name, o.Doc.Errata.Summary())
	res, err := probe.Run(ctx, o)
	if err != nil {
		_ = rd.Discard()
		return err
	}
	if err := probe.WriteReports(rd.Dir, res); err != nil {
		return err
	}
	if err := rd.Publish(); err != nil {
		return err
	}
	return verdict(out, res, rd.Dir)
}

// target points o at the in-process simulator, or at --target with its
// credentials (and a receipt listener with --callback-listen); the
// returned func stops what was started.
func (f *probeFlags) target(ctx context.Context, o *probe.Options) (func(), error) {
	h, err := harness.Start(ctx, harness.Options{
		Dialect: o.Dialect, Doc: o.Doc, Target: o.BaseURL, Credentials: f.creds.credentials(), Timeout: o.Timeout,
		NoReceiver: !o.Simulated && f.cbListen == "", CallbackListen: f.cbListen, Listen: listenFor(f.cbListen),
		WebhookSecret: f.hooks.webhookSecret(), Register: f.hooks.setWebhook, SimConfig: probeSim(f.hooks.simConfig()),
	})
	if err != nil {
		return nil, err
	}
	o.BaseURL, o.Auth, o.Receiver, o.Target, o.Client = h.BaseURL, h.Auth, h.Receiver, h.Target, h.Client
	if h.Sim != nil {
		o.Serves = h.Sim.Serves
	}
	return func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.Close(cctx)
	}, nil
}

// probeSim tunes the in-process simulator for probing: rate limiting and
// the wire's other account limits off (the cases are not a load test, and
// a 429, or a create refused because the account holds its maximum, would
// prove nothing about them), a fixed seed, and quick callback retries;
// --sim-option last.
func probeSim(user func(*sim.Config)) func(*sim.Config) {
	return func(c *sim.Config) {
		c.RateLimit, c.Seed, c.NoAccountLimits = 0, 1, true
		c.CallbackBackoff, c.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
		user(c)
	}
}

// listenFor opens --callback-listen; nil (a free loopback port) without
// it.
func listenFor(addr string) func(string) (net.Listener, error) {
	if addr == "" {
		return nil
	}
	return func(a string) (net.Listener, error) {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			return nil, fmt.Errorf("--callback-listen %s: %w", a, err)
		}
		return ln, nil
	}
}

// verdict prints the table and the findings and returns the exit code.
func verdict(out io.Writer, res *probe.Result, dir string) error {
	fmt.Fprintln(out)
	if err := probe.WriteTable(out, res); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nprobe: %d findings in %d cases in %v; spec coverage %.1f%%\n",
		len(res.Findings), len(res.Cases), res.Duration.Round(time.Millisecond), res.Coverage.Percent)
	for _, s := range res.Skipped {
		fmt.Fprintf(out, "left out: %s: %d cases (%s)\n", s.Operation, s.Count, s.Reason)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(out, "note: %s\n", n)
	}
	for i, fd := range res.Findings {
		fmt.Fprintf(out, "\n%d. %s %s: %s [%s] (spec %s)\n   %s\n", i+1, fd.Operation, fd.Check, fd.Message, fd.Rule, fd.Spec, fd.Curl)
	}
	fmt.Fprintf(out, "reports: %s\n", dir)
	switch {
	case res.Interrupted:
		return failed("interrupted: reports cover what ran")
	case len(res.Findings) > 0:
		return failed("%d findings; see %s/probe.html", len(res.Findings), dir)
	}
	return nil
}
