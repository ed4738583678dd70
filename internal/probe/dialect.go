package probe

import "net/http"

// Dialect is what the probe needs to know about a vendor beyond its spec.
// The lead implements it once per vendor dialect (Modica, YCloud, Meta's
// on-premises API); modica.go holds today's Modica implementation.
type Dialect interface {
	// Authorize sets valid credentials on req; it fails when there are none
	// to set (the error names the flags or variables to use).
	Authorize(req *http.Request) error
	// AuthorizeWrong sets credentials the target must refuse. They are
	// fixed, not derived from the real ones, so a report may show them.
	AuthorizeWrong(req *http.Request)
	// CredentialHeaders lists the headers that carry credentials; the
	// "missing credentials" cases remove them, reports redact them.
	CredentialHeaders() []string
	// CurlAuth returns the curl arguments that send valid credentials from
	// $WABCHECK_… environment variables (never their values), or, with
	// wrong set, the fixed wrong ones AuthorizeWrong sets.
	CurlAuth(wrong bool) string
	// Sends reports whether an operation (by operationId) sends a real
	// message, and the JSON pointers of its recipient fields in the request
	// body, so that cases against a real target go only to the numbers the
	// user gave (--to). A recipient field may be a string or an array of
	// strings (a broadcast).
	Sends(operationID string) (recipients []string, ok bool)
	// Links returns the dialect's own stateful links, beyond the spec's
	// OpenAPI `links`: send → retrieve by the returned id, upload →
	// download.
	Links() []Link
}

// Link says that a value in one operation's 2XX answer names a resource
// another operation takes.
type Link struct {
	// Label names the link in reports ("send → get").
	Label string `json:"label"`
	// From is the operationId whose 2XX answer holds the value.
	From string `json:"from"`
	// Value is the JSON pointer of the value in From's answer body
	// ("/message_id", "/0/id").
	Value string `json:"value"`
	// To is the operationId the value is passed to.
	To string `json:"to"`
	// In and Param say where the value goes in To's request: In is
	// "query", "path" or "header" with Param the parameter name, or "body"
	// with Param the JSON pointer in the request body ("/message_id").
	In    string `json:"in"`
	Param string `json:"param"`
	// Echo, when set, is a JSON pointer in To's 2XX answer that must equal
	// the value (the retrieved message names the id it was asked for).
	Echo string `json:"echo,omitempty"`
	// SameBytes asks To's 2XX answer body to be exactly the file From
	// uploaded (upload → download).
	SameBytes bool `json:"same_bytes,omitempty"`
}

// ItemRejecter is implemented by a dialect whose batch operations answer
// 2XX and reject bad items one by one in the answer (Modica's broadcast:
// one result per destination, `failed` for a bad number). A negative case
// whose only violation is inside such an item passes when the answer marks
// that item rejected.
type ItemRejecter interface {
	// ItemRejected reports whether the 2XX answer of operationID rejected
	// the request body item at pointer ("/destination/3"); false when the
	// pointer is not a batch item the dialect knows.
	ItemRejected(operationID, pointer string, answer []byte) bool
}

// Receipts is implemented by a dialect whose accepted sends are followed by
// delivery receipts (callbacks) that a callbacks.Receiver correlates.
type Receipts interface {
	// MessageIDs returns the ids of the messages a send's 2XX answer says
	// were accepted.
	MessageIDs(operationID string, answer []byte) []string
	// FinalStatus reports whether a delivery status is final (delivered,
	// read or failed): the probe stops waiting for the message then.
	FinalStatus(status string) bool
}
