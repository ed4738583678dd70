package steps

import (
	"fmt"
	"slices"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// codesOf is the error codes an answer names (dialect.ErrorCoder), or a
// skip saying the vendor's errors carry none.
func (s *Scenario) codesOf(r *response) ([]string, error) {
	ec, err := capability[dialect.ErrorCoder](s, "error codes")
	if err != nil {
		return nil, err
	}
	return ec.ErrorCodes(r.answer()), nil
}

// errorNamesCode checks the last answer is an error body naming code.
func (s *Scenario) errorNamesCode(code string) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if err := errorBody(r); err != nil {
		return err
	}
	return s.namesCode(r, code)
}

// namesCode checks r names code.
func (s *Scenario) namesCode(r *response, code string) error {
	codes, err := s.codesOf(r)
	if err != nil {
		return err
	}
	if !slices.Contains(codes, code) {
		return expected(fmt.Sprintf("%s %s → %d error codes", r.method, r.path, r.status), "code "+code, show(codes))
	}
	return nil
}

// someNamingCode checks some answers of the burst have status and name
// code.
func (s *Scenario) someNamingCode(status int, code string) error {
	if len(s.burst) == 0 {
		return fmt.Errorf("no burst yet: a burst step must come first")
	}
	for _, r := range s.burstWith(status) {
		if s.namesCode(r, code) == nil {
			return nil
		}
	}
	if _, err := s.codesOf(s.burst[0]); err != nil {
		return err
	}
	return expected(fmt.Sprintf("%d requests", len(s.burst)), fmt.Sprintf("some answered %d naming code %s", status, code), s.burstStatuses())
}

// everyNamingCode checks every answer of the burst with status is an
// error body naming code.
func (s *Scenario) everyNamingCode(status int, code string) error {
	for _, r := range s.burstWith(status) {
		if err := errorBody(r); err != nil {
			return err
		}
		if err := s.namesCode(r, code); err != nil {
			return err
		}
	}
	return nil
}

// failureNamesCode checks the last message reached a failure status that
// names code among its errors.
func (s *Scenario) failureNamesCode(code string) error {
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	model := s.env.Dialect.Statuses()
	for _, e := range evs {
		if st, ok := model.Lookup(e.Status); ok && st.Failure {
			if carriesCode(e, code) {
				return nil
			}
			return expected(fmt.Sprintf("message %s (to %s) %s status errors", m.id, m.dest, e.Status), "code "+code, show(e.Errors))
		}
	}
	return expected(fmt.Sprintf("message %s (to %s) statuses", m.id, m.dest), "a failure", statusList(evs))
}

func (s *Scenario) registerCodes(sc *godog.ScenarioContext) {
	s.on(sc, `^the response is an error naming code "([^"]*)"$`, s.errorNamesCode)
	s.on(sc, `^some responses have status (\d{3}) naming code "([^"]*)"$`, s.someNamingCode)
	s.on(sc, `^every response with status (\d{3}) names code "([^"]*)"$`, s.everyNamingCode)
	s.on(sc, `^the failure status of the message names code "([^"]*)"$`, s.failureNamesCode)
}
