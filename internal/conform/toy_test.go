package conform_test

// A fourth vendor, defined in this file only: the proof that a vendor is
// "one folder plus its features". Its dialect and its simulator wire use
// nothing but the seam's exported API (package dialect, sim's Wire and
// core methods); its spec and its own feature are in testdata/toy/; the
// neutral features are the real ones (features.FS). docs/vendors.md
// ("Adding a vendor: the checklist") lists what a real vendor adds.

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/wabcheck/wabcheck/features"
	"github.com/wabcheck/wabcheck/internal/conform"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/spec"
)

// The toy's name, its credential header and its one callback kind.
const (
	toyName      = "toy"
	toyKeyHeader = "X-Toy-Key"
	toyKind      = "status"
	toyJSON      = "application/json"
)

// Registration, as a vendor package's init does (step 4 of the checklist
// is importing it from internal/dialect/all).
func init() {
	dialect.Register(toyDialect{})
	sim.RegisterWire(toyName, func() sim.Wire { return &toyWire{} })
}

// toyDialect is the toy's dialect: an API key, a send operation and
// nothing optional (no broadcast, retrieve, read marks, media store,
// health, webhook registration or signatures).
type toyDialect struct{}

// toyStatuses: two statuses, in a promised order.
var toyStatuses = dialect.NewStatusModel(dialect.StatusModel{
	Statuses: []dialect.Status{{Name: "sent", Rank: 0}, {Name: "delivered", Rank: 1, Final: true}},
	Ordered:  true,
})

func (toyDialect) Info() dialect.Info {
	return dialect.Info{Name: toyName, Title: "Toy Messaging API 0.1.0",
		Credentials:  []dialect.CredentialField{dialect.FieldAPIKey},
		SimRecipient: "+15550001111", SimSender: "+15550000000"}
}

func (toyDialect) Spec() spec.Source {
	return spec.Source{Name: "toy.yaml", Title: "Toy Messaging API", Version: "0.1.0"}
}

func (toyDialect) NewAuth(c dialect.Credentials, _ dialect.AuthEnv) (dialect.Auth, error) {
	return dialect.NewHeaderKeyAuth(toyKeyHeader, c.APIKey), nil
}

func (toyDialect) Statuses() *dialect.StatusModel    { return toyStatuses }
func (toyDialect) Callbacks() dialect.CallbackModel  { return toyCallbacks{} }
func (toyDialect) RateLimit() dialect.RateLimitModel { return dialect.RateLimitModel{} }

// toySend is the body of POST /send (the spec's SendRequest).
type toySend struct {
	To       string    `json:"to"`
	Ref      string    `json:"ref,omitempty"`
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	Template string    `json:"template,omitempty"`
	Media    *toyMedia `json:"media,omitempty"`
}

type toyMedia struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// SendRequest builds POST /send.
func (toyDialect) SendRequest(dst *dialect.Request, m *dialect.Message) error {
	if m.Via != "" {
		return fmt.Errorf("toy: unknown send route %q", m.Via)
	}
	body := toySend{To: m.To, Ref: m.Reference, Type: dialect.KindText, Text: m.Text}
	switch {
	case m.Kind == dialect.KindTemplate && m.Template != nil:
		body.Type, body.Text, body.Template = m.Kind, "", m.Template.Name
	case m.Kind == dialect.KindMedia && m.Media != nil:
		body.Type, body.Text, body.Media = m.Kind, "", &toyMedia{Kind: m.Media.Type, URL: m.Media.URL}
	case m.Kind != dialect.KindText && m.Kind != "":
		return fmt.Errorf("toy: cannot send a %q message without its content", m.Kind)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("toy: %w", err)
	}
	*dst = dialect.Request{Operation: "send", Method: http.MethodPost, Path: "/send", ContentType: toyJSON,
		Body: append(dst.Body[:0], b...)}
	return nil
}

