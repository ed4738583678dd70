package validate

import (
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
)

// Finding codes. They are stable: reports, tests and the simulator's error
// answers key on them. Messages may change; codes never do.
const (
	// CodePathUnknown: no path of the spec matches the request path.
	CodePathUnknown = "path-unknown"
	// CodeMethodNotAllowed: the path exists but has no operation for the method.
	CodeMethodNotAllowed = "method-not-allowed"
	// CodeStatusUndeclared: the response status is not declared for the operation.
	CodeStatusUndeclared = "status-undeclared"
	// CodeHeaderMissing: a header the spec declares is absent.
	CodeHeaderMissing = "header-missing"
	// CodeHeaderInvalid: a header value violates its schema.
	CodeHeaderInvalid = "header-invalid"
	// CodeContentTypeMismatch: the Content-Type is not one the spec declares.
	CodeContentTypeMismatch = "content-type-mismatch"
	// CodeBodyMissing: the spec declares a body (content or a required
	// request body) and the message has none.
	CodeBodyMissing = "body-missing"
	// CodeBodyUndeclared: the message has a body where the spec declares none.
	CodeBodyUndeclared = "body-undeclared"
	// CodeBodyNotJSON: a JSON media type was declared and the body does not parse.
	CodeBodyNotJSON = "body-not-json"
	// CodeBodySchema: the body violates its schema; one Finding per violation.
	CodeBodySchema = "body-schema"
	// CodeParamMissing: a required query, header, path or cookie parameter is absent.
	CodeParamMissing = "param-missing"
	// CodeParamInvalid: a parameter value violates its schema.
	CodeParamInvalid = "param-invalid"
	// CodeRequestInvalid: the request cannot be checked at all (for example
	// the method is empty); rarely seen.
	CodeRequestInvalid = "request-invalid"
)

// Kind is a callback kind, named by the dialect (dialect.CallbackKind.Name:
// "status", "whatsapp.message.updated").
type Kind string

// Operation returns the Finding.Operation name of the callback kind
// ("callback:status", "callback:reply").
func (k Kind) Operation() string { return "callback:" + string(k) }

// Finding is one way a message departs from the spec.
type Finding struct {
	// Code is a stable kebab-case code (the Code… constants).
	Code string `json:"code"`
	// Operation is the operationId ("PostMessages"), or "callback:status" /
	// "callback:reply"; empty when no operation matched.
	Operation string `json:"operation"`
	// Method and Path are those of the checked message (Path relative to
	// the spec's base path, without query).
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	// Status is the response status, 0 for requests and callbacks.
	Status int `json:"status,omitempty"`
	// Where names the part of the message: "status", "header
	// X-RateLimit-Limit", "body", "query media_id", "path", "method".
	Where string `json:"where"`
	// Pointer is the JSON pointer of the offending value in the body
	// ("/message_id", "/items/3/id"); "" for the whole body or non-body parts.
	Pointer string `json:"pointer,omitempty"`
	// Rule is the violated schema keyword and its value: `format: uuid`,
	// `required: message_id`, `enum: [accepted]`, `maximum: 1000`.
	Rule string `json:"rule,omitempty"`
	// Spec is where that rule (or the declaration in question) sits in the
	// published spec file.
	Spec spec.Location `json:"spec"`
	// Message says what was expected and what was found, on one line.
	Message string `json:"message"`
}

// String formats the finding on one line:
//
//	body-schema PostMessages POST /messages 202 body /message_id: <message> [pattern: …] (spec modica.yaml:12:7)
func (f Finding) String() string {
	var b strings.Builder
	b.Grow(128 + len(f.Message) + len(f.Rule))
	b.WriteString(f.Code)
	for _, s := range []string{f.Operation, f.Method, f.Path} {
		if s != "" {
			b.WriteByte(' ')
			b.WriteString(s)
		}
	}
	if f.Status != 0 {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(f.Status))
	}
	if f.Where != "" {
		b.WriteByte(' ')
		b.WriteString(f.Where)
	}
	if f.Pointer != "" {
		b.WriteByte(' ')
		b.WriteString(f.Pointer)
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	if f.Rule != "" {
		b.WriteString(" [")
		b.WriteString(f.Rule)
		b.WriteByte(']')
	}
	if f.Spec.File != "" {
		b.WriteString(" (spec ")
		b.WriteString(f.Spec.String())
		b.WriteByte(')')
	}
	return b.String()
}

// Field names the field the finding is about as a client would: its body
// pointer dotted ("/text/body" → "text.body"), else the parameter or
// header its Where names ("query media_id" → "media_id"), else Where.
// Simulators name it in their error answers.
func (f Finding) Field() string {
	if p := strings.Trim(f.Pointer, "/"); p != "" {
		return strings.ReplaceAll(p, "/", ".")
	}
	if _, name, ok := strings.Cut(f.Where, " "); ok {
		return name
	}
	return f.Where
}

// apiErrorMax is the maxLength of the spec's APIError field, code and
// description.
const apiErrorMax = 100

// APIError renders the finding as the three strings of the spec's APIError
// item, for a server (the simulator) that answers a bad request: field is
// the body pointer or the parameter/header name, code the finding code,
// description the message. Each fits APIError's schema: at most 100
// characters, from the characters its patterns allow (ASCII space to '_',
// a-z and a few more; others are replaced).
func (f Finding) APIError() (field, code, description string) {
	field = f.Pointer
	if field == "" {
		field = f.Where
		if _, name, ok := strings.Cut(f.Where, " "); ok {
			field = name
		}
	}
	return apiSafe(field), apiSafe(f.Code), apiSafe(f.Message)
}

// apiSafe maps s into the character class both APIError patterns accept
// (' '..'_' and a-z) and cuts it to 100 bytes.
func apiSafe(s string) string {
	b := make([]byte, 0, min(len(s), apiErrorMax))
	for _, r := range s {
		if len(b) == apiErrorMax {
			break
		}
		switch {
		case r >= ' ' && r <= '_', r >= 'a' && r <= 'z':
			b = append(b, byte(r))
		case r == '{':
			b = append(b, '(')
		case r == '}':
			b = append(b, ')')
		case r == '|':
			b = append(b, '/')
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// printable makes every text field of fs printable on one line: a method,
// path, JSON key or value taken from a message may hold control
// characters (a newline in a %0A-encoded path, an escape sequence in a
// body) that would break the line of a log, report or terminal.
func printable(fs []Finding) []Finding {
	for i := range fs {
		f := &fs[i]
		for _, s := range []*string{&f.Operation, &f.Method, &f.Path, &f.Where, &f.Pointer, &f.Rule, &f.Message} {
			*s = escapeControls(*s)
		}
	}
	return fs
}

// escapeControls writes the control characters of s as Go escapes (\n,
// \x1b, \u2028); s without any is returned as is.
func escapeControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == '\u2028' || r == '\u2029'
}
