package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// maxTokenWait bounds the wait for a login token to expire: longer-lived
// tokens (a real client's 7 days) skip the steps that need one expired.
const maxTokenWait = 15 * time.Second

// expiryMargin is waited beyond a token's expires_after, which the API
// may give to the second.
const expiryMargin = 1100 * time.Millisecond

// session returns the run's Auth as a dialect.Session, or a skip saying
// the vendor has no login call.
func (s *Scenario) session() (dialect.Session, error) {
	ss, ok := s.env.Auth.(dialect.Session)
	if !ok {
		return nil, fmt.Errorf("%w: %s has no login call (its credentials do not expire)", godog.ErrSkip, s.env.Dialect.Info().Name)
	}
	return ss, nil
}

// logIn makes the login call with the scenario's credentials (valid,
// wrong, or none) on the request itself, and validates the answer.
func (s *Scenario) logIn(ctx context.Context) error {
	ss, err := s.session()
	if err != nil {
		return err
	}
	r := ss.LoginRequest(s.cred == credWrong)
	if s.cred == credNone {
		r.Header = nil
	}
	saved := s.cred
	s.cred = credAsBuilt
	defer func() { s.cred = saved }()
	return s.request(ctx, r)
}

// loginGivesToken checks the last answer is a login giving a token that
// expires in the future.
func (s *Scenario) loginGivesToken() error {
	ss, err := s.session()
	if err != nil {
		return err
	}
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	exp, err := ss.ReadLogin(r.answer())
	if err != nil {
		return expected(fmt.Sprintf("%s %s answer", r.method, r.path), "a token and its expiry", err.Error())
	}
	if now := s.env.now(); !exp.After(now) {
		return expected(fmt.Sprintf("%s %s answer expiry", r.method, r.path), "a time after now ("+now.UTC().Format(time.RFC3339)+")", show(exp.UTC().Format(time.RFC3339)))
	}
	return nil
}

// freshLogin drops the run's token so that the next request logs in.
func (s *Scenario) freshLogin() error {
	ss, err := s.session()
	if err != nil {
		return err
	}
	ss.Invalidate()
	return nil
}

// waitTokenExpired logs in if needed, keeps the token in use, and waits
// until it has expired; a token living longer than maxTokenWait skips.
func (s *Scenario) waitTokenExpired(ctx context.Context) error {
	ss, err := s.session()
	if err != nil {
		return err
	}
	name, value, err := ss.Credential(ctx)
	if err != nil {
		return fmt.Errorf("logging in: %w", err)
	}
	s.expired = [2]string{name, value}
	s.loginsBefore = ss.Logins()
	wait := ss.Expiry().Sub(s.env.now()) + expiryMargin
	if ss.Expiry().IsZero() || wait > maxTokenWait {
		return fmt.Errorf("%w: the login token lasts until %s, too long to wait for (against the simulator: --sim-option token-ttl=2s, or the step the simulator option \"token-ttl\" is \"2s\")",
			godog.ErrSkip, ss.Expiry().UTC().Format(time.RFC3339))
	}
	t := time.NewTimer(max(wait, 0))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sendWithExpiredToken sends a text message with the token the wait step
// kept.
func (s *Scenario) sendWithExpiredToken(ctx context.Context) error {
	if s.expired[0] == "" {
		return fmt.Errorf("no expired token: the step waiting for the login token to expire must come first")
	}
	saved := s.cred
	s.cred = credExpired
	defer func() { s.cred = saved }()
	return s.sendText(ctx)
}

// loggedInAgain checks the run logged in again since the token expired.
func (s *Scenario) loggedInAgain() error {
	ss, err := s.session()
	if err != nil {
		return err
	}
	if n := ss.Logins(); n <= s.loginsBefore {
		return expected("logins since the token expired", "at least one (the harness logs in again before a token expires)", fmt.Sprintf("none (%d in all)", n))
	}
	return nil
}

func (s *Scenario) registerSession(sc *godog.ScenarioContext) {
	s.on(sc, `^I log in$`, s.logIn)
	s.on(sc, `^the login answer gives a token that expires in the future$`, s.loginGivesToken)
	s.on(sc, `^a fresh login$`, s.freshLogin)
	s.on(sc, `^I wait until the login token has expired$`, s.waitTokenExpired)
	s.on(sc, `^I send a text message with the expired token$`, s.sendWithExpiredToken)
	s.on(sc, `^the harness has logged in again$`, s.loggedInAgain)
}