// ReadSend reads {"id": …} from a 2XX answer.
func (toyDialect) ReadSend(a dialect.Answer) (dialect.Accepted, error) {
	if a.Status/100 != 2 {
		return dialect.Accepted{}, fmt.Errorf("the send was not accepted (%d)", a.Status)
	}
	var ans struct{ ID string }
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return dialect.Accepted{}, fmt.Errorf("the send answer is not a JSON object: %w", err)
	}
	if ans.ID == "" {
		return dialect.Accepted{}, errors.New("the send answer has no id")
	}
	return dialect.Accepted{ID: ans.ID}, nil
}

// toyCallbacks: one kind of POST, one status event each.
type toyCallbacks struct{}

// toyEvent is a status callback's body (the spec's StatusEvent).
type toyEvent struct {
	ID     string `json:"id"`
	Ref    string `json:"ref,omitempty"`
	Status string `json:"status"`
}

func (toyCallbacks) Kinds() []dialect.CallbackKind {
	return []dialect.CallbackKind{{Name: toyKind, SpecCallback: "status", Carries: []string{dialect.EventStatus}}}
}

func (toyCallbacks) Classify(string, http.Header, []byte) string { return toyKind }

func (toyCallbacks) Events(_ string, body []byte, _ any) ([]dialect.Event, error) {
	var e toyEvent
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("the callback body is not a toy status event: %w", err)
	}
	return []dialect.Event{{Type: dialect.EventStatus, MessageID: e.ID, Reference: e.Ref, Status: e.Status}}, nil
}

func (toyCallbacks) ReferenceEcho() int      { return dialect.EchoIfSent }
func (toyCallbacks) Ack() (int, http.Header) { return http.StatusOK, nil }

// toyWire is the toy's simulator wire.
type toyWire struct{ s *sim.Server }

func (*toyWire) Dialect() dialect.Dialect { return toyDialect{} }

func (w *toyWire) Init(s *sim.Server) error {
	if s.Config().APIKey == "" {
		return errors.New("sim config: APIKey must not be empty (the toy uses an API key)")
	}
	w.s = s
	return nil
}

func (*toyWire) Faults() []sim.Fault  { return nil }
func (*toyWire) CoreFaults() []string { return nil }

// Walks: every message is sent, then delivered; nothing is ever read.
func (*toyWire) Walks() sim.Walks {
	path := &sim.Walk{Name: "delivered", Steps: []sim.Step{{Status: "sent", Phase: sim.PhaseSend}, {Status: "delivered", Phase: sim.PhaseDeliver}}}
	return sim.Walks{Delivered: path, Read: path, DeliveredStatus: "delivered", Hold: "sent"}
}

