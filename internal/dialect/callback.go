package dialect

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Types of Event.
const (
	// EventStatus is a delivery status of a message the harness sent.
	EventStatus = "status"
	// EventInbound is a message a customer sent to the business. It may
	// arrive at any time and is never a status of an unknown message.
	EventInbound = "inbound"
	// EventError is a vendor-level error notification not tied to one
	// message (the on-premises client's errors[]).
	EventError = "error"
	// EventOther is anything else a vendor posts (events of types the
	// harness does not check); counted, not judged.
	EventOther = "other"
)

// Event is one thing a callback POST reports. One POST may carry many
// (the on-premises client batches statuses and messages).
type Event struct {
	// Type is EventStatus, EventInbound, EventError or EventOther.
	Type string
	// MessageID is the message a status is for, or the id of an inbound
	// message.
	MessageID string
	// Status is the delivery status of a status event, as on the wire.
	Status string
	// Reference is the client reference the vendor echoed (Modica
	// reference, YCloud externalId); "" when the event has none.
	Reference string
	// Recipient is the recipient a status event names (YCloud to,
	// on-premises recipient_id); "" when it names none.
	Recipient string
	// EventID is the vendor's id of this event, for de-duplication of
	// at-least-once deliveries; "" when the vendor gives none.
	EventID string
	// Time is the vendor's own time of the status or message; zero when
	// the event carries none. Unordered models order by it.
	Time time.Time
	// InboundType is an inbound message's type ("text", "image").
	InboundType string
	// From is an inbound message's sender.
	From string
	// Pointer is the JSON pointer of the event's item in the POST body
	// ("" for the whole body, "/statuses/2" in a batch), so validation
	// findings can be attached to the event they concern.
	Pointer string
	// Errors holds failure details the vendor attached (codes, titles).
	Errors []string
}

// CallbackKind is one kind of callback POST a vendor sends.
type CallbackKind struct {
	// Name is the kind's stable name, used in reports and spec coverage
	// ("callback:status"): "status", "whatsapp.message.updated", "onprem".
	Name string
	// SpecCallback and SpecExpression name the spec callback that
	// validates the POST body: the key under an operation's `callbacks`
	// and, optionally, its runtime expression (else the first one).
	SpecCallback, SpecExpression string
	// Carries lists the event types POSTs of this kind bring.
	Carries []string
	// Path is the path the harness appends to its receiver's base URL for
	// this kind, when the vendor posts each kind to a URL of its own
	// (Modica: "/status", "/reply"); "" when one URL serves every kind.
	Path string
	// Signed is true when the vendor signs POSTs of this kind (the
	// dialect is then a Verifier): the receiver verifies them when it has
	// the secret. The on-premises format is unsigned, its cloud format
	// signed; both come to one URL.
	Signed bool
}

// Reference echo policies of a CallbackModel.
const (
	// EchoNone: callbacks carry no client reference.
	EchoNone = iota
	// EchoAlways: every status callback carries the reference the message
	// was sent with; a different one is a defect.
	EchoAlways
	// EchoIfSent: callbacks carry the reference when one was sent.
	EchoIfSent
)

// CallbackModel is how a vendor's callbacks look.
type CallbackModel interface {
	// Kinds lists the callback kinds.
	Kinds() []CallbackKind
	// Classify names the kind of a POST from its path, headers and body
	// ("" when it cannot tell).
	Classify(path string, h http.Header, body []byte) string
	// Events extracts the events of a POST of the given kind. decoded is
	// the body as the validator decoded it (nil when it was not
	// validated: then the dialect decodes body itself). An error says why
	// the body yields no events (not JSON, not the kind's shape).
	Events(kind string, body []byte, decoded any) ([]Event, error)
	// ReferenceEcho says whether status callbacks echo the reference.
	ReferenceEcho() int
	// Ack is the answer the receiver gives every callback: status and
	// headers the spec declares for it (Modica: X-RateLimit-Limit).
	Ack() (status int, header http.Header)
}

// Signature error codes, stable: they become finding codes.
const (
	CodeSignatureMissing = "signature-missing"
	CodeSignatureInvalid = "signature-invalid"
	CodeSignatureStale   = "signature-stale"
)

// SignatureError says why a callback's signature does not verify.
type SignatureError struct {
	Code    string // CodeSignature…
	Message string
}

func (e *SignatureError) Error() string { return e.Code + ": " + e.Message }

// Verifier is implemented by dialects whose callbacks are signed.
type Verifier interface {
	// SignatureHeader is the header that carries the signature.
	SignatureHeader() string
	// Verify checks the signature of a POST with secret, at time now,
	// in constant time; a *SignatureError says what is wrong.
	Verify(h http.Header, body []byte, secret string, now time.Time) error
	// Sign returns the header value a correct sender would send, for the
	// simulator and tests.
	Sign(body []byte, secret string, now time.Time) string
}

// Doer executes a dialect request against the target with valid
// credentials and returns the answer; the harness's implementation
// validates and records it like any other exchange.
type Doer interface {
	Do(ctx context.Context, r Request) (Answer, error)
}

// Webhook is a registration made by a WebhookRegistrar.
type Webhook struct {
	// Secret signs the callbacks ("" when the vendor does not sign).
	Secret string
	// Description says what was registered, for the run's console and
	// report, without secrets ("webhook endpoint we_123 for 2 events").
	Description string
	// Undo removes or restores the registration at the end of the run.
	Undo func(ctx context.Context) error
}

// WebhookRegistrar is implemented by dialects whose callbacks are set up
// through the API (YCloud's webhook endpoints, the on-premises client's
// application settings).
type WebhookRegistrar interface {
	// RegisterWebhook points the callbacks the harness checks at url.
	RegisterWebhook(ctx context.Context, do Doer, url string) (Webhook, error)
	// ReplacesWebhook is true when registering replaces the account's one
	// webhook setting (restored at the end): the harness then registers
	// against a real target only when asked to. YCloud adds an endpoint
	// (false); the on-premises client has one webhook URL (true).
	ReplacesWebhook() bool
}

// Lacks is the reason a scenario needing capability is skipped for d:
// "ycloud has no broadcast".
func Lacks(d Dialect, capability string) string {
	return fmt.Sprintf("%s has no %s", d.Info().Name, capability)
}
