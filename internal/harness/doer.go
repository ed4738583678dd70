package harness

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
)

// maxSetupBody bounds an answer to a set-up request (login, webhook
// registration).
const maxSetupBody = 1 << 20

// doer runs the harness's own requests: with valid credentials, no
// redirects, a bounded body, validated and recorded in Exchanges.
type doer struct{ h *Harness }

func (h *Harness) doer() dialect.Doer { return doer{h} }

// Do implements dialect.Doer.
func (d doer) Do(ctx context.Context, r dialect.Request) (dialect.Answer, error) {
	h := d.h
	req, err := h.NewRequest(ctx, r)
	if err != nil {
		return dialect.Answer{}, err
	}
	x := report.Exchange{Method: r.Method, URL: redact.URL(req.URL.String()), Operation: r.Operation,
		RequestHeader: redact.Header(req.Header), RequestBody: report.Truncate(r.Body)}
	start := time.Now()
	resp, err := h.Client.Do(req)
	if err != nil {
		x.Duration, x.Error = time.Since(start), redact.String(err.Error())
		h.record(x)
		return dialect.Answer{}, fmt.Errorf("%s %s: %s", r.Method, r.Path, x.Error)
	}
	defer resp.Body.Close()
	b, _ := httpc.ReadBody(resp.Body, maxSetupBody)
	x.Duration, x.Status = time.Since(start), resp.StatusCode
	x.ResponseHeader, x.ResponseBody = redact.Header(resp.Header), report.Truncate(b.Data)
	x.Findings = h.Validator.Response(r.Method, req.URL.RequestURI(), resp.StatusCode, resp.Header, b.Data)
	x.Validated = true
	h.record(x)
	return dialect.Answer{Status: resp.StatusCode, Header: resp.Header, Body: b.Data}, nil
}

func (h *Harness) record(x report.Exchange) {
	h.mu.Lock()
	h.Exchanges = append(h.Exchanges, x)
	h.mu.Unlock()
}

// NewRequest builds the HTTP request of a dialect request against the
// target, with valid credentials.
func (h *Harness) NewRequest(ctx context.Context, r dialect.Request) (*http.Request, error) {
	req, err := dialect.NewHTTPRequest(ctx, h.BaseURL, r)
	if err != nil {
		return nil, err
	}
	if err := dialect.Authorize(ctx, h.Auth, req); err != nil {
		return nil, fmt.Errorf("credentials for %s %s: %w", r.Method, r.Path, redact.Error(err))
	}
	return req, nil
}
