package modicasim

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// authenticator checks HTTP Basic credentials in constant time.
type authenticator struct {
	want []byte // "Basic base64(user:password)"
}

func newAuthenticator(user, password string) authenticator {
	return authenticator{want: []byte(dialect.BasicHeader(user, password))}
}

// check reports whether header carries the credentials. The scheme is
// matched case-insensitively ("basic" as "Basic").
func (a authenticator) check(header string) bool {
	if len(header) != len(a.want) {
		subtle.ConstantTimeCompare(a.want, a.want)
		return false
	}
	if len(header) > 6 && header[0] == 'b' {
		header = "B" + header[1:]
	}
	return subtle.ConstantTimeCompare([]byte(header), a.want) == 1
}

// admit takes a token from the credential's bucket; when none is left it
// answers 429 with Retry-After (unless a fault drops or breaks it).
func (a *api) admit(w http.ResponseWriter, key string) bool {
	ok, wait := a.s.Admit(key)
	if ok {
		return true
	}
	h := w.Header()
	switch {
	case a.s.Hit(a.f.retryAfterMissing):
	case a.s.Hit(a.f.retryAfterOutOfRange):
		h[hRetryAfter] = hvRetryBelow
	default:
		h[hRetryAfter] = itoaHeader(sim.RetryAfterSeconds(wait, a.retryLo, a.retryHi))
	}
	a.writeError(w, http.StatusTooManyRequests, "Authorization", sim.CodeRateLimited,
		"rate limit of "+a.s.AdvertisedLimit()[0]+" requests per second exceeded; retry after "+wait.Round(time.Millisecond).String())
	return false
}
