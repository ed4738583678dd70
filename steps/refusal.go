package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
)

// invalidRecipient is a number that is not E.164: a national number
// without its country calling code.
const invalidRecipient = "0211234567"

// sendToInvalid sends a text message to a number that is not E.164 and
// remembers its answer: a dialect that refuses such a recipient late
// (dialect.LateRefuser) may lawfully accept it.
func (s *Scenario) sendToInvalid(ctx context.Context) error {
	err := s.sendMessage(ctx, s.textMessage(invalidRecipient, "wabcheck invalid recipient"))
	s.invalidSend = s.last
	return err
}

// lateRefusal is the dialect's late refusal when the last answer accepted
// a send to an invalid recipient and the dialect may lawfully do so.
func (s *Scenario) lateRefusal(r *response) (dialect.LateRefuser, bool) {
	if r == nil || r != s.invalidSend || r.status/100 != 2 {
		return nil, false
	}
	lr, ok := s.env.Dialect.(dialect.LateRefuser)
	return lr, ok
}

// skipRefusedLate is the answer of a step that checks a refusal at send
// when the dialect refused late instead: it waits for the failure status
// (a step error when it does not come) and then skips the refusal-at-send
// checks, saying what happened.
func (s *Scenario) skipRefusedLate(ctx context.Context, lr dialect.LateRefuser) error {
	failure, err := s.refusedByStatus(ctx, lr)
	if err != nil {
		return err
	}
	_, how := lr.LateRefusal()
	return fmt.Errorf("%w: %s accepted the send to %s and refused it by %s (%s), as it lawfully does; the refusal at send is not checked",
		godog.ErrSkip, s.env.Dialect.Info().Name, invalidRecipient, how, failure)
}

// refusedByStatus waits for the last message's final status and checks
// it is a failure carrying the dialect's error code; it returns the
// failure as "status [errors]".
func (s *Scenario) refusedByStatus(ctx context.Context, lr dialect.LateRefuser) (string, error) {
	code, how := lr.LateRefusal()
	m, err := s.lastMessage()
	if err != nil {
		return "", err
	}
	evs, err := s.waitFor(ctx, m, s.hasFinal)
	if err != nil {
		return "", s.noFinal(m, how, evs)
	}
	model := s.env.Dialect.Statuses()
	for _, e := range evs {
		if st, ok := model.Lookup(e.Status); ok && st.Failure {
			s.settle(ctx, m)
			if code != "" && !carriesCode(e, code) {
				return "", expected(fmt.Sprintf("message %s (to %s) %s status errors", m.id, m.dest, e.Status), "error "+code, show(e.Errors))
			}
			return e.Status + " " + fmt.Sprint(e.Errors), nil
		}
	}
	return "", expected(fmt.Sprintf("message %s (to %s), a recipient %s cannot deliver to", m.id, m.dest, s.env.Dialect.Info().Name),
		how, statusList(evs))
}

// carriesCode reports whether an event's errors name code ("131026" or
// "131026 Message Undeliverable").
func carriesCode(e callbacks.Event, code string) bool {
	for _, x := range e.Errors {
		if x == code || strings.HasPrefix(x, code+" ") {
			return true
		}
	}
	return false
}

// refusedAtSendOrLater checks a send to an invalid recipient was refused:
// at send (4XX, not 429, with an error body) or, for a dialect that
// refuses late, by a failure status of the accepted message.
func (s *Scenario) refusedAtSendOrLater(ctx context.Context) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if r.status/100 == 2 {
		lr, ok := s.env.Dialect.(dialect.LateRefuser)
		if !ok {
			return expected(fmt.Sprintf("%s %s status", r.method, r.path), "a 4XX client error ("+s.env.Dialect.Info().Name+" refuses at send)",
				fmt.Sprintf("%d %s", r.status, show(string(r.body))))
		}
		_, err := s.refusedByStatus(ctx, lr)
		return err
	}
	if err := s.statusClientError(ctx); err != nil {
		return err
	}
	return errorBody(r)
}
