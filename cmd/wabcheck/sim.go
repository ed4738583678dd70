package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

func init() { subcommands = append(subcommands, newSimCmd) }

// simFlags are the flags of `wabcheck sim`.
type simFlags struct {
	spec       specFlags
	cfg        sim.Config
	listen     string
	callbackCA string
	faults     []string
	faultsFile string
	dlrStatus  []string
	statusURL  string
	replyURL   string
	callbacks  []string
	options    []string
	drain      time.Duration
	logFormat  string
	logLevel   string
}

func newSimCmd() *cobra.Command {
	f := simFlags{cfg: sim.DefaultConfig()}
	c := &cobra.Command{
		Use:   "sim [flags]",
		Short: "Run a stateful simulator of a vendor's API (callbacks, faults, rate limit)",
		Long: `sim serves every operation of the --vendor's spec under its base path
(Modica: /rest/wab/v1) on --listen, validates every request against the
spec, walks accepted messages through the delivery lifecycle and posts
status callbacks and inbound (customer) messages in the vendor's format.
Magic destination numbers select failure paths (see docs/simulator.md);
--fault switches on vendor defects (see 'wabcheck sim faults'); the admin API
under /_sim/ (same credentials) shows stats and changes config at run time.

Credentials: --user/--password (or --api-key, for a vendor that uses API
keys), else $WABCHECK_SIM_USER/$WABCHECK_SIM_PASSWORD/$WABCHECK_SIM_API_KEY,
else wabcheck/wabcheck (or wabcheck-sim-api-key). With that published
default password or key, --listen beyond loopback (0.0.0.0, ::, no host,
another interface) is refused unless --allow-remote insists. Callback URLs
to link-local and cloud metadata hosts (169.254.0.0/16, fe80::/10,
metadata.google.internal, …) are refused, when configured and again when
connecting, unless --allow-metadata-callbacks; control characters and ports
outside 1-65535 always are. On SIGINT/SIGTERM it stops accepting, drains the
callback queue for --drain-timeout and logs what was left undelivered.
Exit 0 after a clean shutdown, 1 if callbacks were left undelivered, 2 for
a bad flag value (the error names the flag).`,
		Example: `  wabcheck sim
  wabcheck sim --vendor modica
  wabcheck sim --vendor ycloud --time-scale 0.001 --callback-url whatsapp.message.updated=http://127.0.0.1:9090/hook
  wabcheck sim --listen 127.0.0.1:9000 --user acme --password s3cret
  wabcheck sim --listen 0.0.0.0:8080 --password "$(openssl rand -hex 16)"
  wabcheck sim --allow-remote --listen 0.0.0.0:8080
  wabcheck sim --allow-metadata-callbacks --status-callback-url http://169.254.10.20/dlr
  wabcheck sim --status-callback-url http://127.0.0.1:9090/status --reply-callback-url http://127.0.0.1:9090/reply
  wabcheck sim --status-callback-url https://u:p%40ss@hooks.local/dlr --callback-ca ca.pem
  wabcheck sim --callback-url status=http://127.0.0.1:9090/status --api-key k3y --sim-option name=value
  wabcheck sim --callback-workers 32 --callback-queue 100000 --callback-attempts 5 --callback-timeout 2s
  wabcheck sim --rate-limit 10 --rate-burst 20
  wabcheck sim --rate-limit 0
  wabcheck sim --submit-delay 1s --send-delay 2s --dlr-delay 5s --read-delay 10s --jitter 500ms
  wabcheck sim --read-ratio 0.5 --fail-ratio 0.1 --reject-ratio 0.05 --expire-ratio 0.05 --seed 7
  wabcheck sim --dlr-statuses sent,received,rejected,expired
  wabcheck sim --fault dlr-duplicate --fault server-error-burst=0.01 --error-burst 3
  wabcheck sim --faults faults.yaml --latency-spike 5s --late-dlr-delay 40s
  wabcheck sim --message-ttl 1m --max-messages 500000 --drain-timeout 30s
  wabcheck sim --log-format json --log-level debug
  wabcheck sim --spec my-spec.yaml --errata none`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runSim(c, &f) },
	}
	f.register(c)
	c.AddCommand(newSimFaultsCmd(), newSimReceiveCmd())
	return c
}

