package onprem

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Meta's error codes the dialect and its simulator use. The 13xxxx codes
// are the WhatsApp codes shared by the Cloud API (Meta, Cloud API "Error
// Codes": each answered with HTTP 400 Bad Request when returned
// synchronously); the 1xxx codes are the on-premises client's own (Meta,
// "Error and Status Messages", developers.facebook.com/docs/whatsapp/api/errors).
const (
	// CodeThroughput: "Rate limit hit", the business number's message
	// throughput (80 messages per second by default) was exceeded.
	CodeThroughput = 130429
	// CodePairRate: "(Business Account, Consumer Account) pair rate limit
	// hit", too many messages to one recipient in a short time.
	CodePairRate = 131056
	// CodeUndeliverable: "Message Undeliverable", in a failed status.
	CodeUndeliverable = 131026
	// CodeReengagement: "Re-engagement message", the 24-hour customer
	// service window is closed (a free-form message needs a template).
	CodeReengagement = 131047
	// CodeGeneric is "Generic error".
	CodeGeneric = 1000
	// CodeAccessDenied: missing, invalid or expired credentials.
	CodeAccessDenied = 1005
	// CodeNotFound is "Resource not found".
	CodeNotFound = 1006
	// CodeParamMissing is "Required parameter is missing".
	CodeParamMissing = 1008
	// CodeParamInvalid is "Parameter value is not valid".
	CodeParamInvalid = 1009
	// CodeUserInvalid is "User is not valid" (a recipient that is not a
	// WhatsApp user).
	CodeUserInvalid = 1013
	// CodeInternal is "Internal error".
	CodeInternal = 1014
	// CodeTooManyRequests is "Too many requests".
	CodeTooManyRequests = 1015
)

// Titles of the codes above, as Meta names them.
var codeTitles = map[int]string{
	CodeThroughput: "Rate limit hit", CodePairRate: "(Business Account, Consumer Account) pair rate limit hit",
	CodeUndeliverable: "Message Undeliverable", CodeReengagement: "Re-engagement message",
	CodeGeneric: "Generic error", CodeAccessDenied: "Access denied", CodeNotFound: "Resource not found",
	CodeParamMissing: "Required parameter is missing", CodeParamInvalid: "Parameter value is not valid",
	CodeUserInvalid: "User is not valid", CodeInternal: "Internal error", CodeTooManyRequests: "Too many requests",
}

// Title is Meta's title of code ("Rate limit hit"); "" for codes the
// dialect does not know.
func Title(code int) string { return codeTitles[code] }

// APIError is one item of an error body's errors[] (and of a failed
// status's errors[]).
type APIError struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Details string `json:"details,omitempty"`
	Href    string `json:"href,omitempty"`
}

// String is "130429 Rate limit hit".
func (e APIError) String() string {
	return strings.TrimSpace(strconv.Itoa(e.Code) + " " + e.Title)
}

// ReadErrors returns the errors[] of an error body ({meta, errors}); an
// error says the body is not one.
func ReadErrors(body []byte) ([]APIError, error) {
	var b struct {
		Errors []APIError `json:"errors"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, fmt.Errorf("the error body is not JSON: %w", err)
	}
	if len(b.Errors) == 0 {
		return nil, fmt.Errorf("the error body has no errors[]")
	}
	return b.Errors, nil
}

// HasCode reports whether body is an error body naming code.
func HasCode(body []byte, code int) bool {
	errs, err := ReadErrors(body)
	if err != nil {
		return false
	}
	for _, e := range errs {
		if e.Code == code {
			return true
		}
	}
	return false
}

// ErrorCodes implements dialect.ErrorCoder: the codes of an error body's
// errors[].
func (*Dialect) ErrorCodes(a dialect.Answer) []string {
	errs, err := ReadErrors(a.Body)
	if err != nil {
		return nil
	}
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = strconv.Itoa(e.Code)
	}
	return out
}
