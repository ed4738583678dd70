package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
	"github.com/wabcheck/wabcheck/steps"
)

// Registration policies of Options.Register.
const (
	// RegisterAuto registers the receiver through the vendor's API when
	// the dialect can, no webhook secret was given (the user did not set
	// the webhook up by hand) and registering does not replace the
	// account's only webhook setting.
	RegisterAuto = "auto"
	// RegisterYes registers (and restores at the end) whatever it takes.
	RegisterYes = "yes"
	// RegisterNo never registers: the user configured the vendor.
	RegisterNo = "no"
)

// Options configures a harness.
type Options struct {
	// Dialect is the vendor's dialect; Doc its spec (errata applied).
	Dialect dialect.Dialect
	Doc     *spec.Doc
	// Target is the API base URL of a real vendor; "" starts the
	// in-process simulator.
	Target string
	// Credentials are the target's (the simulator uses its own).
	Credentials dialect.Credentials
	// Client makes every request (it must not follow redirects); nil
	// builds one with Timeout.
	Client  *http.Client
	Timeout time.Duration

	// NoReceiver runs without a callback receiver (load against a target
	// with no --callback-listen).
	NoReceiver bool
	// Receiver configures the callback receiver; WrapHandler, when set,
	// wraps its handler (load meters the ingest rate).
	Receiver    callbacks.Options
	WrapHandler func(http.Handler) http.Handler
	// Listen opens the receiver's listener on CallbackListen (the
	// caller's exposure rules); nil means net.Listen. An empty
	// CallbackListen is a free loopback port.
	Listen         func(addr string) (net.Listener, error)
	CallbackListen string
	// CallbackURL is the public base URL the vendor calls; "" means the
	// receiver's own address.
	CallbackURL string
	// CallbackTLSCert and CallbackTLSKey make the receiver serve https.
	CallbackTLSCert, CallbackTLSKey string
	// WebhookSecret verifies signed callbacks when the user set the
	// webhook up by hand (YCloud's whsec_…, the Cloud API's app secret).
	WebhookSecret string
	// Register says whether to register the receiver through the API:
	// RegisterAuto (default), RegisterYes or RegisterNo.
	Register string

	// Faults switch simulator faults on; SimConfig adjusts the in-process
	// simulator's configuration last.
	Faults    []sim.FaultSetting
	SimConfig func(*sim.Config)

	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Harness is the machinery of one run. Close it when the run ends.
type Harness struct {
	// Dialect and Doc are the run's vendor and spec.
	Dialect dialect.Dialect
	Doc     *spec.Doc
	// Validator validates responses under the target's base path (and
	// callbacks of the dialect's kinds).
	Validator *validate.Validator
	// BaseURL is the API base URL requests go to (without credentials).
	BaseURL string
	// AdminURL is the simulator's admin API root ("" for a real target).
	AdminURL string
	// Auth puts the target's credentials on requests.
	Auth dialect.Auth
	// AdminUser and AdminPassword authenticate admin API calls (the
	// simulator's own credentials).
	AdminAuth dialect.Auth
	// Client makes every request; it follows no redirect.
	Client *http.Client
	// Receiver records callbacks (nil with NoReceiver); CallbackAuth wraps
	// it when the callback URL carries credentials.
	Receiver     *callbacks.Receiver
	CallbackAuth *steps.CallbackAuth
	// Sim is the in-process simulator (nil for a real target).
	Sim *sim.Server
	// Target names the target for reports, credentials redacted.
	Target string
	// Simulated is true for the in-process simulator.
	Simulated bool
	// CallbackURLs are the URLs the vendor posts to, by kind, redacted.
	CallbackURLs map[string]string
	// Webhook says what was registered through the API ("" Description
	// when nothing was); WebhookURL is the URL registered ("" then). It
	// may carry credentials: never print it.
	Webhook    dialect.Webhook
	WebhookURL string
	// Exchanges are the requests the harness itself made (login,
	// registration), validated, for the report.
	Exchanges []report.Exchange

	closers []func(context.Context) error
	mu      sync.Mutex
	failed  []error
}

// Start builds the harness: validator, authorizer, receiver, simulator or
// target, and the webhook set-up. Its errors are configuration or setup
// problems (exit 2).
func Start(ctx context.Context, o Options) (*Harness, error) {
	if o.Dialect == nil || o.Doc == nil {
		return nil, errors.New("harness: a dialect and a spec are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	h := &Harness{Dialect: o.Dialect, Doc: o.Doc, Simulated: o.Target == "", Client: o.Client}
	if h.Client == nil {
		h.Client = httpc.New(o.Timeout)
	}
	kinds := append([]dialect.CallbackKind{}, o.Dialect.Callbacks().Kinds()...)
	v, err := validate.New(o.Doc, validate.Callbacks(kinds))
	if err != nil {
		return nil, fmt.Errorf("--spec: %w", err)
	}
	if err := h.start(ctx, o, v); err != nil {
		_ = h.Close(context.Background())
		return nil, err
	}
	return h, nil
}

func (h *Harness) start(ctx context.Context, o Options, v *validate.Validator) error {
	secret := o.WebhookSecret
	if h.Simulated && secret == "" {
		secret = randomSecret()
	}
	if !o.NoReceiver {
		ro := o.Receiver
		ro.Secret = secret
		h.Receiver = callbacks.NewReceiver(v, o.Dialect, ro)
	}
	if h.Simulated {
		return h.startSim(ctx, o, v, secret)
	}
	return h.startTarget(ctx, o, v)
}

// randomSecret is a webhook secret for the in-process simulator.
func randomSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "wabcheck_" + hex.EncodeToString(b[:])
}

// startTarget points the harness at a real vendor.
func (h *Harness) startTarget(ctx context.Context, o Options, v *validate.Validator) error {
	u, err := url.Parse(o.Target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--target %s: want an absolute http(s) URL", redact.URL(o.Target))
	}
	if u.User != nil {
		return errors.New("--target: put credentials in the credential flags or variables, not in the URL")
	}
	h.BaseURL = strings.TrimSuffix(o.Target, "/")
	h.Target = redact.URL(h.BaseURL)
	h.Validator = v.WithBase(u.Path)
	auth, err := o.Dialect.NewAuth(o.Credentials, dialect.AuthEnv{BaseURL: h.BaseURL, Client: h.Client, Now: o.Now})
	if err != nil {
		return err
	}
	h.Auth = auth
	if h.Receiver == nil {
		return nil
	}
	base, err := h.serveReceiver(o, false)
	if err != nil {
		return err
	}
	return h.pointCallbacks(ctx, o, base)
}

// Close undoes the webhook registration, stops the servers and the
// simulator, newest first, and returns what went wrong.
func (h *Harness) Close(ctx context.Context) error {
	if h.Client != nil {
		h.Client.CloseIdleConnections()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	var errs []error
	for i := len(h.closers) - 1; i >= 0; i-- {
		errs = append(errs, h.closers[i](ctx))
	}
	h.closers = nil
	return errors.Join(errs...)
}

// closeTimeout bounds the simulator's drain and the webhook clean-up.
const closeTimeout = 3 * time.Second

// Errs returns the servers' Serve errors so far, redacted, for the report.
func (h *Harness) Errs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, err := range h.failed {
		out = append(out, redact.String(err.Error()))
	}
	return out
}