func (f *simFlags) register(c *cobra.Command) {
	fl := c.Flags()
	cfg := &f.cfg
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "serve on `ADDR` (host:port; port 0 picks a free port, printed at start)")
	fl.BoolVar(&cfg.AllowRemote, "allow-remote", false, "serve beyond loopback even with the published default password")
	fl.BoolVar(&cfg.AllowMetadataCallbacks, "allow-metadata-callbacks", false, "allow callback URLs to link-local and cloud metadata hosts (169.254.0.0/16, fe80::/10, metadata.google.internal, …)")
	fl.StringVar(&cfg.User, "user", "", "HTTP Basic `USER` (default $WABCHECK_SIM_USER or wabcheck)")
	fl.StringVar(&cfg.Password, "password", "", "HTTP Basic `PASSWORD` (default $WABCHECK_SIM_PASSWORD or wabcheck; never logged)")
	fl.IntVar(&cfg.RateLimit, "rate-limit", cfg.RateLimit, "requests/s per credential, advertised in X-RateLimit-Limit (`N` <= 100; 0 = off)")
	fl.IntVar(&cfg.RateBurst, "rate-burst", 0, "token bucket size `N` (default: the rate)")
	fl.StringVar(&cfg.APIKey, "api-key", "", "API `KEY` of a vendor that uses API keys (default $WABCHECK_SIM_API_KEY or wabcheck-sim-api-key; never logged)")
	fl.StringVar(&f.statusURL, "status-callback-url", "", "post status callbacks (Modica DLRs) to `URL` (may carry user:password@); short for --callback-url status=URL")
	fl.StringVar(&f.replyURL, "reply-callback-url", "", "post inbound messages (Modica MOs) to `URL`; short for --callback-url reply=URL")
	fl.StringArrayVar(&f.callbacks, "callback-url", nil, "post callbacks of `KIND=URL` (repeatable; kinds: `wabcheck vendors`)")
	fl.StringArrayVar(&f.options, "sim-option", nil, "set the vendor simulator's option `NAME=VALUE` (repeatable; `wabcheck vendors` lists them)")
	fl.StringVar(&f.callbackCA, "callback-ca", "", "trust the PEM CA certificates in `FILE` for https callback URLs")
	fl.IntVar(&cfg.CallbackWorkers, "callback-workers", cfg.CallbackWorkers, "concurrent callback deliveries `N`")
	fl.IntVar(&cfg.CallbackQueue, "callback-queue", cfg.CallbackQueue, "callbacks waiting for delivery at most `N` (then backpressure)")
	fl.IntVar(&cfg.CallbackMaxAttempts, "callback-attempts", cfg.CallbackMaxAttempts, "attempts `N` per callback before it is given up")
	fl.DurationVar(&cfg.CallbackTimeout, "callback-timeout", cfg.CallbackTimeout, "timeout `D` of one callback attempt")
	fl.Var(finite.New(&cfg.TimeScale, cfg.TimeScale), "time-scale", "multiply the vendor's real-world waits (retry schedules, suspensions) by `F` (0.001: YCloud's 10 s retry comes after 10 ms)")
	fl.DurationVar(&cfg.Lifecycle.Submit, "submit-delay", cfg.Lifecycle.Submit, "delay `D` accepted → submitted")
	fl.DurationVar(&cfg.Lifecycle.Send, "send-delay", cfg.Lifecycle.Send, "delay `D` submitted → sent")
	fl.DurationVar(&cfg.Lifecycle.Deliver, "dlr-delay", cfg.Lifecycle.Deliver, "delay `D` sent → received (the delivery DLR)")
	fl.DurationVar(&cfg.Lifecycle.Read, "read-delay", cfg.Lifecycle.Read, "delay `D` received → read")
	fl.DurationVar(&cfg.Lifecycle.Jitter, "jitter", cfg.Lifecycle.Jitter, "random extra `D` (0..D) per step")
	fl.StringSliceVar(&f.dlrStatus, "dlr-statuses", nil, "post only these comma-separated `STATUSES` as DLRs, e.g. sent,received,rejected,expired (default: all but accepted)")
	fl.Var(finite.New(&cfg.ReadRatio, 0), "read-ratio", "share `P` of delivered messages the recipient reads")
	fl.Var(finite.New(&cfg.FailRatio, 0), "fail-ratio", "share `P` of messages that end failed")
	fl.Var(finite.New(&cfg.RejectRatio, 0), "reject-ratio", "share `P` of messages that end rejected")
	fl.Var(finite.New(&cfg.ExpireRatio, 0), "expire-ratio", "share `P` of messages that end expired")
	fl.Uint64Var(&cfg.Seed, "seed", 0, "seed `N` for ratios, faults and jitter (0 = random)")
	fl.StringArrayVar(&f.faults, "fault", nil, "switch on fault `NAME[=RATIO]` (repeatable; see 'wabcheck sim faults')")
	fl.StringVar(&f.faultsFile, "faults", "", "switch on the faults of YAML `FILE` (a list of {name, ratio})")
	fl.DurationVar(&cfg.LatencySpike, "latency-spike", cfg.LatencySpike, "delay `D` of the latency-spike fault")
	fl.DurationVar(&cfg.LateDLRDelay, "late-dlr-delay", cfg.LateDLRDelay, "hold-back `D` of the dlr-late fault")
	fl.IntVar(&cfg.ErrorBurst, "error-burst", cfg.ErrorBurst, "length `N` of a server-error-burst")
	fl.DurationVar(&cfg.MessageTTL, "message-ttl", cfg.MessageTTL, "keep finished messages for `D`, then sweep them")
	fl.IntVar(&cfg.MaxMessages, "max-messages", cfg.MaxMessages, "hold at most `N` messages (beyond: 429)")
	fl.DurationVar(&f.drain, "drain-timeout", 10*time.Second, "on shutdown, deliver queued callbacks for at most `D`")
	fl.StringVar(&f.logFormat, "log-format", "text", "log `FORMAT`: text or json")
	fl.StringVar(&f.logLevel, "log-level", "info", "log `LEVEL`: debug, info, warn, error")
	f.spec.register(c)
}

