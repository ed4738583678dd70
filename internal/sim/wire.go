package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dispatch"
)

// Wire is one vendor's API in the simulator: how requests are
// authenticated, routed and answered, how errors look, what a status
// change or an inbound message posts, and the vendor's own faults. The
// core (Server) keeps the state every vendor shares — the message store,
// the lifecycle scheduler, callback dispatch, faults, rate limiting, media
// and the admin API — and hands the wire what it needs through its
// exported methods. A dialect package implements Wire (package
// internal/dialect/<vendor>/<vendor>sim) and registers it with
// RegisterWire; the core never imports a vendor.
type Wire interface {
	// Dialect is the dialect the wire speaks.
	Dialect() dialect.Dialect
	// Init is called once by New, before the server handles requests; the
	// wire keeps s and looks up its fault ids (s.FaultID).
	Init(s *Server) error
	// Faults lists the wire's own faults (core faults that apply are
	// listed by CoreFaults); an entry named like a core fault rewords
	// that fault in the vendor's terms.
	Faults() []Fault
	// CoreFaults names the core faults that are defects for this vendor
	// (a tolerant vendor's lawful disorder is not a fault).
	CoreFaults() []string
	// Walks are the lifecycle paths messages take.
	Walks() Walks
	// FormatID and ParseID turn a message id into the vendor's form and
	// back (a UUID for Modica).
	FormatID(id ID) string
	ParseID(s string) (ID, bool)
	// Authenticate checks a request's credentials; key names the rate
	// limit bucket of the credential ("" for one shared bucket).
	Authenticate(r *http.Request) (key string, ok bool)
	// ServeAPI serves an authenticated request for the vendor API; rel is
	// the path under the base path.
	ServeAPI(w http.ResponseWriter, r *http.Request, rel, key string)
	// WriteError answers an error in the vendor's shape (the core's own
	// errors: 401, 404, 429, 500).
	WriteError(w http.ResponseWriter, e Error)
	// StatusCallbacks returns the callbacks that tell of m reaching st
	// (none when nothing is configured to receive them).
	StatusCallbacks(m *Message, st string) []dispatch.Delivery
	// Inbound builds an inbound (customer) message for the admin API and
	// the callbacks that announce it.
	Inbound(ctx context.Context, in InboundRequest) (*Message, []dispatch.Delivery, error)
}

// Error is an error answer the core asks the wire to write.
type Error struct {
	// Status is the HTTP status.
	Status int
	// Field is the request part at fault ("Authorization", "body").
	Field string
	// Code is a stable kebab-case code (the Code… constants).
	Code string
	// Message says what is wrong, in one line.
	Message string
	// RetryAfter, for 429, is the wait in seconds the core computed (0
	// when the answer must carry none, e.g. a fault dropped it).
	RetryAfter int
}

// Error codes of the core's own answers.
const (
	CodeUnauthorized     = "unauthorized"
	CodeRateLimited      = "rate-limited"
	CodeNotFound         = "not-found"
	CodeMethodNotAllowed = "method-not-allowed"
	CodeServerError      = "internal-error"
	CodeStoreFull        = "capacity-exceeded"
	CodeInvalid          = "invalid"
	CodeTooLarge         = "body-too-large"
	CodeUnsupportedMedia = "unsupported-media-type"
	CodeBodyNotJSON      = "body-not-json"
	CodeNotReadable      = "status-conflict"
)

// InboundRequest is the admin API's request to simulate a customer
// message (POST /_sim/reply).
type InboundRequest struct {
	// Type is the message type ("text", "image", …; the wire lists which).
	Type string `json:"type"`
	// Source is the customer's number; Destination the business number.
	Source      string `json:"source,omitempty"`
	Destination string `json:"destination,omitempty"`
	// Text overrides the sample text or caption.
	Text string `json:"text,omitempty"`
	// Content, when given, is sent as the message content verbatim (wire
	// specific).
	Content json.RawMessage `json:"content,omitempty"`
}

// Option documents one of a wire's own settings (Config.Options).
type Option struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	What    string `json:"what"`
}

// Optioner is implemented by wires with settings of their own; the core
// refuses an option a wire does not list.
type Optioner interface {
	Options() []Option
}

// LiveOptioner is implemented by a wire some of whose options may change
// while it runs: PATCH /_sim/config {"options": {NAME: VALUE}} (a
// scenario shortens the login token's life, lowers a send limit).
type LiveOptioner interface {
	Optioner
	// SetOptions applies set, checking every value before changing any;
	// an error names the option (one that cannot change while running
	// included).
	SetOptions(set map[string]string) error
	// OptionValues are the live options in force, by name (never a
	// secret).
	OptionValues() map[string]string
}

// Reporter is implemented by a wire that tells no one of some status
// changes by design (YCloud posts no event when the business reads a
// customer's message): the core counts those as suppressed, not as
// callbacks skipped for want of a URL.
type Reporter interface {
	// Reports says whether m reaching st is posted to anyone at all.
	Reports(m *Message, st string) bool
}

// WireOptions lists w's own settings (none when it has none).
func WireOptions(w Wire) []Option {
	if o, ok := w.(Optioner); ok {
		return o.Options()
	}
	return nil
}

// checkOptions refuses a setting w does not list.
func checkOptions(w Wire, set map[string]string) error {
	known := map[string]bool{}
	var names []string
	for _, o := range WireOptions(w) {
		known[o.Name] = true
		names = append(names, o.Name)
	}
	for k := range set {
		if !known[k] {
			if len(names) == 0 {
				return fmt.Errorf("sim config: Options: %s has no option %q (it has none)", w.Dialect().Info().Name, k)
			}
			return fmt.Errorf("sim config: Options: %s has no option %q (known: %s)", w.Dialect().Info().Name, k, strings.Join(names, ", "))
		}
	}
	return nil
}

// wires holds the registered wires by dialect name; written only by
// package init functions.
var wires = map[string]func() Wire{}

// RegisterWire makes a dialect's simulator available by its name; it
// panics on a duplicate, as dialect.Register does.
func RegisterWire(name string, newWire func() Wire) {
	if _, dup := wires[name]; dup {
		panic("sim: RegisterWire called twice for " + name)
	}
	wires[name] = newWire
}

// WireFor returns a new wire for dialect name, or false when the dialect
// has no simulator.
func WireFor(name string) (Wire, bool) {
	f, ok := wires[name]
	if !ok {
		return nil, false
	}
	return f(), true
}

// Scope is implemented by a wire that serves part of its vendor's spec
// (YCloud's WhatsApp operations of a spec covering the whole API):
// spec-driven tools leave the rest out against the simulator.
type Scope interface {
	// Serves reports whether the wire implements the operation at the
	// spec's path template (relative to the base path) and method.
	Serves(method, path string) bool
}

// Serves reports whether the simulator implements an operation of its
// spec; true for every operation of a wire that does not say (Scope).
func (s *Server) Serves(method, path string) bool {
	sc, ok := s.wire.(Scope)
	return !ok || sc.Serves(method, path)
}
