package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/httpc"
)

// unknownID is a well-formed message id no target has issued.
const unknownID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

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
	req.SetBasicAuth(s.env.User, s.env.Password)
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
	var doc struct {
		Active []simFault `json:"active"`
	}
	if err := s.admin(ctx, http.MethodGet, "/faults", nil, &doc); err != nil {
		return err
	}
	saved := append([]simFault{}, doc.Active...)
	s.onRestore(func(ctx context.Context) error {
		// The simulator drops what is left of a burst of 500s when the
		// fault is switched off, so putting the faults back is enough.
		return s.admin(ctx, http.MethodPut, "/faults", saved, nil)
	})
	return s.admin(ctx, http.MethodPut, "/faults/server-error-burst", map[string]float64{"ratio": 1}, nil)
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
// "METHOD PATH": for ids it uses the scenario's last message or upload,
// else a well-formed id nobody issued.
func (s *Scenario) operationRequest(ctx context.Context, method, path string) error {
	switch method + " " + path {
	case "GET /healthz":
		return s.getHealth(ctx)
	case "POST /messages":
		return s.sendText(ctx)
	case "GET /messages":
		return s.request(ctx, method, "/messages?id="+query(s.lastMessageID()), "", nil)
	case "PATCH /messages":
		body, _ := json.Marshal(map[string]string{"message_id": s.lastMessageID()})
		return s.request(ctx, method, "/messages", jsonType, body)
	case "POST /messages/broadcast":
		return s.broadcastN(ctx, 2)
	case "POST /media":
		return s.uploadFile(ctx, "image/png")
	case "GET /media":
		id := s.mediaID
		if id == "" {
			id = unknownMediaID
		}
		return s.downloadMedia(ctx, id)
	case "POST /source":
		body, _ := json.Marshal(map[string]string{
			"business_number_id": "102046588645210", "business_id": "1234567890",
			"omni_customer_id": unknownID, "waba_id": "987654321", "gw_application_id": "wabcheck_app",
		})
		return s.request(ctx, method, "/source", jsonType, body)
	}
	return fmt.Errorf("no request is known for the operation %q", method+" "+path)
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