// config completes the flags into a sim.Config.
func (f *simFlags) config(stderr io.Writer) (sim.Config, error) {
	cfg := f.cfg
	cfg.User = firstNonEmpty(cfg.User, os.Getenv("WABCHECK_SIM_USER"), sim.DefaultUser)
	cfg.Password = firstNonEmpty(cfg.Password, os.Getenv("WABCHECK_SIM_PASSWORD"), sim.DefaultPassword)
	cfg.APIKey = firstNonEmpty(cfg.APIKey, os.Getenv("WABCHECK_SIM_API_KEY"), sim.DefaultAPIKey)
	cfg.DLRStatuses = f.dlrStatus
	urls, err := f.callbackURLs()
	if err != nil {
		return cfg, err
	}
	cfg.CallbackURLs = urls
	if cfg.Options, err = keyValues("--sim-option", f.options); err != nil {
		return cfg, err
	}
	log, err := newLogger(stderr, f.logFormat, f.logLevel)
	if err != nil {
		return cfg, err
	}
	cfg.Logger = log
	if f.callbackCA != "" {
		tc, err := dispatch.LoadCA(f.callbackCA)
		if err != nil {
			return cfg, fmt.Errorf("--callback-ca: %w", err)
		}
		cfg.CallbackTLS = tc
	}
	if _, err := f.spec.dialect(); err != nil {
		return cfg, err
	}
	if cfg.Faults, err = simFaults(f.spec.vendor, f.faultsFile, f.faults); err != nil {
		return cfg, err
	}
	err = flagError(cfg.Validate())
	if errors.Is(err, netguard.ErrBlockedHost) {
		err = fmt.Errorf("%w (pass --allow-metadata-callbacks to allow it)", err)
	}
	return cfg, err
}

