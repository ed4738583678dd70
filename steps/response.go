package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

func (s *Scenario) statusIs(want int) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if r.status != want {
		return expected(fmt.Sprintf("%s %s status", r.method, r.path), want, fmt.Sprintf("%d %s", r.status, show(string(r.body))))
	}
	return nil
}

// statusClientError checks the last answer is a 4XX (not 429). When it
// accepted a send to an invalid recipient and the dialect refuses such
// sends late, it checks the failure status instead and skips (see
// skipRefusedLate).
func (s *Scenario) statusClientError(ctx context.Context) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if lr, ok := s.lateRefusal(r); ok {
		return s.skipRefusedLate(ctx, lr)
	}
	if r.status < 400 || r.status > 499 || r.status == 429 {
		return expected(fmt.Sprintf("%s %s status", r.method, r.path), "a 4XX client error (not 429)", fmt.Sprintf("%d %s", r.status, show(string(r.body))))
	}
	return nil
}

// isErrorBody checks the answer is a JSON object (its schema, the spec's
// APIErrorResponse, was checked when it arrived).
func (s *Scenario) isErrorBody() error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	return errorBody(r)
}

func errorBody(r *response) error {
	what := fmt.Sprintf("%s %s → %d error body", r.method, r.path, r.status)
	mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	if mt != jsonType {
		return expected(what+" Content-Type", jsonType, show(r.header.Get("Content-Type")))
	}
	if r.cut {
		return expected(what, "a JSON object", fmt.Sprintf("a body too long to keep (it starts %s)", show(string(head(r.body)))))
	}
	var obj map[string]any
	if err := json.Unmarshal(r.body, &obj); err != nil {
		return expected(what, "a JSON object", show(string(r.body)))
	}
	return nil
}

func (s *Scenario) fieldUUID(path string) error {
	return s.fieldMatches(path, "a UUID (lower-case 8-4-4-4-12 hex)", func(v string) bool { return uuidRe.MatchString(v) })
}

// fieldMediaID checks a response field is a media id: a string the spec's
// download operation takes as one (the schema of its id parameter), as
// the dialect's MediaStore builds the download.
func (s *Scenario) fieldMediaID(path string) error {
	ms, err := capability[dialect.MediaStore](s, dialect.CapMedia)
	if err != nil {
		return err
	}
	var why string
	err = s.fieldMatches(path, "a media id the spec's download operation takes", func(v string) bool {
		why = s.downloadRefuses(ms, v)
		return why == ""
	})
	if err != nil && why != "" {
		return fmt.Errorf("%w (%s)", err, why)
	}
	if err == nil {
		s.mediaID, _ = stringField(s.last.body, path)
	}
	return err
}

// downloadRefuses says why the spec's download operation does not take id
// (a finding on its request), or "" when it does.
func (s *Scenario) downloadRefuses(ms dialect.MediaStore, id string) string {
	if id == "" {
		return "an empty id"
	}
	r := ms.DownloadRequest(id)
	u, err := url.Parse(r.Path)
	if err != nil {
		return err.Error()
	}
	for _, f := range s.env.Validator.Request(&http.Request{Method: r.Method, URL: u, Header: http.Header{}}, nil) {
		switch f.Code {
		case validate.CodeParamInvalid, validate.CodePathUnknown, validate.CodeMethodNotAllowed:
			return f.String()
		}
	}
	return ""
}

func (s *Scenario) fieldDLRStatus(path string) error {
	return s.fieldMatches(path, "a status of the vendor", s.env.Dialect.Statuses().Known)
}

func (s *Scenario) fieldMatches(path, want string, ok func(string) bool) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if err := r.whole(); err != nil {
		return err
	}
	v, err := stringField(r.body, path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	if !ok(v) {
		return expected(fmt.Sprintf("%s %s response field %q", r.method, r.path, path), want, show(v))
	}
	return nil
}

func (s *Scenario) fieldEquals(path, want string) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if want, err = s.expand(want); err != nil {
		return err
	}
	if err := r.whole(); err != nil {
		return err
	}
	return fieldIs(r, r.method+" "+r.path, path, want)
}

// fieldIs checks a field of r's JSON body reads as want; what names r in
// the message ("GET /x", "POST /x → 429").
func fieldIs(r *response, what, path, want string) error {
	v, ok, err := jsonField(r.body, path)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if !ok || fmt.Sprint(v) != want {
		if !ok {
			v = nil
		}
		return expected(fmt.Sprintf("%s response field %q", what, path), strconv.Quote(want), show(v))
	}
	return nil
}

func (s *Scenario) headerIntBetween(name string, lo, hi int) error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	return headerInt(r, name, lo, hi)
}

