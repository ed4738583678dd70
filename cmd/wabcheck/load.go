package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/load"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/threshold"
)

func init() { subcommands = append(subcommands, newLoadCmd) }

// loadFlags are the flags of `wabcheck load`.
type loadFlags struct {
	spec           specFlags
	profile        string
	target         string
	creds          credFlags
	hooks          webhookFlags
	reportDir      string
	shard          string
	cbListen       string
	cbURL          string
	allowRemote    bool
	duration       time.Duration
	rate           float64
	validateSample float64
	from           string
}

func newLoadCmd() *cobra.Command {
	var f loadFlags
	c := &cobra.Command{
		Use:   "load --profile FILE|NAME [flags]",
		Short: "Load-test the API with a profile; thresholds decide the exit code",
		Long: `load runs an open-model load test (vegeta) from a profile: stages of constant
or ramping rate, a weighted mix of operations, unique payloads, thresholds.
It measures latency, throughput, status codes, schedule lag (coordinated
omission), spec violations under load, rate-limit conformance and DLR
delivery, and writes load.html, plot.html, summary.json and results.bin
(vegeta's format: 'vegeta report results.bin' works) to reports/<run>/.

Without --target the embedded simulator runs in-process. A --target other
than loopback needs --allow-remote; redirects are never followed. Against a
--target, one authenticated probe (a health check) runs first: a 401
stops the run (exit 2). Credentials are the vendor's (--user/--password,
--api-key; ` + "`wabcheck vendors`" + ` says which), from the flags or, when those are not
given, from $WABCHECK_USER/$WABCHECK_PASSWORD/$WABCHECK_API_KEY (prefer the
variables: flags show up in process listings). With --callback-listen, the
callback URLs to configure on the target are printed at the start (or the
receiver is registered through the vendor's API: --set-webhook).

Exit 0 when every threshold holds, 1 when one fails (or the run was
interrupted), 2 on usage or configuration errors. See docs/load.md.`,
		Example: `  wabcheck load --profile send
  wabcheck load --profile ratelimit --report-dir out/rl
  wabcheck load --profile broadcast --duration 10s --rate 20
  wabcheck load --profile my-profile.yaml --target http://127.0.0.1:8080/rest/wab/v1 --user u --password p
  WABCHECK_USER=u WABCHECK_PASSWORD=p wabcheck load --profile send --target http://127.0.0.1:8080/rest/wab/v1
  wabcheck load --profile send --target https://staging.example/rest/wab/v1 --allow-remote
  wabcheck load --profile send --target http://127.0.0.1:8080/rest/wab/v1 --callback-listen 127.0.0.1:9090 --callback-url http://127.0.0.1:9090
  wabcheck load --profile soak --shard 0/3
  wabcheck load --profile send --validate-sample 0.1
  wabcheck load --profile send --spec my-spec.yaml --errata none`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runLoad(c, &f) },
	}
	f.register(c)
	_ = c.MarkFlagRequired("profile")
	c.AddCommand(newLoadProfilesCmd(), newLoadMergeCmd())
	return c
}

func (f *loadFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.profile, "profile", "", "built-in profile `NAME` (send, broadcast, ratelimit, soak) or YAML `FILE`")
	fl.StringVar(&f.target, "target", "", "API root `URL` with base path (default: in-process simulator)")
	f.creds.register(c)
	f.hooks.register(c)
	fl.StringVar(&f.reportDir, "report-dir", "", "write the run into `DIR` (default reports/load-<time>)")
	fl.StringVar(&f.from, "from", "", "business `NUMBER` to send from (E.164; default the dialect's own; YCloud needs the account's number)")
	fl.StringVar(&f.shard, "shard", "", "run share `I/N` of the rate with a disjoint slice of destinations and references")
	fl.StringVar(&f.cbListen, "callback-listen", "", "with --target: receive DLR callbacks on `ADDR` (host:port) for delivery accounting")
	fl.StringVar(&f.cbURL, "callback-url", "", "with --target: the base `URL` the target posts callbacks to (Modica: …/status, …/reply); printed at the start and reported")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow a --target that is not loopback")
	fl.DurationVar(&f.duration, "duration", 0, "stretch or shrink the stages to `D` in total (> 0)")
	fl.Var(finite.New(&f.rate, 0), "rate", "scale the stage rates so the peak is `R` requests/s (> 0)")
	fl.Var(finite.New(&f.validateSample, 1), "validate-sample", "share `P` of responses validated against the spec (0 = off)")
	f.spec.register(c)
}

