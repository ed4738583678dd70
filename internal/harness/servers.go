package harness

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/steps"
)

// serve runs handler on ln until the harness closes. A Serve error other
// than the close itself is kept for Errs. Servers are closed at once, not
// shut down gracefully: by then the results are final, and Shutdown would
// wait on a connection a client dialed but never used.
func (h *Harness) serve(name string, ln net.Listener, handler http.Handler) {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.mu.Lock()
			h.failed = append(h.failed, fmt.Errorf("%s stopped serving: %w", name, err))
			h.mu.Unlock()
		}
	}()
	h.closers = append(h.closers, func(context.Context) error {
		err := srv.Close()
		<-done
		if err != nil {
			return fmt.Errorf("%s: close: %w", name, err)
		}
		return nil
	})
}

// listen opens the receiver's listener.
func (h *Harness) listen(o Options) (net.Listener, error) {
	addr := o.CallbackListen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	listen := o.Listen
	if listen == nil {
		listen = func(a string) (net.Listener, error) { return net.Listen("tcp", a) }
	}
	ln, err := listen(addr)
	if err != nil {
		return nil, fmt.Errorf("--callback-listen %s: %w", redact.URL(addr), redact.Error(err))
	}
	return ln, nil
}

// serveReceiver serves the callback receiver and returns the base URL the
// vendor must call (credentials included, not redacted). With
// urlCredentials (the in-process simulator of a vendor whose callback URLs
// are configured), the URL carries credentials the receiver then
// requires, so every run checks that the vendor sends them.
func (h *Harness) serveReceiver(o Options, urlCredentials bool) (string, error) {
	ln, err := h.listen(o)
	if err != nil {
		return "", err
	}
	scheme := "http"
	if o.CallbackTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(o.CallbackTLSCert, o.CallbackTLSKey)
		if err != nil {
			_ = ln.Close()
			return "", fmt.Errorf("--callback-tls-cert %s / --callback-tls-key %s: %w", o.CallbackTLSCert, o.CallbackTLSKey, err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	base := o.CallbackURL
	if base == "" {
		base = scheme + "://" + ln.Addr().String()
		if urlCredentials {
			base = scheme + "://" + url.UserPassword(simCallbackUser, simCallbackPassword).String() + "@" + ln.Addr().String()
		}
	}
	handler := h.Receiver.Handler()
	if o.WrapHandler != nil {
		handler = o.WrapHandler(handler)
	}
	if u, _ := url.Parse(base); u != nil && u.User != nil {
		pass, _ := u.User.Password()
		h.CallbackAuth = steps.NewCallbackAuth(handler, authModel(o), u.User.Username(), pass, o.Now)
		handler = h.CallbackAuth
	}
	h.serve("callback receiver", ln, handler)
	return strings.TrimSuffix(base, "/"), nil
}

// authModel is the callback model CallbackAuth reads message ids with, for
// its per-message counts (Seen, which conform's steps ask). A lean
// receiver (load) gets none: CallbackAuth still refuses callbacks without
// the credentials but counts them in total only, so a long run neither
// keeps a count per message sent (memory growing with every message) nor
// decodes every callback twice.
func authModel(o Options) dialect.CallbackModel {
	if o.Receiver.Lean {
		return nil
	}
	return o.Dialect.Callbacks()
}

// Credentials the in-process simulator puts in its callback URLs, so every
// run checks that credentials in callback URLs are sent as HTTP Basic
// authentication (the password needs URL encoding, as Modica's seed 004
// warns).
const (
	simCallbackUser     = "wabcheck-cb"
	simCallbackPassword = "p@ss"
)
