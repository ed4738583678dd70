package load

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/load/profiles"
)

// newAttacker builds the vegeta attacker on a client of our own. Redirects
// are not followed: a 3xx is a result, never a hop to a host the loopback
// guard did not check. vegeta's Attacker takes no context, so the client's
// transport gives every request one that ends with ctx: on an interrupt
// the requests in flight are cancelled at once instead of running into
// their timeout.
func newAttacker(ctx context.Context, p *profiles.Profile, maxBody int) *vegeta.Attacker {
	return vegeta.NewAttacker(vegeta.Client(attackClient(ctx, p.Timeout)), vegeta.Workers(p.Workers),
		vegeta.MaxWorkers(p.MaxWorkers), vegeta.MaxBody(int64(maxBody)))
}

// idleConnTimeout closes a keep-alive connection of the attack client
// that has been idle this long: net/http's DefaultTransport value.
const idleConnTimeout = 90 * time.Second

// attackClient is vegeta's default client (same transport settings,
// keep-alive on) with the timeout, no redirects, cancellation by ctx and
// idle connections closed after idleConnTimeout. The timeout is the
// request context's deadline, set by cancelTransport, not the Client's
// Timeout: net/http knows only its own transports, and a Client with a
// Timeout over any other RoundTripper takes the legacy cancellation path
// (a goroutine, a timer and a channel for every request), which cost the
// CLI a fifth more CPU per request at its maximum rate. vegeta's transport keeps
// idle connections forever: every stall of the run (a GC pause, a busy
// machine) added workers, each opening a connection that then stayed,
// with its buffers and goroutines on both ends, to the end of the run, so
// a soak's memory ratcheted up with every stall. The transport reuses
// the most recently used connection, so the ones beyond what the rate
// needs go idle and are closed.
func attackClient(ctx context.Context, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     &tls.Config{}, // as vegeta's default: HTTP/1.1
		MaxIdleConnsPerHost: vegeta.DefaultConnections,
		MaxConnsPerHost:     vegeta.DefaultMaxConnections,
		IdleConnTimeout:     idleConnTimeout,
	}
	return &http.Client{Transport: &cancelTransport{ctx: ctx, next: tr, timeout: timeout},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// cancelTransport runs each request under a context that ends after
// timeout (when positive) or when ctx does (the run's interrupt), until
// its response body is closed: the timeout covers reading the body too,
// as http.Client's Timeout does.
type cancelTransport struct {
	ctx     context.Context
	next    http.RoundTripper
	timeout time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *cancelTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var ctx context.Context
	var cancel context.CancelFunc
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(req.Context(), t.timeout)
	} else {
		ctx, cancel = context.WithCancel(req.Context())
	}
	stop := context.AfterFunc(t.ctx, cancel)
	release := func() { stop(); cancel() }
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releaseBody releases the request's context once the body is closed.
type releaseBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

// Close closes the body, then releases the context.
func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
