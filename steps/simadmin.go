package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/httpc"
)

// unknownMediaID is a well-formed media id no target has issued.
const unknownMediaID = "wabcheckunknown0000000000000001"

// restoreTimeout bounds the admin requests that put the simulator back.
const restoreTimeout = 5 * time.Second

// admin sends one request to the simulator's admin API and decodes a 2XX
// JSON answer into out (when out is not nil).
func (s *Scenario) admin(ctx context.Context, method, path string, body, out any) error {
	if s.env.AdminURL == "" {
		return fmt.Errorf("this step needs the simulator's admin API (/_sim/); tag the scenario @sim-only")
	}
	req, err := s.adminRequest(ctx, method, path, body)
	if err != nil {
		return fmt.Errorf("%s /_sim%s: %w", method, path, err)
	}
	resp, err := s.env.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("%s /_sim%s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := httpc.ReadBody(resp.Body, MaxResponseBody)
	switch {
	case err != nil:
		return fmt.Errorf("%s /_sim%s: reading the answer: %w", method, path, err)
	case resp.StatusCode/100 != 2:
		return expected(method+" /_sim"+path, "a 2XX answer", fmt.Sprintf("%d %s", resp.StatusCode, show(string(b.Data))))
	case b.Truncated:
		return fmt.Errorf("%s /_sim%s: answer over the limit, truncated at %d bytes", method, path, MaxResponseBody)
	case out == nil:
		return nil
	}
	if err := json.Unmarshal(b.Data, out); err != nil {
		return fmt.Errorf("%s /_sim%s: decoding the answer: %w", method, path, err)
	}
	return nil
}

// adminRequest builds an admin API request with body as JSON (none when
// nil) and the simulator's credentials.
func (s *Scenario) adminRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(s.env.AdminURL, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", jsonType)
	if err := dialect.Authorize(ctx, s.env.Auth, req); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	return req, nil
}

// simFault is one active fault as the admin API lists it.
type simFault struct {
	Name  string  `json:"name"`
	Ratio float64 `json:"ratio"`
}

// failEveryRequest switches the simulator's server-error-burst fault on at
// ratio 1 (every API request answers 500); the active faults are put back
// after the scenario.
func (s *Scenario) failEveryRequest(ctx context.Context) error {
	// The simulator drops what is left of a burst of 500s when the fault
	// is switched off, so putting the faults back is enough.
	return s.faultOn(ctx, "server-error-burst")
}

// faultOn switches a simulator fault on at ratio 1 (every time it can
// fire); the active faults are put back after the scenario.
func (s *Scenario) faultOn(ctx context.Context, name string) error {
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

// optionIs sets one of the simulator wire's run-time options; its value
// is put back after the scenario.
func (s *Scenario) optionIs(ctx context.Context, name, value string) error {
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
	s.onRestore(func(ctx context.Context) error {
		return s.admin(ctx, http.MethodPatch, "/config", map[string]any{"options": map[string]string{name: old}}, nil)
	})
	return s.admin(ctx, http.MethodPatch, "/config", map[string]any{"options": map[string]string{name: value}}, nil)
}

// disorderIs sets the simulator's lawful disorder (the shares of messages
// whose final status is posted twice, whose statuses come reversed, and
// whose intermediate status is never posted); it is put back after the
// scenario.
func (s *Scenario) disorderIs(ctx context.Context, duplicate, reorder, skip float64) error {
	var cfg struct {
		Disorder *map[string]float64 `json:"disorder"`
	}
	if err := s.admin(ctx, http.MethodGet, "/config", nil, &cfg); err != nil {
		return err
	}
	if cfg.Disorder == nil {
		return expected("GET /_sim/config", "a disorder setting", "an answer without one")
	}
	saved := *cfg.Disorder
	s.onRestore(func(ctx context.Context) error {
		return s.admin(ctx, http.MethodPatch, "/config", map[string]any{"disorder": saved}, nil)
	})
	return s.admin(ctx, http.MethodPatch, "/config", map[string]any{"disorder": map[string]float64{"duplicate": duplicate, "reorder": reorder, "skip": skip}}, nil)
}

// lowerRateLimit sets the simulator's rate limit (and bucket) to n
// requests per second; the limit is put back after the scenario. Either
// change starts a fresh bucket.
func (s *Scenario) lowerRateLimit(ctx context.Context, n int) error {
	var cfg struct {
		RateLimit *int `json:"rate_limit"`
		RateBurst *int `json:"rate_burst"`
	}
	if err := s.admin(ctx, http.MethodGet, "/config", nil, &cfg); err != nil {
		return err
	}
	if cfg.RateLimit == nil || cfg.RateBurst == nil {
		return expected("GET /_sim/config", "rate_limit and rate_burst", "an answer without them")
	}
	saved := map[string]int{"rate_limit": *cfg.RateLimit, "rate_burst": *cfg.RateBurst}
	s.onRestore(func(ctx context.Context) error {
		return s.admin(ctx, http.MethodPatch, "/config", saved, nil)
	})
	return s.admin(ctx, http.MethodPatch, "/config", map[string]int{"rate_limit": n, "rate_burst": n}, nil)
}

// onRestore registers f to run after the scenario (last registered first).
func (s *Scenario) onRestore(f func(context.Context) error) {
	s.restore = append(s.restore, f)
}

// Restore undoes the simulator changes the scenario's steps made (faults,
// rate limit), last change first, even when ctx has ended. It runs once;
// the error joins every restore that failed.
func (s *Scenario) Restore(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
	defer cancel()
	var errs []error
	for i := len(s.restore) - 1; i >= 0; i-- {
		if err := s.restore[i](ctx); err != nil {
			errs = append(errs, fmt.Errorf("restoring the simulator: %w", err))
		}
	}
	s.restore = nil
	return errors.Join(errs...)
}

// afterScenario is the godog hook that runs Restore.
func (s *Scenario) afterScenario(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	return ctx, s.Restore(ctx)
}

// operationRequest makes one well-formed request of the operation named
// "METHOD PATH" (as the spec names it): the dialect's own request for it
// when one of its capabilities builds it (with the scenario's last message
// or upload, else a well-formed id nobody issued), else the dialect's
// example request (Exemplar).
func (s *Scenario) operationRequest(ctx context.Context, method, path string) error {
	for _, a := range s.operationActions() {
		if a.r.Method == method && pathOnly(a.r.Path) == path {
			return a.do(ctx)
		}
	}
	if ex, ok := s.env.Dialect.(dialect.Exemplar); ok {
		if r, ok := ex.ExampleRequest(method+" "+path, dialect.ExampleIDs{Message: s.lastMessageID(), To: s.env.To[0]}); ok {
			return s.request(ctx, r)
		}
	}
	return fmt.Errorf("no well-formed request is known for %s's operation %q", s.env.Dialect.Info().Name, method+" "+path)
}

// action is a capability's request and the step that makes it.
type action struct {
	r  dialect.Request
	do func(context.Context) error
}

// operationActions lists the requests the dialect's capabilities build.
func (s *Scenario) operationActions() []action {
	d, id := s.env.Dialect, s.lastMessageID()
	var out []action
	var send dialect.Request
	if d.SendRequest(&send, s.textMessage(s.env.To[0], "x")) == nil {
		out = append(out, action{send, s.sendText})
	}
	if b, ok := d.(dialect.Broadcaster); ok {
		var r dialect.Request
		if b.BroadcastRequest(&r, s.textMessage("", "x"), s.env.destinations(2)) == nil {
			out = append(out, action{r, func(ctx context.Context) error { return s.broadcastN(ctx, 2) }})
		}
	}
	if rt, ok := d.(dialect.Retriever); ok {
		out = append(out, action{rt.RetrieveRequest(id), func(ctx context.Context) error { return s.retrieve(ctx, id) }})
	}
	if rm, ok := d.(dialect.ReadMarker); ok {
		out = append(out, action{rm.MarkReadRequest(id), func(ctx context.Context) error { return s.markReadID(ctx, id) }})
	}
	if hc, ok := d.(dialect.HealthChecker); ok {
		out = append(out, action{hc.HealthRequest(), s.getHealth})
	}
	return append(out, s.mediaActions()...)
}

// mediaActions are the upload and download of a dialect with media.
func (s *Scenario) mediaActions() []action {
	ms, ok := s.env.Dialect.(dialect.MediaStore)
	if !ok || len(ms.UploadTypes()) == 0 {
		return nil
	}
	typ := ms.UploadTypes()[0]
	up, err := ms.UploadRequest(typ, []byte("x"))
	if err != nil {
		return nil
	}
	id := s.mediaID
	if id == "" {
		id = unknownMediaID
	}
	return []action{{up, func(ctx context.Context) error { return s.uploadFile(ctx, typ) }},
		{ms.DownloadRequest(id), func(ctx context.Context) error { return s.downloadMedia(ctx, id) }}}
}

// pathOnly is a request path without its query.
func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

// lastMessageID is the last accepted message's id, else unknownID.
func (s *Scenario) lastMessageID() string {
	if m, err := s.lastMessage(); err == nil {
		return m.id
	}
	return unknownID
}

// requestsInARow makes n requests of the operation one after the other
// and keeps every answer as the burst (each is validated as it arrives,
// and kept with at most maxBurstBody of its body).
func (s *Scenario) requestsInARow(ctx context.Context, n int, method, path string) error {
	if n < 1 || n > maxBurst {
		return fmt.Errorf("the number of requests must be within 1..%d, got %d", maxBurst, n)
	}
	s.burst = make([]*response, 0, n)
	errs := make([]error, 0, n)
	for range n {
		s.last = nil
		err := s.operationRequest(ctx, method, path)
		if s.last != nil {
			s.burst = append(s.burst, s.last.kept(maxBurstBody))
		}
		errs = append(errs, err)
	}
	return firstErrors(errs, 5)
}
