package conform

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/spec"
)

// Options configures a run. Start from DefaultOptions; Validate names the
// bad field (by its command-line flag).
type Options struct {
	// Dialect is the vendor's API (required).
	Dialect dialect.Dialect
	// Doc is the spec checked against (required).
	Doc *spec.Doc
	// Target is the API base URL ("https://api.vendor.example/rest/wab/v1");
	// empty starts the simulator in-process.
	Target string
	// Credentials are the target's (ignored for the in-process simulator,
	// which uses its defaults).
	Credentials dialect.Credentials
	// From is the business number to send from (YCloud needs it).
	From string
	// WebhookSecret verifies signed callbacks of a webhook the user set up
	// by hand; Register says whether the harness registers its receiver
	// through the vendor's API (harness.RegisterAuto, …Yes, …No).
	WebhookSecret, Register string
	// To lists test destinations (E.164) for sends against a real target.
	To []string
	// Tags is the user's tag expression (godog syntax).
	Tags string
	// Assisted runs @assisted scenarios (a person must act).
	Assisted bool
	// CallbackListen is the address the receiver listens on; empty means a
	// free loopback port.
	CallbackListen string
	// CallbackURL is the public base URL the vendor was configured to call
	// (its /status and /reply); empty means the receiver's own address.
	// Credentials in it (user:p%40ss@) are then required on every callback.
	CallbackURL string
	// CallbackTLSCert and CallbackTLSKey make the receiver serve https.
	CallbackTLSCert, CallbackTLSKey string
	// Timeout bounds each HTTP request; DLRTimeout the wait for a
	// message's final DLR; ReplyTimeout the wait for a reply callback;
	// MaxLatency fails slower responses (negative: no budget); Settle is
	// how long to keep listening after a final DLR. Zero picks a default
	// that suits the target (see Resolve).
	Timeout, DLRTimeout, ReplyTimeout, MaxLatency, Settle time.Duration
	// Concurrency is how many scenarios run at once.
	Concurrency int
	// Faults switch simulator faults on (in-process simulator only).
	Faults []sim.FaultSetting
	// SimConfig, when set, adjusts the in-process simulator's config.
	SimConfig func(*sim.Config)
	// Format is godog's console format: "pretty", "progress" or "" (none).
	Format string
	// Output receives the console format and messages for the person
	// (callback URLs, assisted instructions).
	Output io.Writer
	// FS and Paths select the features (default: features.FS, and the
	// files at its root with the vendor's folder: features.Paths).
	FS    fs.FS
	Paths []string
	// TestingT runs each scenario as a subtest of t (go test).
	TestingT *testing.T
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultOptions returns the defaults; timings are left zero for Resolve.
func DefaultOptions() Options {
	return Options{Concurrency: 8, Format: "progress", Output: io.Discard}
}

// Resolve fills the zero timings with defaults for the target: generous
// for a real vendor, tight for the in-process simulator (whose messages
// are delivered about 100 ms after acceptance).
func (o Options) Resolve() Options {
	real := []time.Duration{30 * time.Second, 60 * time.Second, 5 * time.Minute, 5 * time.Second, 2 * time.Second}
	simulated := []time.Duration{10 * time.Second, 3 * time.Second, 3 * time.Second, time.Second, 150 * time.Millisecond}
	def := real
	if o.Target == "" {
		def = simulated
	}
	for i, d := range []*time.Duration{&o.Timeout, &o.DLRTimeout, &o.ReplyTimeout, &o.MaxLatency, &o.Settle} {
		if *d == 0 {
			*d = def[i]
		}
	}
	if o.Output == nil {
		o.Output = io.Discard
	}
	if o.Concurrency == 0 {
		o.Concurrency = 8
	}
	return o
}

var e164 = regexp.MustCompile(`^\+[1-9]\d{1,14}$`)

// Validate reports the first bad option, named by its flag.
func (o Options) Validate() error {
	if o.Doc == nil || o.Dialect == nil {
		return errors.New("conform: no vendor (--vendor) or spec (--spec)")
	}
	if o.Target != "" {
		u, err := url.Parse(o.Target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--target %q: want an absolute http(s) URL such as https://api.vendor.example/rest/wab/v1", redact.URL(o.Target))
		}
		if err := dialect.CheckCredentials(o.Dialect, o.Credentials); err != nil {
			return err
		}
	}
	for _, to := range o.To {
		if !e164.MatchString(to) {
			return fmt.Errorf("--to %q: not an E.164 number (+ then up to 15 digits)", to)
		}
	}
	if err := o.checkCallbacks(); err != nil {
		return err
	}
	if err := o.checkDurations(); err != nil {
		return err
	}
	if o.Concurrency < 0 {
		return fmt.Errorf("--concurrency %d: must be >= 1", o.Concurrency)
	}
	if len(o.Faults) > 0 && o.Target != "" {
		return errors.New("--fault: faults belong to the in-process simulator; drop --target to use them")
	}
	switch o.Format {
	case "", "pretty", "progress":
	default:
		return fmt.Errorf("--format %q: want pretty or progress", o.Format)
	}
	if !checkTags(o.Tags) {
		return fmt.Errorf("--tags %q: want godog syntax such as \"@messages && ~@slow\" or \"@auth,@health\"", o.Tags)
	}
	return nil
}

// checkCallbacks checks the receiver's flags. --callback-url and the TLS
// pair only make sense for a real target: the in-process simulator calls
// the receiver directly, over plain http on loopback, and would neither
// use a public URL nor trust the certificate. --callback-listen works with
// both (the simulator calls whatever address the receiver listens on).
func (o Options) checkCallbacks() error {
	if o.CallbackURL != "" {
		if o.Target == "" {
			return errors.New("--callback-url: only with --target (the in-process simulator calls the receiver directly)")
		}
		u, err := url.Parse(o.CallbackURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--callback-url %q: want an absolute http(s) URL", redact.URL(o.CallbackURL))
		}
	}
	if o.CallbackTLSCert == "" && o.CallbackTLSKey == "" {
		return nil
	}
	if (o.CallbackTLSCert == "") != (o.CallbackTLSKey == "") {
		return errors.New("--callback-tls-cert and --callback-tls-key go together: give both")
	}
	if o.Target == "" {
		return errors.New("--callback-tls-cert: only with --target (the in-process simulator calls the receiver over plain http on loopback)")
	}
	_, err := loadKeyPair(o)
	return err
}

// loadKeyPair loads the receiver's certificate and key, naming the flags.
func loadKeyPair(o Options) (tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(o.CallbackTLSCert, o.CallbackTLSKey)
	if err != nil {
		return cert, fmt.Errorf("--callback-tls-cert %s / --callback-tls-key %s: %w", o.CallbackTLSCert, o.CallbackTLSKey, err)
	}
	return cert, nil
}

func (o Options) checkDurations() error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--timeout", o.Timeout}, {"--dlr-timeout", o.DLRTimeout}, {"--reply-timeout", o.ReplyTimeout}, {"--settle", o.Settle}} {
		if d.v < 0 {
			return fmt.Errorf("%s %v: must be > 0 (or 0 for the default)", d.flag, d.v)
		}
	}
	return nil
}
