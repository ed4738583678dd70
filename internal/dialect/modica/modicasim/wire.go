package modicasim

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

func init() { sim.RegisterWire(modica.Name, func() sim.Wire { return New() }) }

// api is the Modica wire. Init gives it its core.
type api struct {
	d       *modica.Dialect
	s       *sim.Server
	v       *validate.Validator
	auth    authenticator
	f       faultIDs
	retryLo int             // spec RetryAfter minimum
	retryHi int             // spec RetryAfter maximum
	mime    map[string]bool // allowed upload types (spec MediaMimeType)
	sources sourceStore
}

// New returns a Modica wire for sim.New.
func New() sim.Wire { return &api{d: modica.New()} }

// Dialect implements sim.Wire.
func (a *api) Dialect() dialect.Dialect { return a.d }

// Init implements sim.Wire: credentials, the spec's limits, fault ids.
func (a *api) Init(s *sim.Server) error {
	cfg := s.Config()
	if cfg.User == "" || cfg.Password == "" {
		return fmt.Errorf("sim config: User and Password must not be empty (Modica uses HTTP Basic)")
	}
	a.s, a.v = s, s.Validator()
	a.auth = newAuthenticator(cfg.User, cfg.Password)
	if err := a.readSpecLimits(); err != nil {
		return err
	}
	return a.lookupFaults()
}

// CoreFaults implements sim.Wire: Modica promises order and one DLR per
// status, so every core fault is a defect.
func (*api) CoreFaults() []string {
	return []string{"server-error-burst", "latency-spike", "dlr-drop", "dlr-duplicate", "dlr-out-of-order",
		"dlr-late", "dlr-unknown-id", "callback-malformed-body", "dlr-illegal-transition"}
}

// FormatID implements sim.Wire: a lower-case UUID.
func (*api) FormatID(id sim.ID) string { return id.String() }

// ParseID implements sim.Wire.
func (*api) ParseID(s string) (sim.ID, bool) { return sim.ParseUUID(s) }

// Authenticate implements sim.Wire: HTTP Basic; one rate-limit bucket for
// the simulator's one credential.
func (a *api) Authenticate(r *http.Request) (string, bool) {
	return "", a.auth.check(r.Header.Get("Authorization"))
}

// ServeAPI implements sim.Wire: rate limit, route, request faults, handle.
func (a *api) ServeAPI(w http.ResponseWriter, r *http.Request, rel, key string) {
	if !a.admit(w, key) {
		return
	}
	h := a.route(rel, r.Method)
	if h == nil {
		a.notRouted(w, rel)
		return
	}
	if a.s.RequestFaults(w, r) {
		return
	}
	h(w, r)
}

// route returns the handler for a path relative to the base path, or nil.
func (a *api) route(rel, method string) http.HandlerFunc {
	switch rel {
	case "/messages":
		switch method {
		case http.MethodPost:
			return a.postMessages
		case http.MethodGet:
			return a.getMessages
		case http.MethodPatch:
			return a.patchMessages
		}
	case "/messages/broadcast":
		if method == http.MethodPost {
			return a.postBroadcast
		}
	case "/media":
		switch method {
		case http.MethodPost:
			return a.postMedia
		case http.MethodGet:
			return a.getMedia
		}
	case "/source":
		if method == http.MethodPost {
			return a.postSource
		}
	case "/healthz":
		if method == http.MethodGet || method == http.MethodHead {
			return a.getHealthz
		}
	}
	return nil
}

// notRouted answers 405 with Allow for a known path, else 404.
func (a *api) notRouted(w http.ResponseWriter, rel string) {
	allowed := a.v.Allowed(rel)
	if len(allowed) == 0 {
		a.writeError(w, http.StatusNotFound, "path", sim.CodeNotFound, "no such path: "+rel)
		return
	}
	w.Header()["Allow"] = []string{strings.Join(allowed, ", ")}
	a.writeError(w, http.StatusMethodNotAllowed, "method", sim.CodeMethodNotAllowed, "method not allowed; allowed: "+strings.Join(allowed, ", "))
}

// WriteError implements sim.Wire: an APIErrorResponse (with Retry-After
// on 429 when the core computed one).
func (a *api) WriteError(w http.ResponseWriter, e sim.Error) {
	if e.Status == http.StatusUnauthorized {
		w.Header()["Www-Authenticate"] = hvWWWAuth
	}
	if e.RetryAfter > 0 {
		w.Header()[hRetryAfter] = itoaHeader(e.RetryAfter)
	}
	a.writeError(w, e.Status, e.Field, e.Code, e.Message)
}

// StatusCallbacks implements sim.Wire: one StatusCallback to the account's
// status URL.
func (a *api) StatusCallbacks(m *sim.Message, st string) []dispatch.Delivery {
	url := a.s.CallbackURL(modica.KindStatus)
	if url == "" {
		return nil
	}
	body := appendStatusBody(make([]byte, 0, 96+len(m.Reference)), m.ID, m.Reference, st)
	return []dispatch.Delivery{{Key: m.ID.String(), URL: url, Body: body, Kind: modica.KindStatus}}
}

// Inbound implements sim.Wire: an MO message and its ReplyCallback.
func (a *api) Inbound(_ context.Context, in sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	return a.inbound(in)
}
