package conform

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/steps"
)

// Credentials the in-process simulator puts in its status callback URL, so
// every run checks that credentials in callback URLs are sent as HTTP
// Basic authentication (the password needs URL encoding, as seed 004 warns).
const (
	simCallbackUser     = "wabcheck-cb"
	simCallbackPassword = "p@ss"
)

// closeTimeout bounds the simulator's drain of its last callbacks.
const closeTimeout = 3 * time.Second

// harness is the running machinery of one run: the receiver's server and,
// for the embedded default, the simulator.
type harness struct {
	env       *steps.Env
	target    string // for the report, redacted
	statusURL string // as told to the vendor, redacted
	replyURL  string
	closers   []func(context.Context) error

	mu     sync.Mutex
	failed []error // servers that stopped serving before close
}

// close stops everything, newest first, and returns what went wrong. The
// run's own client lets go of its keep-alive connections first; servers
// are then closed at once rather than shut down gracefully: by now every
// scenario has ended and the results are final, so nothing they could
// still serve would be recorded, and http.Server.Shutdown would wait up to
// 5 s on a connection the client dialed but never used (StateNew).
func (h *harness) close() error {
	if h.env != nil && h.env.Client != nil {
		h.env.Client.CloseIdleConnections()
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	var errs []error
	for i := len(h.closers) - 1; i >= 0; i-- {
		errs = append(errs, h.closers[i](ctx))
	}
	return errors.Join(errs...)
}

// closeAndTell closes the harness and tells w what went wrong, if anything
// (the results are final by then).
func (h *harness) closeAndTell(w io.Writer) {
	if err := h.close(); err != nil {
		fmt.Fprintf(w, "wabcheck conform: closing: %v\n", redact.String(err.Error()))
	}
}

// serve runs handler on ln until the harness closes. A Serve error other
// than the close itself is kept for errs.
func (h *harness) serve(name string, ln net.Listener, handler http.Handler) {
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

// errs returns the Serve errors so far, redacted, for the report.
func (h *harness) errs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, err := range h.failed {
		out = append(out, redact.String(err.Error()))
	}
	return out
}

// startReceiver serves the callback receiver and returns the base URL the
// target must call (credentials included, not redacted).
func (h *harness) startReceiver(o Options, recv *callbacks.Receiver, simulated bool) (string, error) {
	addr := o.CallbackListen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("--callback-listen %s: %w", redact.URL(addr), redact.Error(err))
	}
	scheme := "http"
	if o.CallbackTLSCert != "" {
		cert, err := loadKeyPair(o)
		if err != nil {
			_ = ln.Close()
			return "", err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	base := o.CallbackURL
	if base == "" {
		base = scheme + "://" + ln.Addr().String()
		if simulated {
			base = scheme + "://" + url.UserPassword(simCallbackUser, simCallbackPassword).String() + "@" + ln.Addr().String()
		}
	}
	handler := recv.Handler()
	if u, _ := url.Parse(base); u != nil && u.User != nil {
		pass, _ := u.User.Password()
		h.env.CallbackAuth = steps.NewCallbackAuth(handler, u.User.Username(), pass, h.env.Now)
		handler = h.env.CallbackAuth
	}
	h.serve("callback receiver", ln, handler)
	base = strings.TrimSuffix(base, "/")
	h.statusURL, h.replyURL = redact.URL(base+"/status"), redact.URL(base+"/reply")
	return base, nil
}

// startSim starts the simulator in-process on a free loopback port, its
// callbacks pointed at cbBase.
func (h *harness) startSim(o Options, cbBase string) error {
	cfg := sim.DefaultConfig()
	cfg.CallbackURLs = map[string]string{"status": cbBase + "/status", "reply": cbBase + "/reply"}
	cfg.Faults = o.Faults
	cfg.CallbackBackoff, cfg.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
	cfg.LateDLRDelay = o.DLRTimeout + time.Second
	cfg.LatencySpike = o.MaxLatency + time.Second
	if o.SimConfig != nil {
		o.SimConfig(&cfg)
	}
	w, ok := sim.WireFor("modica")
	if !ok {
		return errors.New("in-process simulator: no simulator is registered for modica")
	}
	s, err := sim.New(o.Doc, nil, w, cfg)
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	h.closers = append(h.closers, func(ctx context.Context) error {
		if _, err := s.Close(ctx); err != nil {
			return fmt.Errorf("in-process simulator: %w", err)
		}
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	h.serve("in-process simulator", ln, s.Handler())
	root := "http://" + ln.Addr().String()
	h.env.BaseURL, h.env.AdminURL = root+o.Doc.BasePath(), root+"/_sim"
	h.env.User, h.env.Password = cfg.User, cfg.Password
	h.env.BusinessNumber = cfg.BusinessNumber
	h.target = "in-process simulator at " + h.env.BaseURL
	if len(o.Faults) > 0 {
		var names []string
		for _, f := range o.Faults {
			names = append(names, fmt.Sprintf("%s=%g", f.Name, f.Ratio))
		}
		h.target += " (faults: " + strings.Join(names, ", ") + ")"
	}
	return nil
}

// setup builds the harness for o: receiver, and simulator or real target.
func setup(o Options, env *steps.Env, recv *callbacks.Receiver) (*harness, error) {
	h := &harness{env: env}
	simulated := o.Target == ""
	cbBase, err := h.startReceiver(o, recv, simulated)
	if err != nil {
		return nil, err
	}
	if simulated {
		if err := h.startSim(o, cbBase); err != nil {
			_ = h.close()
			return nil, err
		}
		return h, nil
	}
	u, err := url.Parse(o.Target)
	if err != nil {
		_ = h.close()
		return nil, fmt.Errorf("--target: %w", redact.Error(err))
	}
	if u.User != nil {
		_ = h.close()
		return nil, errors.New("--target: put credentials in --user/--password or WABCHECK_USER/WABCHECK_PASSWORD, not in the URL")
	}
	env.BaseURL, env.User, env.Password = strings.TrimSuffix(o.Target, "/"), o.User, o.Password
	h.target = redact.URL(env.BaseURL)
	return h, nil
}