// checkSimListen refuses --listen beyond loopback while the password is
// the published default, unless --allow-remote insists: anyone reaching
// the port could use the admin API (set callback URLs, switch faults on).
func checkSimListen(addr string, cfg sim.Config) error {
	if cfg.AllowRemote || !cfg.DefaultCredentials() {
		return nil
	}
	if err := netguard.CheckLoopback(addr); err != nil {
		return exposedError(addr, err)
	}
	return nil
}

func exposedError(addr string, err error) error {
	return fmt.Errorf("--listen %s: %w, and the password is the published default, so anyone reaching the port could use the admin API; set --password (or $WABCHECK_SIM_PASSWORD), or pass --allow-remote to insist", addr, err)
}

// simFaults reads --faults FILE and the --fault values and checks them
// against the vendor's catalogue, naming the flag of a bad one.
func simFaults(vendor, file string, values []string) ([]sim.FaultSetting, error) {
	w, ok := sim.WireFor(vendor)
	if !ok {
		return nil, fmt.Errorf("--vendor %q: no simulator for this vendor", vendor)
	}
	var out []sim.FaultSetting
	if file != "" {
		list, err := sim.LoadFaults(file)
		if err == nil {
			err = sim.CheckFaults(w, list)
		}
		if err != nil {
			return nil, fmt.Errorf("--faults: %w", err)
		}
		out = append(out, list...)
	}
	for _, v := range values {
		fs, err := sim.ParseFault(v)
		if err == nil {
			err = sim.CheckFaults(w, []sim.FaultSetting{fs})
		}
		if err != nil {
			return nil, fmt.Errorf("--fault: %w", err)
		}
		out = append(out, fs)
	}
	return out, nil
}

// callbackURLs collects --callback-url and its two shorthands by kind.
func (f *simFlags) callbackURLs() (map[string]string, error) {
	urls, err := keyValues("--callback-url", f.callbacks)
	if err != nil {
		return nil, err
	}
	for kind, u := range map[string]string{"status": f.statusURL, "reply": f.replyURL} {
		if u != "" {
			urls[kind] = u
		}
	}
	return urls, nil
}

// keyValues parses repeated NAME=VALUE flag values.
func keyValues(flag string, vals []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range vals {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s %q: want NAME=VALUE", flag, redact.URL(v))
		}
		out[k] = val
	}
	return out, nil
}

// configFlags maps the sim.Config fields that sim's config errors start
// with to the flags that set them, so a bad value is reported by its flag.
var configFlags = []struct{ field, flag string }{
	{"FailRatio+RejectRatio+ExpireRatio", "--fail-ratio + --reject-ratio + --expire-ratio"},
	{"RateLimit", "--rate-limit"}, {"RateBurst", "--rate-burst"},
	{"CallbackURLs[status]", "--status-callback-url"}, {"CallbackURLs[reply]", "--reply-callback-url"},
	{"CallbackURLs", "--callback-url"},
	{"CallbackWorkers", "--callback-workers"}, {"CallbackQueue", "--callback-queue"},
	{"CallbackMaxAttempts", "--callback-attempts"}, {"CallbackTimeout", "--callback-timeout"},
	{"Lifecycle.Submit", "--submit-delay"}, {"Lifecycle.Send", "--send-delay"},
	{"Lifecycle.Deliver", "--dlr-delay"}, {"Lifecycle.Read", "--read-delay"}, {"Lifecycle.Jitter", "--jitter"},
	{"DLRStatuses", "--dlr-statuses"}, {"ReadRatio", "--read-ratio"}, {"FailRatio", "--fail-ratio"},
	{"RejectRatio", "--reject-ratio"}, {"ExpireRatio", "--expire-ratio"},
	{"ErrorBurst", "--error-burst"}, {"LatencySpike", "--latency-spike"}, {"LateDLRDelay", "--late-dlr-delay"},
	{"MessageTTL", "--message-ttl"}, {"MaxMessages", "--max-messages"},
	{"RateLimit", "--rate-limit"},
}

// flagError renames a "sim config: Field ..." error after Field's flag.
func flagError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, m := range configFlags {
		if rest, ok := strings.CutPrefix(msg, "sim config: "+m.field); ok {
			return renamedError{msg: m.flag + rest, err: err}
		}
	}
	return err
}

