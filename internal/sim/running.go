package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Running is a simulator served on a loopback port, for in-process use by
// conform, load and tests.
type Running struct {
	// Server is the simulator.
	*Server
	// URL is the API base URL ("http://127.0.0.1:PORT/rest/wab/v1").
	URL string
	// Root is the server root ("http://127.0.0.1:PORT"); the admin API is
	// Root + "/_sim/".
	Root string

	http *http.Server
	done chan error
}

// Start builds a simulator and serves it on 127.0.0.1 on a free port until
// Close (or ctx ends, which closes it with a one-second drain). v may be
// nil (New builds the validator).
func Start(ctx context.Context, doc *spec.Doc, v *validate.Validator, w Wire, cfg Config) (*Running, error) {
	s, err := New(doc, v, w, cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_, _ = s.Close(context.Background())
		return nil, fmt.Errorf("sim: listen on 127.0.0.1: %w", err)
	}
	return serve(ctx, s, ln), nil
}

// Serve serves s on ln until ctx ends or Close; the caller owns s's Close
// through the returned Running.
func serve(ctx context.Context, s *Server, ln net.Listener) *Running {
	root := "http://" + ln.Addr().String()
	r := &Running{Server: s, URL: root + s.base, Root: root, done: make(chan error, 1),
		http: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}}
	go func() {
		err := r.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		r.done <- err
	}()
	if ctx.Done() != nil {
		go func() {
			<-ctx.Done()
			cctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_, _ = r.Close(cctx)
		}()
	}
	return r
}

// Close stops the HTTP server, then closes the simulator (draining the
// callback queue until ctx ends). It returns the undelivered callbacks.
func (r *Running) Close(ctx context.Context) (undelivered int, err error) {
	herr := r.http.Shutdown(ctx)
	n, serr := r.Server.Close(ctx)
	return n, errors.Join(herr, serr)
}

// ListenAndServe serves s on addr until ctx ends, then shuts down: stop
// accepting, drain callbacks for drain, log what was left. For
// `wabcheck sim`.
func ListenAndServe(ctx context.Context, s *Server, addr string, drain time.Duration, ready func(url string)) (undelivered int, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_, _ = s.Close(context.Background())
		return 0, fmt.Errorf("sim: --listen %s: %w", addr, err)
	}
	return Serve(ctx, s, ln, drain, ready)
}

// Serve is ListenAndServe on a listener the caller opened (so a bad
// address is reported before the simulator is built); it closes ln. It
// refuses a listener beyond loopback guarded by the published default
// password (CheckExposure) unless the configuration allows it.
func Serve(ctx context.Context, s *Server, ln net.Listener, drain time.Duration, ready func(url string)) (undelivered int, err error) {
	if err := CheckExposure(ln.Addr(), s.cfg); err != nil {
		_ = ln.Close()
		_, _ = s.Close(context.Background())
		return 0, err
	}
	r := serve(context.Background(), s, ln)
	if ready != nil {
		ready(r.Root)
	}
	select {
	case <-ctx.Done():
	case err := <-r.done:
		_, _ = s.Close(context.Background())
		return 0, fmt.Errorf("sim: serve %s: %w", ln.Addr(), err)
	}
	s.log.Info("sim: shutting down", "drain_timeout", drain)
	dctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	return r.Close(dctx)
}
