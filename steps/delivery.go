package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
)

// registerDelivery binds the steps about signed callbacks, lawful
// disorder, read-backs, per-sender limits and kept response values.
func (s *Scenario) registerDelivery(sc *godog.ScenarioContext) {
	s.on(sc, `^every delivery receipt of the message has a valid signature$`, s.receiptsSigned)
	s.on(sc, `^every delivery receipt of the message has the finding "([^"]*)"$`, s.receiptsHaveFinding)
	s.on(sc, `^some delivery receipt of the message is a duplicate$`, s.someDuplicate)
	s.on(sc, `^some delivery receipt of the message arrived out of order$`, s.someDisorder)
	s.on(sc, `^the retrieved message's status is not behind its delivery receipts$`, s.retrievedNotBehind)
	s.on(sc, `^the response field "([^"]*)" matches "([^"]*)"$`, s.fieldMatchesRegexp)
	s.on(sc, `^I keep the response field "([^"]*)" as "([^"]*)"$`, s.keepField)
	s.on(sc, `^I send a text message from "([^"]*)"$`, s.sendTextFrom)
	s.on(sc, `^I send (\d+) text messages in a row$`, func(ctx context.Context, n int) error { return s.sendInARow(ctx, n, "") })
	s.on(sc, `^I send (\d+) text messages via "([^"]*)" in a row$`, s.sendInARow)
	s.on(sc, `^every 429 response has the response field "([^"]*)" equal to "([^"]*)"$`, s.every429Field)
	// Both phrasings are in use (features/onprem says "the simulator
	// fault/option", features/ycloud "the simulator's"); one step each.
	s.on(sc, `^the simulator(?:'s)? fault "([^"]*)" is on$`, s.faultOn)
	s.on(sc, `^the simulator(?:'s)? option "([^"]*)" is "([^"]*)"$`, s.optionIs)
	s.on(sc, `^the simulator's lawful disorder is (\d+(?:\.\d+)?) duplicate, (\d+(?:\.\d+)?) reorder and (\d+(?:\.\d+)?) skip$`, s.disorderIs)
}

// isSignatureCode reports whether a finding code is a signature defect.
func isSignatureCode(code string) bool {
	return code == dialect.CodeSignatureMissing || code == dialect.CodeSignatureInvalid || code == dialect.CodeSignatureStale
}