// renamedError is err with a message that names a flag instead of a field.
type renamedError struct {
	msg string
	err error
}

func (e renamedError) Error() string { return e.msg }
func (e renamedError) Unwrap() error { return e.err }

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// newLogger builds the slog logger of --log-format/--log-level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

func runSim(c *cobra.Command, f *simFlags) error {
	if f.drain < 0 {
		return fmt.Errorf("--drain-timeout %v must be >= 0", f.drain)
	}
	cfg, err := f.config(c.ErrOrStderr())
	if err != nil {
		return err
	}
	doc, err := f.spec.load()
	if err != nil {
		return err
	}
	if err := checkSimListen(f.listen, cfg); err != nil {
		return err
	}
	if _, err := newSimServer(doc, &f.spec, cfg, true); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", redact.URL(f.listen), redact.Error(err))
	}
	if err := sim.CheckExposure(ln.Addr(), cfg); err != nil { // a name that bound beyond loopback
		_ = ln.Close()
		return exposedError(f.listen, err)
	}
	s, err := newSimServer(doc, &f.spec, cfg, false)
	if err != nil {
		_ = ln.Close()
		return err
	}
	vendor := f.spec.vendor
	log := cfg.Logger
	if cfg.RateLimit == 0 {
		log.Info("sim: rate limiting is OFF (--rate-limit 0); X-RateLimit-Limit advertises the spec maximum")
	}
	if !netguard.IsLoopbackAddr(ln.Addr()) {
		log.Warn("sim: serving beyond loopback: anyone who reaches the port with the credentials can use the admin API /_sim/",
			"listen", ln.Addr().String(), "default_password", cfg.DefaultCredentials())
	}
	n, err := sim.Serve(c.Context(), s, ln, f.drain, func(root string) {
		log.Info("sim: listening", "vendor", vendor, "api", root+doc.BasePath(), "admin", root+"/_sim/", "user", cfg.User,
			"rate_limit", cfg.RateLimit, "callback_urls", redactedURLs(cfg.CallbackURLs), "faults", len(cfg.Faults), "spec", doc.Name)
		fmt.Fprintf(c.OutOrStdout(), "wabcheck sim: serving %s%s (admin %s/_sim/)\n", root, doc.BasePath(), root)
	})
	if n > 0 {
		log.Warn("sim: callbacks left undelivered at shutdown", "undelivered", n)
		return failed("%d callbacks left undelivered at shutdown (--drain-timeout %v)", n, f.drain)
	}
	if err != nil {
		// The configuration was fine; serving or shutting down failed.
		return failed("%v", err)
	}
	return nil
}

