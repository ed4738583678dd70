package dialect

// RateLimitModel is a vendor's rate-limit contract as far as a client can
// check it.
type RateLimitModel struct {
	// LimitHeader is the response header advertising the limit in
	// requests per second ("X-RateLimit-Limit"); "" when the vendor
	// advertises none.
	LimitHeader string
	// LimitMax is the largest value the spec allows in LimitHeader; 0
	// when unbounded.
	LimitMax int
	// RetryAfter bounds the Retry-After seconds of a 429; nil when the
	// vendor does not promise the header.
	RetryAfter *Range
	// Documented is the documented limit per second of sending, when the
	// vendor documents one but does not advertise it (YCloud: 200 per
	// sender); 0 when unknown. Rate-limit profiles use it for the onset.
	Documented int
	// Refusal, when set, reports whether an answer other than a 429 is the
	// vendor's rate-limit refusal (Meta: 400 with error 130429 or 131056):
	// load counts it with the 429s. nil when only 429 is.
	Refusal func(status int, body []byte) bool
}

// Limited reports whether an answer is a rate-limit refusal: a 429, or
// one the vendor's Refusal names.
func (m RateLimitModel) Limited(status int, body []byte) bool {
	return status == 429 || (m.Refusal != nil && m.Refusal(status, body))
}

// Range is an inclusive integer range.
type Range struct{ Min, Max int }

// Contains reports whether v is within r.
func (r Range) Contains(v int) bool { return v >= r.Min && v <= r.Max }