func (*toyWire) FormatID(id sim.ID) string       { return id.String() }
func (*toyWire) ParseID(s string) (sim.ID, bool) { return sim.ParseUUID(s) }
func (w *toyWire) Authenticate(r *http.Request) (string, bool) {
	got, want := r.Header.Get(toyKeyHeader), w.s.Config().APIKey
	return "", subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// ServeAPI: rate limit, route, request faults, send.
func (w *toyWire) ServeAPI(rw http.ResponseWriter, r *http.Request, rel, key string) {
	if ok, _ := w.s.Admit(key); !ok {
		w.WriteError(rw, sim.Error{Status: http.StatusTooManyRequests, Field: "rate", Code: sim.CodeRateLimited, Message: "too many requests"})
		return
	}
	switch {
	case rel != "/send":
		w.WriteError(rw, sim.Error{Status: http.StatusNotFound, Field: "path", Code: sim.CodeNotFound, Message: "no such path: " + rel})
	case r.Method != http.MethodPost:
		rw.Header().Set("Allow", http.MethodPost)
		w.WriteError(rw, sim.Error{Status: http.StatusMethodNotAllowed, Field: "method", Code: sim.CodeMethodNotAllowed, Message: "POST only"})
	case !w.s.RequestFaults(rw, r):
		w.send(rw, r)
	}
}

// send validates, stores and schedules a message and answers 202.
func (w *toyWire) send(rw http.ResponseWriter, r *http.Request) {
	bp, err := w.s.ReadBody(r)
	if err != nil {
		w.WriteError(rw, sim.Error{Status: http.StatusBadRequest, Field: "body", Code: sim.CodeInvalid, Message: err.Error()})
		return
	}
	defer sim.PutBuf(bp)
	if fs := w.s.Validator().Request(r, *bp); len(fs) > 0 {
		w.WriteError(rw, sim.Error{Status: http.StatusBadRequest, Field: fs[0].Where, Code: sim.CodeInvalid, Message: fs[0].Message})
		return
	}
	var req toySend
	if err := json.Unmarshal(*bp, &req); err != nil {
		w.WriteError(rw, sim.Error{Status: http.StatusBadRequest, Field: "body", Code: sim.CodeInvalid, Message: err.Error()})
		return
	}
	if !w.s.Reserve(1) {
		w.s.StoreFull()
		w.WriteError(rw, sim.Error{Status: http.StatusTooManyRequests, Field: "store", Code: sim.CodeRateLimited, Message: "the store is full"})
		return
	}
	now := w.s.Now()
	m := &sim.Message{To: req.To, Reference: req.Ref, Type: req.Type, Body: req.Text, Created: now.Unix()}
	w.s.Accept(m, now)
	toyWrite(rw, http.StatusAccepted, map[string]string{"id": m.ID.String()})
}

// WriteError answers {"error": {"code", "message"}}.
func (*toyWire) WriteError(rw http.ResponseWriter, e sim.Error) {
	toyWrite(rw, e.Status, map[string]any{"error": map[string]string{"code": e.Code, "message": e.Message}})
}

func toyWrite(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", toyJSON)
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(v)
}

// StatusCallbacks posts a StatusEvent to the account's status URL.
func (w *toyWire) StatusCallbacks(m *sim.Message, st string) []dispatch.Delivery {
	url := w.s.CallbackURL(toyKind)
	if url == "" {
		return nil
	}
	body, _ := json.Marshal(toyEvent{ID: m.ID.String(), Ref: m.Reference, Status: st})
	return []dispatch.Delivery{{Key: m.ID.String(), URL: url, Body: body, Kind: toyKind}}
}

// Inbound: the toy has no inbound messages.
func (*toyWire) Inbound(context.Context, sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	return nil, nil, errors.New("the toy has no inbound messages")
}

// toyFeatures is the suite the toy runs: the neutral features at the root
// of features.FS and the toy's own folder from testdata.
func toyFeatures(t *testing.T) fs.FS {
	t.Helper()
	fsys := fstest.MapFS{}
	root, err := fs.Glob(features.FS, "*.feature")
	if err != nil || len(root) == 0 {
		t.Fatalf("no neutral features in features.FS (%v)", err)
	}
	for _, name := range root {
		data, err := fs.ReadFile(features.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	own, err := fs.Glob(os.DirFS("testdata/toy/features"), path.Join(toyName, "*.feature"))
	if err != nil || len(own) == 0 {
		t.Fatalf("no toy features in testdata/toy/features/%s (%v)", toyName, err)
	}
	for _, name := range own {
		data, err := os.ReadFile(path.Join("testdata/toy/features", name))
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// toyRun runs the toy's suite against its in-process simulator.
func toyRun(t *testing.T) *report.Run {
	t.Helper()
	doc, err := spec.Load(spec.Options{File: "testdata/toy/toy.yaml", Errata: spec.ErrataNone})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dialect.Get(toyName)
	if err != nil {
		t.Fatal(err)
	}
	o := conform.DefaultOptions()
	o.Dialect, o.Doc, o.Format, o.FS = d, doc, "", toyFeatures(t)
	o.MaxLatency, o.DLRTimeout = -1, 20*time.Second // no wall-clock judgement on a loaded CI machine
	run, err := conform.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// TestToyDialect: a vendor defined only in this file (and its testdata)
// runs the suite against its simulator. The neutral scenarios it can run
// pass, its own feature runs, and those needing what it lacks are skipped
// with the reason (dialect.Lacks, or the missing rate-limit promise).
func TestToyDialect(t *testing.T) {
	d := toyDialect{}
	if got := dialect.Capabilities(d); strings.Join(got, ",") != dialect.CapSend {
		t.Fatalf("the toy's capabilities are %q; want only send", got)
	}
	run := toyRun(t)
	if !run.Passed() || run.Vendor != toyName {
		t.Errorf("vendor %q, passed %v; failures:\n%s", run.Vendor, run.Passed(), toyFailures(run))
	}
	byName := map[string]*report.Scenario{}
	lawful := toySkipReasons(d)
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			byName[s.Name] = s
			t.Logf("%s / %s: %s %s", f.Name, s.Name, s.Status, s.Reason)
			if s.Status == report.Skipped && !lawful[s.Reason] && !strings.HasPrefix(s.Reason, "excluded by tags") {
				t.Errorf("%s / %s: skipped with %q, not a reason the toy's dialect gives", f.Name, s.Name, s.Reason)
			}
		}
	}
	for name, want := range toyExpected(d) {
		s := byName[name]
		switch {
		case s == nil:
			t.Errorf("scenario %q did not run", name)
		case s.Status != want.status || s.Reason != want.reason:
			t.Errorf("%q: %s %q, want %s %q", name, s.Status, s.Reason, want.status, want.reason)
		}
	}
}

// toySkipReasons are the reasons a toy scenario may be skipped for: each
// capability it lacks, and the rate-limit promises it does not make.
func toySkipReasons(d dialect.Dialect) map[string]bool {
	out := map[string]bool{
		"skipped: " + toyName + " advertises no rate limit": true,
		"skipped: " + toyName + " promises no Retry-After":  true,
	}
	for _, c := range []string{dialect.CapBroadcast, dialect.CapRetrieve, dialect.CapMarkRead, dialect.CapMedia,
		dialect.CapHealth, dialect.CapWebhooks, dialect.CapSigned, dialect.CapInbound} {
		out["skipped: "+dialect.Lacks(d, c)] = true
	}
	return out
}

type toyOutcome struct {
	status report.Status
	reason string
}

// toyExpected pins the outcome of scenarios that must exist: the neutral
// ones the toy runs, those it skips, and its own.
func toyExpected(d dialect.Dialect) map[string]toyOutcome {
	pass := toyOutcome{status: report.Passed}
	skip := func(reason string) toyOutcome {
		return toyOutcome{status: report.Skipped, reason: "skipped: " + reason}
	}
	return map[string]toyOutcome{
		"A text message is accepted":                                                 pass,
		"A template message is accepted":                                             pass,
		"A media message of type image is accepted":                                  pass,
		"A media message of type document is accepted":                               pass,
		"A message to a number that is not E.164 is refused":                         pass,
		"A request without credentials is refused":                                   pass,
		"A request with wrong credentials is refused":                                pass,
		"Delivery receipts for an accepted message are valid, complete and in order": pass,
		"A spelled-out send is answered with the message's UUID":                     pass,
		"A send with a field the toy does not know is refused":                       pass,
		"A sent message reads back with what was sent":                               skip(dialect.Lacks(d, dialect.CapRetrieve)),
		"The API reports itself healthy":                                             skip(dialect.Lacks(d, dialect.CapHealth)),
		"The response advertises the rate limit":                                     skip(toyName + " advertises no rate limit"),
	}
}

// toyFailures lists the failed steps of a run, one a line.
func toyFailures(run *report.Run) string {
	var b strings.Builder
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				if st.Status == report.Failed {
					fmt.Fprintf(&b, "  %s / %s: %s: %s\n", f.Name, s.Name, st.Text, st.Error)
				}
			}
		}
	}
	return b.String()
}
