package onpremsim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

func init() { sim.RegisterWire(onprem.Name, func() sim.Wire { return New() }) }

// Fixed ids of the simulated account, for the Cloud API envelope (Meta's
// example values).
const (
	simWABAID        = "102290129340398"
	simPhoneNumberID = "106540352242922"
)

// api is the on-premises wire. Init gives it its core.
type api struct {
	d        *onprem.Dialect
	s        *sim.Server
	v        *validate.Validator
	o        options
	f        faultIDs
	basic    []byte // "Basic base64(user:password)"
	user     string
	tokens   tokenStore
	limits   atomic.Pointer[limits]
	live     atomic.Pointer[liveOptions]
	settings settingsStore
	business string // the business number's digits
	batching bool   // deliveries go through Merge
}

// New returns an on-premises wire for sim.New.
func New() sim.Wire { return &api{d: onprem.New()} }

// Dialect implements sim.Wire.
func (a *api) Dialect() dialect.Dialect { return a.d }

// Init implements sim.Wire: credentials, options, limits, the initial
// webhook URL and settings, fault ids.
func (a *api) Init(s *sim.Server) error {
	cfg := s.Config()
	if cfg.User == "" || cfg.Password == "" {
		return fmt.Errorf("sim config: User and Password must not be empty (the on-premises client logs in with HTTP Basic)")
	}
	o, err := parseOptions(cfg.Options, cfg.WebhookSecret)
	if err != nil {
		return err
	}
	limitsOff(&o, cfg)
	a.s, a.v, a.o = s, s.Validator(), o
	a.basic, a.user = []byte(dialect.BasicHeader(cfg.User, cfg.Password)), cfg.User
	a.business = onprem.WAID(cfg.BusinessNumber)
	a.limits.Store(newLimits(o.liveOptions))
	a.live.Store(&o.liveOptions)
	a.settings.init(o.sentStatus)
	max, _ := a.DefaultBatch()
	if cfg.BatchMax > 0 {
		max = cfg.BatchMax
	}
	a.batching = max > 1
	if err := a.initWebhookURL(cfg.CallbackURLs); err != nil {
		return err
	}
	return a.lookupFaults()
}

// initWebhookURL sets the webhook URL from Config.CallbackURLs: the one
// of the webhook format's kind, else the other kind's.
func (a *api) initWebhookURL(urls map[string]string) error {
	u := urls[a.o.format]
	for _, k := range []string{onprem.KindOnprem, onprem.KindCloud} {
		if u == "" {
			u = urls[k]
		}
	}
	if u == "" {
		return nil
	}
	return a.s.SetCallbackURL(a.o.format, u)
}

// webhookURL is the application's webhook URL ("" when none is set).
func (a *api) webhookURL() string { return a.s.CallbackURL(a.o.format) }

// ServeAPI implements sim.Wire: route, request faults, handle.
func (a *api) ServeAPI(w http.ResponseWriter, r *http.Request, rel, _ string) {
	h, id := a.route(rel, r.Method)
	if h == nil {
		a.notRouted(w, rel, r.Method)
		return
	}
	if a.s.RequestFaults(w, r) {
		return
	}
	h(w, r, id)
}

// handler serves one operation; id is the path's {MessageID} or
// {MediaId}, if any.
type handler func(w http.ResponseWriter, r *http.Request, id string)

// route returns the handler for a path under the base path, or nil.
func (a *api) route(rel, method string) (handler, string) {
	if id, ok := strings.CutPrefix(rel, "/messages/"); ok && id != "" && !strings.Contains(id, "/") {
		return pick(method, http.MethodPut, a.markRead), id
	}
	if id, ok := strings.CutPrefix(rel, "/media/"); ok && id != "" && !strings.Contains(id, "/") {
		switch method {
		case http.MethodGet:
			return a.download, id
		case http.MethodDelete:
			return a.deleteMedia, id
		}
		return nil, ""
	}
	switch rel {
	case onprem.Login:
		return pick(method, http.MethodPost, a.login), ""
	case "/messages":
		return pick(method, http.MethodPost, a.postMessages), ""
	case "/contacts":
		return pick(method, http.MethodPost, a.contacts), ""
	case "/media":
		return pick(method, http.MethodPost, a.upload), ""
	case "/settings/application":
		switch method {
		case http.MethodGet:
			return a.getSettings, ""
		case http.MethodPatch:
			return a.patchSettings, ""
		}
	case "/health":
		return pick(method, http.MethodGet, a.health), ""
	}
	return nil, ""
}

func pick(method, want string, h handler) handler {
	if method == want {
		return h
	}
	return nil
}

// notRouted answers 404 for an unknown path, 405 with Allow for a method
// the spec does not declare, and 501 for an operation of the spec the
// simulator does not serve.
func (a *api) notRouted(w http.ResponseWriter, rel, method string) {
	allowed := a.v.Allowed(rel)
	switch {
	case len(allowed) == 0:
		a.writeError(w, http.StatusNotFound, onprem.CodeNotFound, "no such path: "+rel)
	case !contains(allowed, method):
		w.Header()["Allow"] = []string{strings.Join(allowed, ", ")}
		a.writeError(w, http.StatusMethodNotAllowed, onprem.CodeNotFound, "method not allowed; allowed: "+strings.Join(allowed, ", "))
	default:
		a.writeError(w, http.StatusNotImplemented, onprem.CodeGeneric, method+" "+rel+" is in the spec but not simulated")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Inbound implements sim.Wire: a customer's message and the batch that
// announces it.
func (a *api) Inbound(_ context.Context, in sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	return a.inbound(in)
}

// served are the operations the wire implements, by the spec's method and
// path template: the rest of the spec answers 501.
var served = map[string]bool{
	"POST " + onprem.Login: true, "POST /messages": true, "PUT /messages/{MessageID}": true, "POST /contacts": true,
	"POST /media": true, "GET /media/{MediaId}": true, "DELETE /media/{MediaId}": true,
	"GET /settings/application": true, "PATCH /settings/application": true, "GET /health": true,
}

// Serves implements sim.Scope: spec-driven tools (wabcheck probe) leave
// out the operations the simulator answers 501.
func (*api) Serves(method, path string) bool { return served[method+" "+path] }
