package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/conform"
	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/rundir"
)

func init() { subcommands = append(subcommands, newConformCmd) }

// conformFlags are the flags of `wabcheck conform`.
type conformFlags struct {
	spec        specFlags
	creds       credFlags
	hooks       webhookFlags
	opts        conform.Options
	faults      []string
	format      string
	reportDir   string
	minCoverage float64
}

func newConformCmd() *cobra.Command {
	f := &conformFlags{opts: conform.DefaultOptions()}
	c := &cobra.Command{
		Use:   "conform",
		Short: "Run the conformance suite against the simulator or a vendor's endpoint",
		Long: `Run wabcheck's conformance suite for a vendor (--vendor, default modica):
the neutral features (send, broadcast, media, callbacks, auth, rate limit,
errors, health) where the vendor has the capability, plus the vendor's own
(features/<vendor>/), and check every response and every callback against
the vendor's spec; signed callbacks are verified.

With no --target the vendor's simulator starts in-process on a free loopback
port, its callbacks pointed at the harness's receiver: ` + "`wabcheck conform`" + ` alone
runs the whole suite (minus @slow). With --target, the receiver listens on
--callback-listen and --callback-url is the public URL the vendor calls:
for a vendor whose webhooks are set through its API (YCloud, the
on-premises client) the harness registers it (--set-webhook) and removes it
at the end; otherwise it prints the URLs to paste into the vendor's
configuration. --callback-url and --callback-tls-cert/-key are for --target
only. @sim-only scenarios are skipped against a real
target, @assisted ones run only with --assisted, and @slow and
@destructive ones only when asked for with --tags.

Reports go to reports/conform-<time>/ (and reports/latest): report.html,
junit.xml, cucumber.json, summary.json, run.json. See docs/conform.md.

Exit 0 when every scenario passed, 1 when any failed (or coverage is under
--min-coverage, the run was interrupted, or the harness's own servers
failed), 2 on usage or configuration errors, including a --tags expression
that selects no scenario and a --report-dir that cannot be created (both
found before anything runs).`,
		Example: `  wabcheck conform
  wabcheck conform --vendor ycloud
  wabcheck conform --vendor onprem --sim-option webhook-format=cloud
  WABCHECK_API_KEY=… wabcheck conform --vendor ycloud --target https://api.ycloud.com/v2 \
      --from +15550001111 --to +15550002222 --callback-listen :8443 --callback-url https://cb.acme.example
  wabcheck conform --target https://api.vendor.example/rest/wab/v1 --user acme --password "$PW" \
      --to +64211234567 --callback-listen :8443 --callback-url https://cb.acme.example \
      --callback-tls-cert cb.pem --callback-tls-key cb-key.pem
  WABCHECK_USER=acme WABCHECK_PASSWORD=secret wabcheck conform --target https://api.vendor.example/rest/wab/v1
  wabcheck conform --tags "@messages,@callbacks"
  wabcheck conform --tags "@ratelimit && @slow"
  wabcheck conform --spec my-spec.yaml --errata none
  wabcheck conform --assisted --reply-timeout 10m --target https://api.vendor.example/rest/wab/v1
  wabcheck conform --fault dlr-duplicate
  wabcheck conform --concurrency 4 --format pretty
  wabcheck conform --timeout 10s --dlr-timeout 2m --max-latency 3s --settle 1s
  wabcheck conform --report-dir out/conform --min-coverage 60`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return f.run(c.Context(), c.OutOrStdout())
		},
	}
	f.register(c)
	return c
}

