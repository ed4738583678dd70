package httpc

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// DrainLimit bounds what is read and thrown away of a body past its limit
// so the keep-alive connection can be reused; a longer rest closes the
// connection instead.
const DrainLimit = 64 << 10

// NoFollow is an http.Client CheckRedirect that follows no redirect: the
// client returns the 3xx response itself.
func NoFollow(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// New returns a client that follows no redirect, with timeout bounding
// each request (0: none) and the default transport.
func New(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: NoFollow}
}

// NoRedirects returns a copy of c that follows no redirect; it shares c's
// transport, jar and timeout. A nil c gives New(0).
func NoRedirects(c *http.Client) *http.Client {
	if c == nil {
		return New(0)
	}
	cp := *c
	cp.CheckRedirect = NoFollow
	return &cp
}

// Body is a response body read up to a limit.
type Body struct {
	// Data is the body, at most the limit long.
	Data []byte
	// Truncated is true when the body went on past the limit; Data is then
	// its first limit bytes.
	Truncated bool
}

// ReadBody reads at most limit bytes of r, then drains at most DrainLimit
// more of what is left (a body past the limit is not read to its end).
// The error is a read error before the limit; Data holds what came.
func ReadBody(r io.Reader, limit int64) (Body, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	b := Body{Data: buf.Bytes()}
	if n > limit {
		b.Data, b.Truncated = b.Data[:limit], true
		_, _ = io.CopyN(io.Discard, r, DrainLimit)
	}
	return b, err
}

// Drain reads and discards at most DrainLimit bytes of rc and closes it;
// a body longer than that is not read to its end (the connection is then
// not reused).
func Drain(rc io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, rc, DrainLimit)
	_ = rc.Close()
}