// receiptsSigned checks that every receipt of the last message was
// verified and its signature holds. A vendor that signs nothing, or a run
// without the secret (a webhook set up by hand without --webhook-secret),
// skips, saying so.
func (s *Scenario) receiptsSigned() error {
	if _, ok := s.env.Dialect.(dialect.Verifier); !ok {
		return fmt.Errorf("%w: %s does not sign its callbacks", godog.ErrSkip, s.env.Dialect.Info().Name)
	}
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	var problems []string
	for i, e := range evs {
		if !s.env.Receiver.Verifies(string(e.Kind)) {
			return fmt.Errorf("%w: no secret to verify %s callbacks with (give --webhook-secret, or let wabcheck register its receiver)", godog.ErrSkip, e.Kind)
		}
		for _, f := range e.Findings {
			if isSignatureCode(f.Code) {
				problems = append(problems, fmt.Sprintf("receipt %d (%s): %s", i+1, e.Status, f.String()))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("delivery receipts of message %s are not signed as the vendor documents:\n  %s", m.id, strings.Join(problems, "\n  "))
	}
	return nil
}

// receiptsHaveFinding checks that every receipt of the last message has a
// finding of the given code: the harness caught a defect the scenario
// provoked (a simulator fault).
func (s *Scenario) receiptsHaveFinding(code string) error {
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	for i, e := range evs {
		if !hasFinding(e, code) {
			return expected(fmt.Sprintf("receipt %d (%s) of message %s", i+1, e.Status, m.id), "a finding "+code, findingCodes(e))
		}
	}
	return nil
}

func hasFinding(e callbacks.Event, code string) bool {
	for _, f := range e.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func findingCodes(e callbacks.Event) string {
	if len(e.Findings) == 0 {
		return "no finding"
	}
	var codes []string
	for _, f := range e.Findings {
		codes = append(codes, f.Code)
	}
	return "findings " + strings.Join(codes, ", ")
}

// someDuplicate checks the receiver flagged a repeated receipt of the
// last message (lawful for a vendor without an ordering guarantee: the
// scenario shows it is counted, not failed).
func (s *Scenario) someDuplicate() error {
	return s.someFlagged("a repeated receipt (a duplicate)", func(e callbacks.Event) bool { return e.Duplicate })
}

// someDisorder checks the receiver flagged a receipt of the last message
// that ranks below one before it.
func (s *Scenario) someDisorder() error {
	return s.someFlagged("a receipt ranking below an earlier one (out of order)", func(e callbacks.Event) bool { return e.Disorder })
}

func (s *Scenario) someFlagged(want string, flagged func(callbacks.Event) bool) error {
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	for _, e := range evs {
		if flagged(e) {
			return nil
		}
	}
	return expected(fmt.Sprintf("message %s receipts %s", m.id, statusList(evs)), want, "none")
}

// retrievedNotBehind checks the retrieve answer's status against the last
// message's receipts: the latest of them (by the vendor's status model)
// must not be further along than what the retrieve reports. A retrieve
// ahead of its receipts (a status whose receipt is still on its way) is
// lawful.
func (s *Scenario) retrievedNotBehind() error {
	r, m, got, err := s.retrieved()
	if err != nil {
		return err
	}
	model := s.env.Dialect.Statuses()
	evs := s.env.Receiver.Events(m.id)
	names := []string{got.Status}
	for _, e := range evs {
		if model.Known(e.Status) {
			names = append(names, e.Status)
		}
	}
	if latest, _ := model.Latest(names); latest.Name != got.Status {
		return expected(fmt.Sprintf("%s %s status of message %s (receipts %s)", r.method, r.path, m.id, statusList(evs)),
			"the latest status its receipts reported ("+latest.Name+") or one further along", show(got.Status))
	}
	return nil
}

// fieldMatchesRegexp checks a response field against a regular expression
// (RE2, anchored as written).
func (s *Scenario) fieldMatchesRegexp(path, expr string) error {
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("the step's regular expression %q: %w", expr, err)
	}
	return s.fieldMatches(path, "a value matching "+strconv.Quote(expr), re.MatchString)
}

// keepField keeps a string or number field of the last response as
// {{name}} for later steps.
func (s *Scenario) keepField(path, name string) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if err := r.whole(); err != nil {
		return err
	}
	v, ok, err := jsonField(r.body, path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	switch v.(type) {
	case string, float64:
	default:
		ok = false
	}
	if !ok {
		return expected(fmt.Sprintf("%s %s response field %q", r.method, r.path, path), "a string or number to keep", show(v))
	}
	if s.kept == nil {
		s.kept = map[string]string{}
	}
	s.kept[name] = fmt.Sprint(v)
	return nil
}

// sendTextFrom sends a text message from another business number.
func (s *Scenario) sendTextFrom(ctx context.Context, from string) error {
	m := s.textMessage(s.env.To[0], "wabcheck conformance message "+s.ref)
	m.From = from
	return s.sendMessage(ctx, m)
}

// sendInARow sends n text messages one after the other (through route
// via, "" for the default) and keeps the answers as the burst; accepted
// messages are registered like any other.
func (s *Scenario) sendInARow(ctx context.Context, n int, via string) error {
	if n < 1 || n > maxBurst {
		return fmt.Errorf("the number of messages must be within 1..%d, got %d", maxBurst, n)
	}
	s.burst = make([]*response, 0, n)
	errs := make([]error, 0, n)
	for range n {
		s.last = nil
		m := s.textMessage(s.env.To[0], "wabcheck conformance message "+s.ref)
		m.Via = via
		err := s.sendMessage(ctx, m)
		if s.last != nil {
			s.burst = append(s.burst, s.last.kept(maxBurstBody))
		}
		errs = append(errs, err)
	}
	return firstErrors(errs, 5)
}

// every429Field checks a field of every 429 answer of the burst.
func (s *Scenario) every429Field(path, want string) error {
	limited := s.burstWith(http.StatusTooManyRequests)
	if len(limited) == 0 {
		return fmt.Errorf("no 429 in the burst to check")
	}
	for _, r := range limited {
		if err := fieldIs(r, r.method+" "+r.path+" → 429", path, want); err != nil {
			return err
		}
	}
	return nil
}
