package steps

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// maxResponse bounds a response body read by a step.
const maxResponse = 8 << 20

// credMode is which credentials a scenario sends.
type credMode int

const (
	credValid credMode = iota
	credNone
	credWrong
)

// Scenario is the state of one scenario. Create one per scenario with New
// and register its steps with RegisterSteps; never share it.
type Scenario struct {
	env  *Env
	ref  string
	cred credMode

	last     *response   // the last response
	burst    []*response // responses of a burst
	messages []*sent     // messages accepted, in order
	results  []result    // the last broadcast's results
	dests    []string    // the last broadcast's destinations
	upload   []byte      // the last uploaded file
	mediaID  string
	reply    *callbacks.Event
	replies  []callbacks.Event
	replyID  string // id of the injected reply
	// replyStart is when the scenario started waiting for a reply.
	replyStart time.Time
	// restore undoes the scenario's changes to the simulator (Restore).
	restore []func(context.Context) error

	mu        sync.Mutex // guards exchanges and step (bursts record concurrently)
	step      int
	exchanges []report.Exchange
}

// response is one HTTP answer a step got.
type response struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
	findings     []validate.Finding // fail the step
	warnings     []validate.Finding // reported only
}

// sent is a message the target accepted.
type sent struct {
	id, ref, dest string
	at            time.Time
}

// result is one item of a broadcast answer.
type result struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Destination string `json:"destination"`
}

// New returns the state of a new scenario.
func New(env *Env) *Scenario {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return &Scenario{env: env, ref: "wabcheck-" + hex.EncodeToString(b[:])}
}

// Reference is the reference unique to this scenario ({{ref}}).
func (s *Scenario) Reference() string { return s.ref }

// SetStep tells the scenario which step (index into the pickle's steps) is
// running, so exchanges are attributed to it.
func (s *Scenario) SetStep(i int) {
	s.mu.Lock()
	s.step = i
	s.mu.Unlock()
}

// Exchanges returns the HTTP exchanges made so far (redacted).
func (s *Scenario) Exchanges() []report.Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]report.Exchange(nil), s.exchanges...)
}

// do sends one request, validates the response against the spec, records
// the exchange and returns the response. The error is a transport error,
// a spec departure (every finding, one per line) or a blown latency budget;
// the response is returned in every case it exists.
func (s *Scenario) do(ctx context.Context, method, path, ctype string, body []byte) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.env.apiURL(path), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", method, path, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json, */*")
	s.authorize(req)
	start := s.env.now()
	resp, err := s.env.httpClient().Do(req)
	x := report.Exchange{Method: method, URL: redact.URL(req.URL.String()), RequestHeader: redact.Header(req.Header), RequestBody: report.Truncate(body)}
	x.Operation, _ = s.env.Validator.OperationID(method, req.URL.Path)
	if err != nil {
		x.Duration, x.Error = s.env.now().Sub(start), redact.String(err.Error())
		s.record(x)
		return nil, fmt.Errorf("%s %s: %s", method, path, x.Error)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	x.Duration = s.env.now().Sub(start)
	r := &response{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: data}
	x.Status, x.ResponseHeader, x.ResponseBody = resp.StatusCode, redact.Header(resp.Header), report.Truncate(data)
	if err != nil {
		x.Error = redact.String(err.Error())
		s.record(x)
		return r, fmt.Errorf("%s %s: reading the response: %s", method, path, x.Error)
	}
	r.findings, r.warnings = s.env.split(s.env.Validator.Response(method, req.URL.RequestURI(), resp.StatusCode, resp.Header, data))
	x.Findings, x.Warnings, x.Validated = r.findings, r.warnings, true
	s.record(x)
	return r, s.judge(r, x.Duration)
}

func (s *Scenario) authorize(req *http.Request) {
	switch s.cred {
	case credValid:
		req.SetBasicAuth(s.env.User, s.env.Password)
	case credWrong:
		req.SetBasicAuth(s.env.User+"-wrong", "not-the-password")
	}
}

func (s *Scenario) record(x report.Exchange) {
	s.mu.Lock()
	x.Step = s.step
	s.exchanges = append(s.exchanges, x)
	s.mu.Unlock()
}

// judge turns findings and a slow answer into the step's error.
func (s *Scenario) judge(r *response, took time.Duration) error {
	var problems []string
	for _, f := range r.findings {
		problems = append(problems, f.String())
	}
	if max := s.env.MaxLatency; max > 0 && took > max {
		problems = append(problems, fmt.Sprintf("latency %s %s: expected an answer within %v, got one after %v", r.method, r.path, max, took.Round(time.Millisecond)))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s %s → %d departs from the spec:\n  %s", r.method, r.path, r.status, strings.Join(problems, "\n  "))
}

// request is do for steps: it keeps the response as the last one.
func (s *Scenario) request(ctx context.Context, method, path, ctype string, body []byte) error {
	r, err := s.do(ctx, method, path, ctype, body)
	if r != nil {
		s.last = r
	}
	return err
}

// lastResponse returns the last response or an error saying none came.
func (s *Scenario) lastResponse() (*response, error) {
	if s.last == nil {
		return nil, fmt.Errorf("no response yet: a request step must come first")
	}
	return s.last, nil
}

// expectMessage registers an accepted message with the receiver.
func (s *Scenario) expectMessage(id, ref, dest string) {
	m := &sent{id: id, ref: ref, dest: dest, at: s.env.now()}
	s.messages = append(s.messages, m)
	s.env.markIssued(id)
	s.env.Receiver.Expect(id, ref, m.at)
}

// lastMessage returns the last accepted message.
func (s *Scenario) lastMessage() (*sent, error) {
	if len(s.messages) == 0 {
		return nil, fmt.Errorf("no message was accepted in this scenario (no 2XX with a message_id)")
	}
	return s.messages[len(s.messages)-1], nil
}

// query escapes a query value.
func query(v string) string { return url.QueryEscape(v) }
