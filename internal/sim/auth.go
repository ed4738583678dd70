package sim

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"
)

var hvWWWAuth = []string{`Basic realm="wabcheck-sim"`}

// authenticator checks HTTP Basic credentials against the precomputed
// header value, in constant time and without decoding or allocating.
type authenticator struct {
	want []byte // "Basic base64(user:password)"
}

func newAuthenticator(user, password string) authenticator {
	return authenticator{want: []byte("Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password)))}
}

// check returns the credential index (its rate-limit bucket) when header
// carries the configured credentials.
func (a authenticator) check(header string) (int, bool) {
	if len(header) != len(a.want) {
		// Compare anyway so the timing does not depend on where it differs.
		subtle.ConstantTimeCompare(a.want, a.want)
		return 0, false
	}
	// The scheme is case-insensitive (RFC 9110): normalise "basic ".
	if len(header) > 6 && (header[0] == 'b') {
		header = "B" + header[1:]
	}
	if subtle.ConstantTimeCompare([]byte(header), a.want) != 1 {
		return 0, false
	}
	return 0, true
}

// rateState is the active rate limit, swapped as a whole by the admin API.
type rateState struct {
	lim     *limiter
	buckets []bucket // one per credential
	header  []string // X-RateLimit-Limit value
	rate    int
	burst   int
}

// setRateLimit switches the rate limit to rate req/s (0 = off).
func (s *Server) setRateLimit(rate, burst int) {
	advertised := rate
	if rate == 0 {
		advertised = s.rateMax // off: advertise the spec's maximum
	}
	s.rl.Store(&rateState{lim: newLimiter(rate, burst), buckets: make([]bucket, 1),
		header: itoaHeader(advertised), rate: rate, burst: burst})
}

// admit takes a token for credential cred; when none is left it answers
// 429 with Retry-After and returns false.
func (s *Server) admit(w http.ResponseWriter, cred int) bool {
	st := s.rl.Load()
	ok, wait := st.lim.allow(&st.buckets[cred], s.now().UnixNano())
	if ok {
		return true
	}
	s.stats.rateLimited.Add(1)
	h := w.Header()
	switch {
	case s.faults.hit(fRetryAfterMissing):
	case s.faults.hit(fRetryAfterOutOfRange):
		h[hRetryAfter] = hvRetryBelow
	default:
		h[hRetryAfter] = itoaHeader(retryAfterSeconds(wait, s.retryLo, s.retryHi))
	}
	s.writeError(w, http.StatusTooManyRequests, "Authorization", codeRateLimited,
		"rate limit of "+st.header[0]+" requests per second exceeded; retry after "+time.Duration(wait).Round(time.Millisecond).String())
	return false
}
