package steps

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// stepDoer runs a dialect's own requests (a webhook registration) as steps
// do: validated and recorded in the scenario; spec departures are kept
// for the step, not returned to the dialect.
type stepDoer struct {
	s    *Scenario
	errs []error
}

// Do implements dialect.Doer.
func (d *stepDoer) Do(ctx context.Context, r dialect.Request) (dialect.Answer, error) {
	d.s.last = nil
	err := d.s.request(ctx, r)
	if d.s.last == nil {
		return dialect.Answer{}, err
	}
	d.errs = append(d.errs, err)
	return d.s.last.answer(), nil
}

// registerWebhook points the vendor's webhook at the harness's receiver
// through its API (the on-premises client's PATCH /settings/application),
// every request validated, and undoes it after the scenario. The URL is
// the one the harness registered, so callbacks of scenarios running
// meanwhile keep arriving.
func (s *Scenario) registerWebhook(ctx context.Context) error {
	reg, err := capability[dialect.WebhookRegistrar](s, dialect.CapWebhooks)
	if err != nil {
		return err
	}
	u, err := url.Parse(s.env.WebhookURL)
	switch {
	case s.env.WebhookURL == "" || err != nil:
		return fmt.Errorf("%w: the harness registered no webhook (the vendor was configured by hand; see --set-webhook)", godog.ErrSkip)
	case u.User != nil:
		return fmt.Errorf("%w: the receiver's URL carries credentials, which a recorded request body would show", godog.ErrSkip)
	}
	d := &stepDoer{s: s}
	wh, err := reg.RegisterWebhook(ctx, d, s.env.WebhookURL)
	if wh.Undo != nil {
		s.onRestore(func(ctx context.Context) error { return wh.Undo(ctx) })
	}
	return errors.Join(append(d.errs, err)...)
}

func (s *Scenario) registerWebhookSteps(sc *godog.ScenarioContext) {
	s.on(sc, `^I register the callback receiver as the vendor's webhook$`, s.registerWebhook)
}