// newSimServer builds the simulator of the selected vendor; a bad value
// is reported by its flag. A dry run builds it without logging and closes
// it at once, so that a bad value is reported before anything listens.
func newSimServer(doc *spec.Doc, sf *specFlags, cfg sim.Config, dry bool) (*sim.Server, error) {
	d, err := sf.dialect()
	if err != nil {
		return nil, err
	}
	w, ok := sim.WireFor(d.Info().Name)
	if !ok {
		return nil, fmt.Errorf("--vendor %s: no simulator for this vendor", d.Info().Name)
	}
	v, err := validate.New(doc, validate.Callbacks(append([]dialect.CallbackKind{}, d.Callbacks().Kinds()...)))
	if err != nil {
		return nil, fmt.Errorf("--spec: %w", err)
	}
	if dry {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := sim.New(doc, v, w, cfg)
	if err != nil {
		return nil, flagError(err)
	}
	if dry {
		_, _ = s.Close(context.Background())
	}
	return s, nil
}

// redactedURLs lists callback URLs by kind, credentials redacted.
func redactedURLs(m map[string]string) string {
	var parts []string
	for k, u := range m {
		parts = append(parts, k+"="+redact.URL(u))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func newSimFaultsCmd() *cobra.Command {
	var vendor string
	c := &cobra.Command{
		Use:   "faults",
		Short: "List the vendor defects the simulator can inject",
		Long: `faults lists each fault's name, what the simulator does when it fires and
what a conformant server would do instead. Switch a fault on with
--fault NAME[=RATIO] (ratio in (0, 1], default 1 = every time), with
--faults FILE (a YAML list of {name, ratio}) or at run time with
PUT /_sim/faults/NAME on the admin API.`,
		Example: `  wabcheck sim faults
  wabcheck sim faults --vendor modica
  wabcheck sim --fault dlr-duplicate --fault dlr-drop=0.2`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			w, ok := sim.WireFor(vendor)
			if !ok {
				return fmt.Errorf("--vendor %q: no simulator for this vendor", vendor)
			}
			list, err := sim.Faults(w)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tWHAT IT DOES\tA CONFORMANT SERVER WOULD")
			for _, fl := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", fl.Name, fl.Does, fl.Conformant)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&vendor, "vendor", defaultVendor, "list the faults of the vendor `NAME`'s simulator")
	return c
}

func newSimReceiveCmd() *cobra.Command {
	var listen string
	var allowRemote bool
	c := &cobra.Command{
		Use:   "receive [flags]",
		Short: "Print the callbacks (DLRs, MOs) posted to a tiny local receiver",
		Long: `receive listens on --listen and prints every callback it gets as one line
(path, then the JSON body, control characters escaped) and answers 200 (413
to a body over 1 MiB): point the simulator's
--status-callback-url at http://ADDR/status and --reply-callback-url at
http://ADDR/reply to watch DLRs and MOs arrive. Stops on SIGINT.`,
		Example: "  wabcheck sim receive --listen 127.0.0.1:9090\n  wabcheck sim receive --listen 0.0.0.0:9090 --allow-remote",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := netguard.CheckLoopback(listen); err != nil && !allowRemote {
				return fmt.Errorf("--listen %s: %w; pass --allow-remote to receive from other hosts", listen, err)
			}
			return runReceive(c.Context(), listen, c.OutOrStdout())
		},
	}
	c.Flags().StringVar(&listen, "listen", "127.0.0.1:9090", "listen on `ADDR` (host:port)")
	c.Flags().BoolVar(&allowRemote, "allow-remote", false, "listen beyond loopback (anyone reaching the port can post what gets printed)")
	return c
}

func runReceive(ctx context.Context, listen string, out io.Writer) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", redact.URL(listen), redact.Error(err))
	}
	lines := make(chan string, 1024)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: receiveHandler(lines, time.Now)}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(out, "wabcheck sim receive: listening on http://%s (POST /status, /reply)\n", ln.Addr())
	for {
		select {
		case l := <-lines:
			fmt.Fprintln(out, l)
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			return srv.Shutdown(sctx)
		}
	}
}

// maxReceiveBody bounds a callback body `sim receive` reads: a longer one
// is answered 413, as wabcheck's own callback receiver does.
const maxReceiveBody = 1 << 20

// receiveHandler answers every callback 200 and sends a line for it
// (time, path, body) to lines, escaped for a terminal; a body over
// maxReceiveBody is answered 413 and its line says so.
func receiveHandler(lines chan<- string, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		head := now().Format("15:04:05.000") + " " + printable(r.URL.Path)
		var b httpc.Body
		if r.ContentLength <= maxReceiveBody {
			b, _ = httpc.ReadBody(r.Body, maxReceiveBody)
		}
		if r.ContentLength > maxReceiveBody || b.Truncated {
			lines <- fmt.Sprintf("%s (body over %d bytes: answered 413, not read)", head, maxReceiveBody)
			http.Error(w, fmt.Sprintf("callback body over %d bytes", maxReceiveBody), http.StatusRequestEntityTooLarge)
			return
		}
		lines <- head + " " + printable(strings.TrimSpace(string(b.Data)))
		w.WriteHeader(http.StatusOK)
	})
}

// printable escapes what a terminal would act on rather than show: control
// characters (C0 such as ESC, BEL, CR and newlines, DEL, and C1 such as
// CSI), the bidirectional controls that reorder the text around them, and
// bytes that are not UTF-8. Everything else, JSON and emoji included,
// prints as it came.
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
