package steps

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/httpc"
	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Response body limits. What a step reads of a response is bounded, and
// so is what it keeps: a target answering gigabytes costs neither memory
// nor a long read, and gets an honest finding instead of a JSON error.
const (
	// MaxResponseBody is the most of a response body a step reads and
	// validates: 1 MiB. The largest answers of a WhatsApp messaging API
	// are well under it: a media download is at most the 1,000,000 bytes
	// an upload may have (the spec's RequestMediaPost maxLength), the
	// answer to a broadcast to the spec's 1000 destinations about 100 KB,
	// anything else a few hundred bytes. A longer body is not read further
	// (httpc.ReadBody drains a little, then drops the connection) and
	// fails the step with a CodeBodyTooLarge finding.
	MaxResponseBody = 1 << 20
	// maxBurstBody bounds each answer of a burst: read, for the up to
	// maxBurst GET /healthz sent at once, and kept, for the up to maxBurst
	// answers of requests in a row. A burst checks statuses, headers and
	// error bodies, none of which come near it.
	maxBurstBody = 64 << 10
)

// CodeBodyTooLarge is the finding of a response body longer than the
// limit it was read with; the body is then not validated (only its
// status and headers are).
const CodeBodyTooLarge = "body-too-large"

// credMode is which credentials a scenario sends.
type credMode int

const (
	credValid credMode = iota
	credNone
	credWrong
	credAsBuilt // the request carries its own (a login call)
	credExpired // the token kept when it expired
)

// Scenario is the state of one scenario. Create one per scenario with New
// and register its steps with RegisterSteps; never share it.
type Scenario struct {
	env  *Env
	ref  string
	cred credMode

	last *response // the last response
	// expired is the credential header kept when the login token
	// expired (never printed); loginsBefore the logins made by then.
	expired      [2]string
	loginsBefore int
	// invalidSend is the answer to the last send to an invalid recipient.
	invalidSend *response
	burst       []*response        // responses of a burst
	messages    []*sent            // messages accepted, in order
	results     []dialect.Accepted // the last broadcast's results
	dests       []string           // the last broadcast's destinations
	upload      []byte             // the last uploaded file
	mediaID     string
	reply       *callbacks.Event
	replies     []callbacks.Event
	replyID     string // id of the injected reply
	// replyStart is when the scenario started waiting for a reply.
	replyStart time.Time
	// restore undoes the scenario's changes to the simulator (Restore).
	restore []func(context.Context) error
	// kept are response values kept by name ({{NAME}} placeholders).
	kept map[string]string

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
	// cut is true when body holds only the start of the answer (it went
	// past the limit it was read or kept with).
	cut      bool
	findings []validate.Finding // fail the step
	warnings []validate.Finding // reported only
	// sentAt is when the request went out: a message it sends is sent
	// then, not when its answer was read (a fast callback may come first).
	sentAt time.Time
}

// kept returns r, or a copy holding only the first limit bytes of its
// body when the body is longer (cut is then set).
func (r *response) kept(limit int) *response {
	if len(r.body) <= limit {
		return r
	}
	c := *r
	c.body, c.cut = bytes.Clone(r.body[:limit]), true
	return &c
}

// answer is r as a dialect reads it.
func (r *response) answer() dialect.Answer {
	return dialect.Answer{Status: r.status, Header: r.header, Body: r.body}
}

// whole is nil when r holds the whole body, else an error saying it went
// past the limit (assertions on the body cannot be made).
func (r *response) whole() error {
	if r.cut {
		return fmt.Errorf("%s %s → %d: the body went past the limit and was cut; it cannot be checked", r.method, r.path, r.status)
	}
	return nil
}