func (f *conformFlags) register(c *cobra.Command) {
	f.spec.register(c)
	fl := c.Flags()
	o := &f.opts
	fl.StringVar(&o.Target, "target", "", "API base `URL` of a real endpoint (default: the simulator, in-process)")
	f.creds.register(c)
	f.hooks.register(c)
	fl.StringVar(&o.From, "from", "", "business `NUMBER` to send from (E.164; YCloud needs it)")
	fl.StringSliceVar(&o.To, "to", nil, "test destination `NUMBER`s (E.164) for sends to a real target; repeat or comma-separate")
	fl.StringVar(&o.Tags, "tags", "", "godog tag `EXPR` selecting scenarios, e.g. \"@messages && ~@slow\" or \"@auth,@health\"")
	fl.BoolVar(&o.Assisted, "assisted", false, "also run @assisted scenarios (a person sends WhatsApp messages when told)")
	fl.StringVar(&o.CallbackListen, "callback-listen", "", "`ADDR` the callback receiver listens on (default a free loopback port)")
	fl.StringVar(&o.CallbackURL, "callback-url", "", "public base `URL` the vendor calls back (Modica: …/status, …/reply); user:pass@ in it is then required; --target only")
	fl.StringVar(&o.CallbackTLSCert, "callback-tls-cert", "", "serve callbacks over https with this certificate `FILE` (PEM); --target only")
	fl.StringVar(&o.CallbackTLSKey, "callback-tls-key", "", "private key `FILE` (PEM) for --callback-tls-cert")
	fl.DurationVar(&o.Timeout, "timeout", 0, "bound on each HTTP request (default 30s, 10s against the simulator)")
	fl.DurationVar(&o.DLRTimeout, "dlr-timeout", 0, "time from sending to a message's final DLR (default 60s, 3s against the simulator)")
	fl.DurationVar(&o.ReplyTimeout, "reply-timeout", 0, "wait for a reply callback (default 5m, 3s against the simulator)")
	fl.DurationVar(&o.MaxLatency, "max-latency", 0, "fail responses slower than this; negative: no budget (default 5s, 1s against the simulator)")
	fl.DurationVar(&o.Settle, "settle", 0, "keep listening this long after a final DLR for duplicates (default 2s, 150ms against the simulator)")
	fl.IntVar(&o.Concurrency, "concurrency", 8, "scenarios run at once (`N`); @serial ones always run alone")
	fl.StringArrayVar(&f.faults, "fault", nil, "switch a simulator fault on: `NAME` or NAME=RATIO (in-process simulator only; see `wabcheck sim faults`)")
	fl.StringVar(&f.format, "format", "progress", "console output: progress, pretty or none (`FORMAT`)")
	fl.StringVar(&f.reportDir, "report-dir", "", "write the reports to `DIR` instead of reports/conform-<time>/")
	fl.Var(finite.New(&f.minCoverage, 0), "min-coverage", "exit 1 when spec coverage is below `PERCENT`")
}

// options turns the flags into conform.Options; errors are usage errors.
func (f *conformFlags) options(out io.Writer) (conform.Options, error) {
	o := f.opts
	doc, err := f.spec.load()
	if err != nil {
		return o, err
	}
	if o.Dialect, err = f.spec.dialect(); err != nil {
		return o, err
	}
	o.Doc, o.Output, o.Credentials = doc, out, f.creds.credentials()
	if err := f.hooks.check(); err != nil {
		return o, err
	}
	o.WebhookSecret, o.Register, o.SimConfig = f.hooks.webhookSecret(), f.hooks.setWebhook, f.hooks.simConfig()
	if o.Faults, err = simFaults(f.spec.vendor, "", f.faults); err != nil {
		return o, err
	}
	switch f.format {
	case "none":
		o.Format = ""
	default:
		o.Format = f.format
	}
	if f.minCoverage < 0 || f.minCoverage > 100 {
		return o, fmt.Errorf("--min-coverage %v: want a percentage in [0, 100]", f.minCoverage)
	}
	return o, o.Validate()
}

// run checks the flags, makes the run folder (so an unwritable
// --report-dir fails before the suite runs), runs the suite, writes the
// reports (partial ones too, after Ctrl-C) and only then publishes the
// folder as reports/latest.
func (f *conformFlags) run(ctx context.Context, out io.Writer) error {
	o, err := f.options(out)
	if err != nil {
		return err
	}
	rd, err := rundir.New("", f.reportDir, "conform", time.Now())
	if err != nil {
		return err
	}
	run, err := conform.Run(ctx, o)
	if err != nil {
		_ = rd.Discard()
		return err
	}
	if err := report.WriteAll(rd.Dir, run); err != nil {
		return err
	}
	if err := rd.Publish(); err != nil {
		return err
	}
	return f.verdict(out, run, rd.Dir)
}

// verdict prints the summary line and turns the run into the exit code.
func (f *conformFlags) verdict(out io.Writer, run *report.Run, dir string) error {
	c := run.ScenarioCounts()
	fmt.Fprintf(out, "\nconform: %d passed, %d failed, %d skipped of %d scenarios in %v; spec coverage %.1f%%\nreports: %s\n",
		c.Passed, c.Failed, c.Skipped, c.Total, run.Duration.Round(time.Millisecond), run.Coverage.Percent, dir)
	for _, e := range run.HarnessErrors {
		fmt.Fprintf(out, "harness error: %s\n", e)
	}
	switch {
	case run.Interrupted:
		return failed("interrupted: reports cover what ran")
	case len(run.HarnessErrors) > 0:
		return failed("the harness failed during the run: %s", run.HarnessErrors[0])
	case !run.Passed():
		return failed("%d scenarios failed; see %s/report.html", c.Failed, dir)
	case run.Coverage.Percent < f.minCoverage:
		return failed("spec coverage %.1f%% is below --min-coverage %.1f%%", run.Coverage.Percent, f.minCoverage)
	}
	return nil
}
