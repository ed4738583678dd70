package dialect

import (
	"encoding/json"

	"github.com/wabcheck/wabcheck/spec"
)

// Explorer is implemented by a dialect that tells spec-driven case
// generation (wabcheck probe) what its spec does not say: which operations
// send real messages (and where their recipients are, so that cases
// against a real target go only to the numbers the user gave), the
// stateful links between operations, and how to read the ids of the
// messages a send accepted. A dialect without it is probed from the spec
// alone, and against the simulator only.
type Explorer interface {
	// Sends reports whether an operation sends a real message, and the
	// JSON pointers of its recipient fields in the request body; a field
	// may be a string or an array of strings (a broadcast).
	Sends(operation string) (recipients []string, ok bool)
	// Links lists stateful links beyond the spec's OpenAPI `links`: send
	// → retrieve by the returned id, upload → download.
	Links() []Link
	// MessageIDs returns the ids of the messages a send's 2XX answer
	// says were accepted.
	MessageIDs(operation string, answer []byte) []string
}

// Link says that a value in one operation's 2XX answer names a resource
// another operation takes.
type Link struct {
	// Label names the link in reports ("send → get").
	Label string `json:"label"`
	// From is the operation whose 2XX answer holds the value; "" when
	// the value is made outside the API (a customer's inbound message,
	// known from a webhook): the link is then never followed, but a
	// generated value at To's place names a resource nobody made, so a
	// 404 there is honest.
	From string `json:"from"`
	// Value is the JSON pointer of the value in From's answer body
	// ("/message_id", "/0/id").
	Value string `json:"value"`
	// To is the operation the value is passed to.
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

// Reconfigurer is implemented by a dialect with operations that change
// how the account works for everyone who uses it (the on-premises
// client's PATCH /settings/application sets its one webhook URL; a login
// with a body sets a new password). Spec-driven case generation leaves
// them out, saying why: a generated request would point the account's
// webhooks elsewhere, or lock its users out.
type Reconfigurer interface {
	// Reconfigures says whether operation changes the account's
	// configuration, and what it changes, in a few words.
	Reconfigures(operation string) (what string, ok bool)
}

// SenderFielder is implemented by an Explorer whose sends name the
// business number they are sent from (YCloud's from): against a real
// target the probe puts the run's sender (--from) there and does not vary
// it in positive cases, as it does with recipients; a vendor refuses a
// sender that is not the account's.
type SenderFielder interface {
	// SenderFields lists the JSON pointers of an operation's sender
	// fields in the request body (none for an operation that is not a
	// send).
	SenderFields(operation string) []string
}

// ItemRejecter is implemented by a dialect whose batch operations answer
// 2XX and reject bad items one by one in the answer (Modica's broadcast:
// one result per destination, `failed` for a bad number). A negative case
// whose only violation is inside such an item passes when the answer marks
// that item rejected.
type ItemRejecter interface {
	// ItemRejected reports whether the 2XX answer of operation rejected
	// the request body item at pointer ("/destination/3"); false when the
	// pointer is not a batch item the dialect knows.
	ItemRejected(operation, pointer string, answer []byte) bool
}

// ShellCredential is implemented by an Auth that can say how a shell
// command passes valid credentials from the environment (never their
// values): the curl arguments a report shows to reproduce a request.
type ShellCredential interface {
	CurlArgs() string
}

// ReferenceFielder is implemented by an Explorer whose sends carry the
// client's own reference (Message.Reference: Modica's reference, YCloud's
// externalId). Steps read a spelled-out send body's reference there (and
// its recipient where Sends says), to correlate the message's callbacks.
type ReferenceFielder interface {
	// ReferenceFields lists the JSON pointers of an operation's reference
	// fields in the request body (none for an operation that is not a
	// send or carries no reference).
	ReferenceFields(operation string) []string
}

// SendFields reads the recipient and the client's reference of a send
// request body (one the dialect built, or one a feature spelled out) for
// operation, where d's Explorer (Sends) and ReferenceFielder say they
// are: the first of each that holds a non-empty string. Either is ""
// when d does not say or the body holds none there.
func SendFields(d Dialect, operation string, body []byte) (to, ref string) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return "", ""
	}
	if ex, ok := d.(Explorer); ok {
		ptrs, _ := ex.Sends(operation)
		to = firstStringAt(v, ptrs)
	}
	if rf, ok := d.(ReferenceFielder); ok {
		ref = firstStringAt(v, rf.ReferenceFields(operation))
	}
	return to, ref
}

// firstStringAt is the first non-empty string at one of the JSON
// pointers in v.
func firstStringAt(v any, pointers []string) string {
	for _, p := range pointers {
		x, _ := spec.ValueAt(v, p)
		if s, ok := x.(string); ok && s != "" {
			return s
		}
	}
	return ""
}