// sent is a message the target accepted.
type sent struct {
	id, ref, dest string
	at            time.Time
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

// send sends one request a dialect built (or a step spelled out),
// validates the response against the spec, records the exchange and
// returns the response, reading at most limit bytes of its body. The
// operation is the one the request was built for; a spelled-out request's
// is found by routing its path. The error is a transport error, a spec
// departure (every finding, one per line) or a blown latency budget; the
// response is returned in every case it exists.
func (s *Scenario) send(ctx context.Context, limit int64, dr dialect.Request) (*response, error) {
	method, path, body := dr.Method, dr.Path, dr.Body
	req, err := s.newRequest(ctx, dr)
	if err != nil {
		return nil, err
	}
	start := s.env.now()
	resp, err := s.env.httpClient().Do(req)
	x := report.Exchange{Method: method, URL: redact.URL(req.URL.String()), RequestHeader: redact.Header(req.Header), RequestBody: redact.JSONSecrets(report.Truncate(body))}
	x.Operation = dr.Operation
	if x.Operation == "" {
		x.Operation, _ = s.env.Validator.OperationID(method, req.URL.Path)
	}
	if err != nil {
		x.Duration, x.Error = s.env.now().Sub(start), redact.String(err.Error())
		s.record(x)
		return nil, fmt.Errorf("%s %s: %s", method, path, x.Error)
	}
	defer resp.Body.Close()
	b, err := httpc.ReadBody(resp.Body, limit)
	x.Duration = s.env.now().Sub(start)
	r := &response{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: b.Data, sentAt: start}
	x.Status, x.ResponseHeader, x.ResponseBody = resp.StatusCode, redact.Header(resp.Header), redact.JSONSecrets(reportBody(b, limit))
	if err != nil {
		x.Error = redact.String(err.Error())
		s.record(x)
		return r, fmt.Errorf("%s %s: reading the response: %s", method, path, x.Error)
	}
	fs := s.validate(req, resp, b, limit, x.Operation)
	r.findings, r.warnings = s.env.split(fs)
	if b.Truncated {
		r.body, r.cut = bytes.Clone(head(b.Data)), true // keep no more than a report does
	}
	x.Findings, x.Warnings, x.Validated = r.findings, r.warnings, true
	s.record(x)
	return r, s.judge(r, x.Duration)
}

// newRequest builds a request to the API with the scenario's credentials.
func (s *Scenario) newRequest(ctx context.Context, dr dialect.Request) (*http.Request, error) {
	req, err := dialect.NewHTTPRequest(ctx, s.env.BaseURL, dr)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, req); err != nil {
		return nil, err
	}
	return req, nil
}

// validate checks a response. A body cut at the limit is not validated
// (it would read as broken JSON): its findings are replaced by one
// CodeBodyTooLarge.
func (s *Scenario) validate(req *http.Request, resp *http.Response, b httpc.Body, limit int64, op string) []validate.Finding {
	fs := s.env.Validator.Response(req.Method, req.URL.RequestURI(), resp.StatusCode, resp.Header, b.Data)
	if !b.Truncated {
		return fs
	}
	msg := fmt.Sprintf("response over the limit, truncated at %d bytes", limit)
	if resp.ContentLength > 0 {
		msg += fmt.Sprintf(" (Content-Length %d)", resp.ContentLength)
	}
	out := []validate.Finding{{Code: CodeBodyTooLarge, Operation: op, Method: req.Method, Path: req.URL.Path,
		Status: resp.StatusCode, Where: "body", Message: msg + "; the body was not validated"}}
	for _, f := range fs {
		if f.Code != validate.CodeBodyNotJSON && f.Code != validate.CodeBodySchema {
			out = append(out, f)
		}
	}
	return out
}

// head is the start of b a report keeps (report.MaxBody bytes).
func head(b []byte) []byte { return b[:min(len(b), report.MaxBody)] }

// reportBody is what the report keeps of a body read up to limit.
func reportBody(b httpc.Body, limit int64) string {
	if !b.Truncated {
		return report.Truncate(b.Data)
	}
	return string(head(b.Data)) + fmt.Sprintf("\n… (over the %d-byte limit; not read further)", limit)
}

// authorize puts the scenario's credentials on req: valid, wrong (well
// formed, refused) or none.
func (s *Scenario) authorize(ctx context.Context, req *http.Request) error {
	switch s.cred {
	case credValid:
		if err := dialect.Authorize(ctx, s.env.Auth, req); err != nil {
			return fmt.Errorf("credentials: %w", redact.Error(err))
		}
	case credWrong:
		name, value := s.env.Auth.Wrong()
		req.Header.Set(name, value)
	case credExpired:
		req.Header.Set(s.expired[0], s.expired[1])
	}
	return nil
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

// request is send for steps: it keeps the response as the last one.
func (s *Scenario) request(ctx context.Context, r dialect.Request) error {
	resp, err := s.send(ctx, MaxResponseBody, r)
	if resp != nil {
		s.last = resp
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

// expectMessage registers an accepted message with the receiver, with
// its recipient (a status naming another is a recipient-mismatch finding).
func (s *Scenario) expectMessage(id, ref, dest string) {
	at := s.env.now()
	if s.last != nil && !s.last.sentAt.IsZero() {
		at = s.last.sentAt
	}
	m := &sent{id: id, ref: ref, dest: dest, at: at}
	s.messages = append(s.messages, m)
	s.env.markIssued(id)
	s.env.Receiver.ExpectTo(id, ref, dest, m.at)
}

// lastMessage returns the last accepted message.
func (s *Scenario) lastMessage() (*sent, error) {
	if len(s.messages) == 0 {
		return nil, fmt.Errorf("no message was accepted in this scenario (no 2XX answer with a message id)")
	}
	return s.messages[len(s.messages)-1], nil
}
