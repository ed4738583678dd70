package harness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// startSim starts the dialect's simulator in-process on a free loopback
// port, sharing the run's validator, and points its callbacks at the
// receiver: on the simulator's configuration for a vendor whose callback
// URLs are configured, through the API for one that registers webhooks.
func (h *Harness) startSim(ctx context.Context, o Options, v *validate.Validator, secret string) error {
	name := o.Dialect.Info().Name
	w, ok := sim.WireFor(name)
	if !ok {
		return fmt.Errorf("--vendor %s: there is no simulator of this vendor; give --target", name)
	}
	reg, registers := o.Dialect.(dialect.WebhookRegistrar)
	cfg := simConfig(o, secret)
	base := ""
	if h.Receiver != nil {
		var err error
		if base, err = h.serveReceiver(o, !registers); err != nil {
			return err
		}
		if !registers {
			cfg.CallbackURLs = KindURLs(o.Dialect, base)
		}
	}
	if o.SimConfig != nil {
		o.SimConfig(&cfg)
	}
	if err := h.serveSim(o, v, w, cfg); err != nil {
		return err
	}
	if registers && h.Receiver != nil {
		return h.register(ctx, reg, base, o.WebhookSecret)
	}
	h.CallbackURLs = redactAll(cfg.CallbackURLs)
	return nil
}

// simConfig is the in-process simulator's configuration: the published
// credentials, quick retries, the webhook secret, the run's faults.
func simConfig(o Options, secret string) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.User, cfg.Password, cfg.APIKey = sim.DefaultUser, sim.DefaultPassword, sim.DefaultAPIKey
	cfg.Faults = o.Faults
	cfg.CallbackBackoff, cfg.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
	cfg.WebhookSecret = secret
	return cfg
}

// serveSim builds the simulator and serves it on loopback.
func (h *Harness) serveSim(o Options, v *validate.Validator, w sim.Wire, cfg sim.Config) error {
	s, err := sim.New(o.Doc, v, w, cfg)
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	h.Sim = s
	h.closers = append(h.closers, func(ctx context.Context) error {
		if _, err := s.Close(ctx); err != nil {
			return fmt.Errorf("in-process simulator: %w", err)
		}
		return nil
	})
	ln, err := netguard.Listen("127.0.0.1:0", false)
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	h.serve("in-process simulator", ln, s.Handler())
	root := "http://" + ln.Addr().String()
	h.BaseURL, h.AdminURL, h.Validator = root+o.Doc.BasePath(), root+"/_sim", v
	creds := dialect.Credentials{User: cfg.User, Password: cfg.Password, APIKey: cfg.APIKey}
	auth, err := o.Dialect.NewAuth(creds, dialect.AuthEnv{BaseURL: h.BaseURL, Client: h.Client, Now: o.Now})
	if err != nil {
		return fmt.Errorf("in-process simulator: %w", err)
	}
	h.Auth = auth
	h.Target = "in-process simulator at " + h.BaseURL + faultNote(o.Faults)
	return nil
}

func faultNote(fs []sim.FaultSetting) string {
	if len(fs) == 0 {
		return ""
	}
	var names []string
	for _, f := range fs {
		names = append(names, fmt.Sprintf("%s=%g", f.Name, f.Ratio))
	}
	return " (faults: " + strings.Join(names, ", ") + ")"
}
