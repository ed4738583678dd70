package dialect

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Request is one vendor request as a dialect built it. The operation is
// known here, where the request is made; nothing downstream re-derives it
// from the URL.
type Request struct {
	// Operation is the operationId in the dialect's spec ("PostMessages").
	Operation string
	// Method is the HTTP method.
	Method string
	// Path is relative to the target's base URL and may carry a query
	// ("/messages?id=…"); the base URL's own path is the API's base path.
	Path string
	// ContentType is the body's media type; empty for no body.
	ContentType string
	// Body is the request body; nil for none.
	Body []byte
	// Header holds extra headers (not credentials: Auth adds those).
	Header http.Header
}

// NewHTTPRequest builds the HTTP request of r against the API at baseURL
// (whose path is the API's base path), without credentials: an Auth adds
// them (Authorize). It asks for JSON, or anything.
func NewHTTPRequest(ctx context.Context, baseURL string, r Request) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, URL(baseURL, r.Path), bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", r.Method, r.Path, err)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	req.Header.Set("Accept", "application/json, */*")
	return req, nil
}

// URL joins baseURL and a request path that may carry a query.
func URL(baseURL, path string) string {
	return strings.TrimSuffix(baseURL, "/") + "/" + strings.TrimPrefix(path, "/")
}

// Kind of message a Message sends.
const (
	KindText     = "text"
	KindTemplate = "template"
	KindMedia    = "media"
)

// Message is a message to send, in neutral terms.
type Message struct {
	// To is the recipient, E.164 with "+".
	To string
	// From is the business number to send from; "" means the dialect's
	// default (the account's only number, or the simulator's).
	From string
	// Reference is the client's own reference, echoed in callbacks where
	// the vendor supports one (Modica reference, YCloud externalId).
	Reference string
	// Kind is KindText, KindTemplate or KindMedia.
	Kind string
	// Text is the body of a text message.
	Text string
	// Template is the template of a template message.
	Template *Template
	// Media is the attachment of a media message.
	Media *Media
	// Via picks a vendor-specific send route; "" is the default. The
	// harness passes it through from profiles and steps without reading
	// it; a dialect lists its values in Info.SendVias and rejects others
	// (YCloud: "direct" sends through /sendDirectly).
	Via string
}

// Template names an approved message template.
type Template struct {
	Name     string
	Language string
	// Params are the body parameters, in order.
	Params []string
}

// Media is an attachment by URL or by an uploaded media id.
type Media struct {
	// Type is image, document, audio, video or sticker.
	Type string
	// URL is a public link; ID an id returned by an upload.
	URL, ID string
	Caption string
}

// Accepted is one message a vendor accepted (or, in a broadcast answer,
// refused) for delivery.
type Accepted struct {
	// ID is the vendor's message id; callbacks carry it.
	ID string
	// To is the recipient the answer names ("" when it names none).
	To string
	// Status is the status the answer gives ("accepted"), if any.
	Status string
	// Refused is true for a broadcast item the vendor refused; Reason
	// says why.
	Refused bool
	Reason  string
}

// Answer is a response as the harness received it.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Sender sends single messages. Every dialect has it.
type Sender interface {
	// SendRequest builds the request that sends m. It appends the body to
	// dst.Body[:0] so that load generation can reuse the buffer; dst's
	// other fields are overwritten.
	SendRequest(dst *Request, m *Message) error
	// ReadSend reads the answer to a send: the accepted message, or an
	// error saying what the answer lacks (no id, not JSON). A non-2XX
	// answer is an error too.
	ReadSend(a Answer) (Accepted, error)
}

// Broadcaster sends one message to many recipients in one request.
type Broadcaster interface {
	// MaxRecipients is the largest broadcast the API takes.
	MaxRecipients() int
	BroadcastRequest(dst *Request, m *Message, to []string) error
	// ReadBroadcast reads one Accepted per recipient, in order.
	ReadBroadcast(a Answer) ([]Accepted, error)
}

// Retrieved is a message as a retrieve answer describes it.
type Retrieved struct {
	ID, To, Reference, Status string
	// Text is the body of a text message, as the vendor echoes it.
	Text string
}

// Retriever reads a message back by its id.
type Retriever interface {
	RetrieveRequest(id string) Request
	ReadRetrieve(a Answer) (Retrieved, error)
}

// ReadMarker marks a message as read (an inbound message, or for Modica
// any message the business holds).
type ReadMarker interface {
	MarkReadRequest(id string) Request
}

// MediaStore uploads and downloads media.
type MediaStore interface {
	// UploadRequest uploads data of the given MIME type.
	UploadRequest(mimeType string, data []byte) (Request, error)
	// ReadUpload returns the media id from the upload answer.
	ReadUpload(a Answer) (string, error)
	// DownloadRequest fetches the media with id; the answer body is the
	// bytes.
	DownloadRequest(id string) Request
	// UploadTypes lists the MIME types the API accepts.
	UploadTypes() []string
}

// HealthChecker asks the API whether it is up.
type HealthChecker interface {
	HealthRequest() Request
}

// ExampleIDs are the ids an example request may use: a message the
// scenario sent (or a well-formed one nobody sent) and the test
// recipient.
type ExampleIDs struct {
	Message, To string
}

// Exemplar builds a well-formed request of the API's operations no
// capability covers (Modica's POST /source), named "METHOD /path" as the
// spec names them, for scenarios that exercise every operation's answers
// (its 429, its 500).
type Exemplar interface {
	ExampleRequest(operation string, ids ExampleIDs) (Request, bool)
}