func runLoad(c *cobra.Command, f *loadFlags) error {
	if err := f.check(c); err != nil {
		return err
	}
	p, err := profiles.Load(f.profile, f.spec.vendor)
	if err != nil {
		return err
	}
	if err := p.Scale(f.duration, f.rate); err != nil {
		return err
	}
	shard, err := load.ParseShard(f.shard)
	if err != nil {
		return err
	}
	doc, err := f.spec.load()
	if err != nil {
		return err
	}
	d, err := f.spec.dialect()
	if err != nil {
		return err
	}
	out := c.ErrOrStderr()
	res, err := load.Run(c.Context(), load.Options{Profile: p, Dialect: d, Doc: doc, Target: f.target,
		Credentials: f.creds.credentials(), From: f.from, AllowRemote: f.allowRemote, ReportDir: f.reportDir, Shard: shard,
		CallbackListen: f.cbListen, CallbackURL: f.cbURL, ValidateSample: f.validateSample,
		WebhookSecret: f.hooks.webhookSecret(), Register: f.hooks.setWebhook, SimConfig: f.hooks.simConfig(),
		Progress: out, TTY: isTTY(out)})
	if err != nil {
		return err
	}
	return reportLoad(c.OutOrStdout(), res)
}

func reportLoad(w io.Writer, res *load.Result) error {
	s := res.Summary
	sent := ""
	if s.RequestsPlanned > 0 {
		sent = fmt.Sprintf(" (%.1f%% of %d planned)", s.SentRatio*100, s.RequestsPlanned)
	}
	fmt.Fprintf(w, "%s: %d requests%s, %.1f/s, success %.2f%%, p99 %s\n", s.Attack, s.Requests, sent, s.Rate, s.Success*100, s.Latency.P99)
	printThresholds(w, s.Thresholds)
	fmt.Fprintf(w, "report: %s/load.html\n", res.Dir)
	if s.Interrupted {
		return failed("load run interrupted; partial report in %s", res.Dir)
	}
	if !s.Pass {
		return failed("thresholds failed")
	}
	return nil
}

func printThresholds(w io.Writer, ts []threshold.Result) {
	if len(ts) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "THRESHOLD\tOBSERVED\tRESULT\tNOTE")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Expr, t.Observed, strings.ToUpper(t.Status), t.Note)
	}
	_ = tw.Flush()
}

// check rejects flag values that would do nothing or make no sense, and
// fills the credentials from the environment when the flags are not given.
func (f *loadFlags) check(c *cobra.Command) error {
	fl := c.Flags()
	if fl.Changed("rate") && f.rate <= 0 {
		return fmt.Errorf("--rate %g: must be > 0 (leave it out to keep the profile's rates)", f.rate)
	}
	if fl.Changed("duration") && f.duration <= 0 {
		return fmt.Errorf("--duration %s: must be > 0 (leave it out to keep the profile's length)", f.duration)
	}
	if f.from != "" && !e164.MatchString(f.from) {
		return fmt.Errorf("--from %q: not an E.164 number (+ then up to 15 digits)", f.from)
	}
	if f.validateSample < 0 || f.validateSample > 1 {
		return fmt.Errorf("--validate-sample %g: want a share between 0 and 1", f.validateSample)
	}
	if f.target == "" && (f.cbListen != "" || f.cbURL != "") {
		return fmt.Errorf("--callback-listen/--callback-url: only with --target (the in-process simulator posts to its own receiver)")
	}
	return f.hooks.check()
}

// isTTY reports whether w is a terminal (for the \r progress line).
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newLoadProfilesCmd() *cobra.Command {
	vendor := defaultVendor
	c := &cobra.Command{
		Use:     "profiles",
		Short:   "List the built-in load profiles of a vendor",
		Example: "  wabcheck load profiles\n  wabcheck load profiles --vendor ycloud",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if _, err := dialect.Get(vendor); err != nil {
				return fmt.Errorf("--vendor: %w", err)
			}
			ps, err := profiles.Builtin(vendor)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, p.Duration(), p.Description)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&vendor, "vendor", vendor, "the vendor's API `NAME`")
	return c
}

func newLoadMergeCmd() *cobra.Command {
	var reportDir string
	c := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Merge shard runs: recompute every metric and threshold from their raw results",
		Example: `  wabcheck load merge reports/shard-0 reports/shard-1 reports/shard-2
  wabcheck load merge --report-dir reports/merged /results/shard-*`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, dirs []string) error {
			res, err := load.Merge(load.MergeOptions{Dirs: dirs, ReportDir: reportDir})
			if err != nil {
				return err
			}
			return reportLoad(c.OutOrStdout(), res)
		},
	}
	c.Flags().StringVar(&reportDir, "report-dir", "", "write the merged run into `DIR`")
	return c
}
