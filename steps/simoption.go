package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/cucumber/godog"
)

// setSimOption sets one of the simulator's live options (the wire's own,
// PATCH /_sim/config {"options"}) and puts the old value back after the
// scenario. Scenarios using it are @sim-only and @serial.
func (s *Scenario) setSimOption(ctx context.Context, name, value string) error {
	var cfg struct {
		Options map[string]string `json:"options"`
	}
	if err := s.admin(ctx, http.MethodGet, "/config", nil, &cfg); err != nil {
		return err
	}
	old, ok := cfg.Options[name]
	if !ok {
		return fmt.Errorf("the %s simulator has no option %q that changes while it runs (it has: %v)", s.env.Dialect.Info().Name, name, cfg.Options)
	}
	if err := s.admin(ctx, http.MethodPatch, "/config", map[string]any{"options": map[string]string{name: value}}, nil); err != nil {
		return err
	}
	s.onRestore(func(ctx context.Context) error {
		return s.admin(ctx, http.MethodPatch, "/config", map[string]any{"options": map[string]string{name: old}}, nil)
	})
	return nil
}

// switchFaultOn switches a simulator fault on at ratio 1; the active
// faults are put back after the scenario. Scenarios using it are
// @sim-only and @serial.
func (s *Scenario) switchFaultOn(ctx context.Context, name string) error {
	var doc struct {
		Active []simFault `json:"active"`
	}
	if err := s.admin(ctx, http.MethodGet, "/faults", nil, &doc); err != nil {
		return err
	}
	saved := append([]simFault{}, doc.Active...)
	s.onRestore(func(ctx context.Context) error {
		return s.admin(ctx, http.MethodPut, "/faults", saved, nil)
	})
	return s.admin(ctx, http.MethodPut, "/faults/"+url.PathEscape(name), map[string]float64{"ratio": 1}, nil)
}

func (s *Scenario) registerSimOptions(sc *godog.ScenarioContext) {
	sc.Step(`^the simulator option "([^"]*)" is "([^"]*)"$`, s.setSimOption)
	sc.Step(`^the simulator fault "([^"]*)" is on$`, s.switchFaultOn)
}
