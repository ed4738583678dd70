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
}

// Range is an inclusive integer range.
type Range struct{ Min, Max int }

// Contains reports whether v is within r.
func (r Range) Contains(v int) bool { return v >= r.Min && v <= r.Max }
