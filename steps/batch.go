package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// sendToEach sends a text message to each of n test destinations (numbers
// generated around the simulator's recipient, else --to cycled).
func (s *Scenario) sendToEach(ctx context.Context, n int) error {
	if n < 1 || n > maxBurst {
		return fmt.Errorf("the number of destinations must be within 1..%d, got %d", maxBurst, n)
	}
	var errs []error
	for _, to := range s.env.destinations(n) {
		errs = append(errs, s.sendTextTo(ctx, to))
	}
	return firstErrors(errs, 5)
}

// someBatched checks that some status callback of the scenario's
// messages came in a POST carrying several events: the vendor batches,
// and the receiver split the batch into its events.
func (s *Scenario) someBatched() error {
	if len(s.messages) == 0 {
		return fmt.Errorf("no message was accepted in this scenario")
	}
	n, most := 0, 0
	for _, m := range s.messages {
		for _, e := range s.env.Receiver.Events(m.id) {
			n++
			most = max(most, e.Batch)
		}
	}
	if most < 2 {
		return expected(fmt.Sprintf("the %d status callbacks of %d messages", n, len(s.messages)), "some in a POST carrying several events", "one event per POST")
	}
	return nil
}

// everyReceiptValid checks the status callbacks of every message the
// scenario sent against the spec (and their signatures).
func (s *Scenario) everyReceiptValid() error {
	if len(s.messages) == 0 {
		return fmt.Errorf("no message was accepted in this scenario")
	}
	var problems []string
	for _, m := range s.messages {
		for i, e := range s.env.Receiver.Events(m.id) {
			for _, f := range e.Findings {
				problems = append(problems, fmt.Sprintf("message %s receipt %d (%s): %s", m.id, i+1, e.Status, f.String()))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New("delivery receipts depart from the spec:\n  " + strings.Join(problems, "\n  "))
	}
	return nil
}

// everyReceiptFailsSignature checks every status callback of the last
// message carries the signature finding code: the receiver caught a bad
// or missing signature. Receipts of a kind the vendor does not sign skip
// (there is nothing to verify).
func (s *Scenario) everyReceiptFailsSignature(code string) error {
	_, evs, err := s.events()
	if err != nil {
		return err
	}
	signed := map[string]bool{}
	for _, k := range s.env.Dialect.Callbacks().Kinds() {
		signed[k.Name] = k.Signed
	}
	if _, ok := s.env.Dialect.(dialect.Verifier); !ok || !signed[string(evs[0].Kind)] {
		return fmt.Errorf("%w: the receipts came as %s callbacks, which %s does not sign", godog.ErrSkip, evs[0].Kind, s.env.Dialect.Info().Name)
	}
	return s.receiptsHaveFinding(code)
}

func (s *Scenario) registerBatches(sc *godog.ScenarioContext) {
	s.on(sc, `^I send a text message to each of (\d+) test destinations$`, s.sendToEach)
	s.on(sc, `^some delivery receipts of the accepted messages came several to a POST$`, s.someBatched)
	s.on(sc, `^every delivery receipt of every accepted message is valid against the callback schema$`, s.everyReceiptValid)
	s.on(sc, `^every delivery receipt of the message fails signature verification with "([^"]*)"$`, s.everyReceiptFailsSignature)
}
