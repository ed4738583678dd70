package ycloudsim

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

func init() { sim.RegisterWire(ycloud.Name, func() sim.Wire { return New() }) }

// api is the YCloud wire. Init gives it its core.
type api struct {
	d      *ycloud.Dialect
	s      *sim.Server
	v      *validate.Validator
	key    []byte // the API key, for a constant-time compare
	opts   options
	f      faultIDs
	reqIDs requestIDs
	hooks  *endpointStore

	lim          atomic.Pointer[limits] // per-sender rate limits
	remote       atomic.Bool            // post events beyond loopback
	inboundTypes []string               // the spec's WhatsappInboundMessageType
}

// New returns a YCloud wire for sim.New.
func New() sim.Wire { return &api{d: ycloud.New()} }

// Dialect implements sim.Wire.
func (a *api) Dialect() dialect.Dialect { return a.d }

// Init implements sim.Wire: credentials, options, the spec's inbound
// types, fault ids and the endpoints of Config.CallbackURLs.
func (a *api) Init(s *sim.Server) error {
	cfg := s.Config()
	if cfg.APIKey == "" {
		return fmt.Errorf("sim config: APIKey must not be empty (YCloud uses %s)", ycloud.HeaderAPIKey)
	}
	a.s, a.v, a.key = s, s.Validator(), []byte(cfg.APIKey)
	opts, err := parseOptions(cfg.Options, cfg.NoAccountLimits)
	if err != nil {
		return err
	}
	a.opts = opts
	a.lim.Store(newLimits(opts.enqueueRate, opts.directRate))
	a.remote.Store(opts.remoteWebhooks)
	a.reqIDs = newRequestIDs()
	if a.inboundTypes, err = specInboundTypes(s); err != nil {
		return err
	}
	if err := a.lookupFaults(); err != nil {
		return err
	}
	a.hooks = newEndpointStore(opts.maxEndpoints)
	return a.registerConfigured(cfg.CallbackURLs)
}

// CoreFaults implements sim.Wire: YCloud promises no order and delivers
// at least once, so duplicates, reversals and a read before delivered are
// lawful; dropped, late, misaddressed or broken events are defects.
func (*api) CoreFaults() []string {
	return []string{"server-error-burst", "latency-spike", "dlr-drop", "dlr-late", "dlr-unknown-id", "callback-malformed-body"}
}

// FormatID implements sim.Wire: 32 lower-case hex digits (YCloud's ids are
// opaque strings).
func (*api) FormatID(id sim.ID) string { return string(id.AppendHex(make([]byte, 0, 32))) }

// ParseID implements sim.Wire: the id, or the message's wamid.
func (*api) ParseID(s string) (sim.ID, bool) {
	return sim.ParseHex(strings.TrimPrefix(s, wamidPrefix))
}

// wamidPrefix starts the WhatsApp ids the simulator gives messages.
const wamidPrefix = "wamid."

// Authenticate implements sim.Wire: the X-API-Key header; one account.
func (a *api) Authenticate(r *http.Request) (string, bool) {
	got := r.Header["X-Api-Key"]
	if len(got) != 1 {
		return "", false
	}
	return "", subtle.ConstantTimeCompare([]byte(got[0]), a.key) == 1
}

// ServeAPI implements sim.Wire: route, request faults, handle. Rate limits
// are applied by the handlers (per sender for sends, per account else).
func (a *api) ServeAPI(w http.ResponseWriter, r *http.Request, rel, key string) {
	h := a.route(rel, r.Method)
	if h == nil {
		a.notRouted(w, rel)
		return
	}
	if a.s.RequestFaults(w, r) {
		return
	}
	h(w, r, rel, key)
}

// handler serves one operation; rel is the path under the base path, key
// the account's rate-limit key.
type handler func(w http.ResponseWriter, r *http.Request, rel, key string)

// route returns the handler for a path under the base path, or nil.
func (a *api) route(rel, method string) handler {
	switch {
	case rel == ycloud.PathMessages && method == http.MethodPost:
		return a.postEnqueue
	case rel == ycloud.PathSendDirectly && method == http.MethodPost:
		return a.postDirect
	case strings.HasPrefix(rel, ycloud.PathMessages+"/") && rel != ycloud.PathSendDirectly && method == http.MethodGet && strings.Count(rel, "/") == 3:
		return a.getMessage
	case strings.HasPrefix(rel, ycloud.PathInbound) && strings.HasSuffix(rel, "/markAsRead") && method == http.MethodPost:
		return a.markAsRead
	case rel == ycloud.PathWebhooks || strings.HasPrefix(rel, ycloud.PathWebhooks+"/"):
		return a.routeWebhooks(rel, method)
	}
	return nil
}

// notRouted answers 405 with Allow for a known path, else 404.
func (a *api) notRouted(w http.ResponseWriter, rel string) {
	allowed := a.v.Allowed(rel)
	if len(allowed) == 0 {
		a.writeError(w, apiErr{status: http.StatusNotFound, code: codeNotFound, message: "no such path: " + rel})
		return
	}
	w.Header()["Allow"] = []string{strings.Join(allowed, ", ")}
	a.writeError(w, apiErr{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
		message: "method not allowed; allowed: " + strings.Join(allowed, ", ")})
}

// WriteError implements sim.Wire: YCloud's error body for the core's own
// answers (401, 404, 429, 500).
func (a *api) WriteError(w http.ResponseWriter, e sim.Error) {
	ae := apiErr{status: e.Status, code: codeFor(e.Status), message: e.Message, retryAfterSecs: e.RetryAfter}
	if e.Status == http.StatusBadRequest {
		ae.target = e.Field
	}
	a.writeError(w, ae)
}

// StatusCallbacks implements sim.Wire: a whatsapp.message.updated event to
// every active endpoint subscribed to it (none for inbound messages, whose
// reads YCloud reports to no one).
func (a *api) StatusCallbacks(m *sim.Message, st string) []dispatch.Delivery {
	if m.Inbound {
		return nil
	}
	return a.statusEvents(m, st)
}

// Reports implements sim.Reporter: YCloud posts no event when the
// business reads a customer's message (markAsRead), so that status change
// is reported to no one.
func (*api) Reports(m *sim.Message, _ string) bool { return !m.Inbound }

// Inbound implements sim.Wire: a customer message and its
// whatsapp.inbound_message.received events.
func (a *api) Inbound(_ context.Context, in sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	return a.inbound(in)
}

// served are the operations the wire implements, as the spec names them
// (method and path template under the base path).
var served = map[string]bool{
	http.MethodPost + " " + ycloud.PathMessages:                        true,
	http.MethodPost + " " + ycloud.PathSendDirectly:                    true,
	http.MethodGet + " " + ycloud.PathMessages + "/{id}":               true,
	http.MethodPost + " " + ycloud.PathInbound + "{id}/markAsRead":     true,
	http.MethodPost + " " + ycloud.PathWebhooks:                        true,
	http.MethodGet + " " + ycloud.PathWebhooks:                         true,
	http.MethodGet + " " + ycloud.PathWebhooks + "/{id}":               true,
	http.MethodPatch + " " + ycloud.PathWebhooks + "/{id}":             true,
	http.MethodDelete + " " + ycloud.PathWebhooks + "/{id}":            true,
	http.MethodPost + " " + ycloud.PathWebhooks + "/{id}/rotateSecret": true,
}

// Serves implements sim.Scope: the WhatsApp messages, inbound mark as
// read and webhook endpoint operations; the rest of YCloud's API (SMS,
// email, voice, contacts, templates, …) is not simulated.
func (*api) Serves(method, path string) bool { return served[method+" "+path] }