func headerInt(r *response, name string, lo, hi int) error {
	what := fmt.Sprintf("%s %s → %d header %s", r.method, r.path, r.status, name)
	raw := r.header.Get(name)
	if raw == "" {
		return expected(what, fmt.Sprintf("an integer in [%d, %d]", lo, hi), "no such header")
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return expected(what, fmt.Sprintf("an integer in [%d, %d]", lo, hi), show(raw))
	}
	return nil
}

// statusSuccess checks the last response is a 2XX.
func (s *Scenario) statusSuccess() error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if r.status/100 != 2 {
		return expected(fmt.Sprintf("%s %s status", r.method, r.path), "a 2XX success", fmt.Sprintf("%d %s", r.status, show(string(r.body))))
	}
	return nil
}

// retrievedMatches checks the retrieve answer describes the message the
// scenario sent: its id, recipient, reference (when the vendor echoes
// one) and text, and a status of the vendor.
func (s *Scenario) retrievedMatches() error {
	r, m, got, err := s.retrieved()
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%s %s message", r.method, r.path)
	checks := []struct{ field, want, got string }{{"id", m.id, got.ID}, {"recipient", trimPlus(m.dest), trimPlus(got.To)},
		{"text", "wabcheck conformance message " + m.ref, got.Text}}
	if s.env.Dialect.Callbacks().ReferenceEcho() != dialect.EchoNone {
		checks = append(checks, struct{ field, want, got string }{"reference", m.ref, got.Reference})
	}
	for _, c := range checks {
		if c.got != c.want {
			return expected(what+" "+c.field, strconv.Quote(c.want), show(c.got))
		}
	}
	return nil
}

// retrieved reads the last answer as the retrieve of the scenario's last
// message: the answer, the message and what the answer says of it, whose
// status must be one of the vendor's.
func (s *Scenario) retrieved() (*response, *sent, dialect.Retrieved, error) {
	r, err := s.lastResponse()
	if err != nil {
		return nil, nil, dialect.Retrieved{}, err
	}
	m, err := s.lastMessage()
	if err != nil {
		return nil, nil, dialect.Retrieved{}, err
	}
	rt, err := capability[dialect.Retriever](s, dialect.CapRetrieve)
	if err != nil {
		return nil, nil, dialect.Retrieved{}, err
	}
	got, err := rt.ReadRetrieve(r.answer())
	if err != nil {
		return nil, nil, got, expected(fmt.Sprintf("%s %s answer", r.method, r.path), "the message's details", err.Error())
	}
	if !s.env.Dialect.Statuses().Known(got.Status) {
		return nil, nil, got, expected(fmt.Sprintf("%s %s message status", r.method, r.path), "a status of the vendor", show(got.Status))
	}
	return r, m, got, nil
}

func trimPlus(n string) string { return strings.TrimPrefix(n, "+") }

// oneResultPerDestinationID checks a broadcast answer has one result per
// destination, each with an id of its own.
func (s *Scenario) oneResultPerDestinationID() error {
	return s.resultsPerDestination(func(string) bool { return true })
}

func (s *Scenario) oneResultPerDestination() error {
	return s.resultsPerDestination(uuidRe.MatchString)
}

// resultsPerDestination checks one result per destination, each with an
// id of its own that idOK accepts.
func (s *Scenario) resultsPerDestination(idOK func(string) bool) error {
	if _, err := s.lastResponse(); err != nil {
		return err
	}
	if len(s.results) != len(s.dests) {
		return expected("broadcast results", fmt.Sprintf("one per destination (%d)", len(s.dests)), fmt.Sprintf("%d results", len(s.results)))
	}
	seen := map[string]int{}
	for i, r := range s.results {
		if r.ID == "" || !idOK(r.ID) {
			return expected(fmt.Sprintf("broadcast result %d (%s) id", i, s.dests[i]), "an id (a UUID for this step)", show(r.ID))
		}
		if j, dup := seen[r.ID]; dup {
			return expected(fmt.Sprintf("broadcast result %d id", i), "an id of its own", fmt.Sprintf("the id of result %d (%s)", j, r.ID))
		}
		seen[r.ID] = i
		if r.To != "" && r.To != s.dests[i] {
			return expected(fmt.Sprintf("broadcast result %d destination", i), s.dests[i], show(r.To))
		}
	}
	return nil
}

func (s *Scenario) everyResultStatus(want string) error {
	for i, r := range s.results {
		if r.Status != want {
			return expected(fmt.Sprintf("broadcast result %d (%s) status", i, s.destOf(i, r)), strconv.Quote(want), show(r.Status))
		}
	}
	return nil
}

func (s *Scenario) resultFor(dest, want string) error {
	for i, r := range s.results {
		if s.destOf(i, r) == dest {
			if r.Status != want {
				return expected(fmt.Sprintf("broadcast result for %s status", dest), strconv.Quote(want), show(r.Status))
			}
			return nil
		}
	}
	return expected("broadcast results", "a result for "+dest, "none")
}
