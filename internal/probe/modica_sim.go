package probe

// MOVES INTO THE MODICA DIALECT (issue 8), with modica.go: starting the
// in-process Modica simulator is the dialect's business.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// SimTarget is the simulator running in-process on a loopback port, its
// delivery receipts posted to a receiver the probe follows them with.
type SimTarget struct {
	// BaseURL is the API base URL (the spec's base path included).
	BaseURL string
	// Receiver gets the simulator's status and reply callbacks.
	Receiver *callbacks.Receiver
	// Dialect carries the simulator's credentials.
	Dialect Modica

	sim     *sim.Server
	servers []*http.Server
}

// StartSim starts the simulator and its receiver. Rate limiting is off:
// the probe's cases are not a load test, and a 429 would prove nothing
// about them. tune may adjust the simulator's configuration (tests plant
// faults with it); nil keeps the defaults.
func StartSim(doc *spec.Doc, v *validate.Validator, tune func(*sim.Config)) (*SimTarget, error) {
	t := &SimTarget{Receiver: callbacks.NewReceiver(v, callbacks.Options{})}
	cbURL, err := t.serve(t.Receiver.Handler())
	if err != nil {
		return nil, fmt.Errorf("callback receiver: %w", err)
	}
	cfg := sim.DefaultConfig()
	cfg.RateLimit, cfg.Seed = 0, 1
	cfg.StatusCallbackURL, cfg.ReplyCallbackURL = cbURL+"/status", cbURL+"/reply"
	cfg.CallbackBackoff, cfg.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
	if tune != nil {
		tune(&cfg)
	}
	if t.sim, err = sim.New(doc, cfg); err != nil {
		t.Close()
		return nil, fmt.Errorf("in-process simulator: %w", err)
	}
	root, err := t.serve(t.sim.Handler())
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("in-process simulator: %w", err)
	}
	t.BaseURL, t.Dialect = root+doc.BasePath(), Modica{User: cfg.User, Password: cfg.Password}
	return t, nil
}

// serve runs h on a free loopback port and returns its root URL.
func (t *SimTarget) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	t.servers = append(t.servers, srv)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the probe sees the failed requests
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close stops the simulator (dropping receipts still queued: the probe has
// what it waited for) and the servers.
func (t *SimTarget) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if t.sim != nil {
		_, _ = t.sim.Close(ctx)
	}
	for i := len(t.servers) - 1; i >= 0; i-- {
		_ = t.servers[i].Close()
	}
}
