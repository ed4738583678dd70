package ycloudsim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

var (
	docOnce sync.Once
	testDoc *spec.Doc
	testV   *validate.Validator
)

// doc returns the embedded spec (errata applied) and a validator for it
// that knows the dialect's callback kinds.
func doc(t testing.TB) (*spec.Doc, *validate.Validator) {
	t.Helper()
	docOnce.Do(func() {
		testDoc = ycloud.MustDoc()
		v, err := validate.New(testDoc, validate.Callbacks(ycloud.New().Callbacks().Kinds()))
		if err != nil {
			panic(err)
		}
		testV = v
	})
	return testDoc, testV
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testConfig is fast and deterministic: zero lifecycle delays, no lawful
// disorder, account rate limiting off, a fixed seed, retries at once.
func testConfig() sim.Config {
	c := sim.DefaultConfig()
	c.APIKey = sim.DefaultAPIKey
	c.Lifecycle = sim.Lifecycle{}
	c.RateLimit = 0
	c.Seed = 42
	c.Disorder = &sim.Disorder{}
	c.CallbackTimeout = 2 * time.Second
	c.TimeScale = 1e-6 // YCloud's retry schedule in microseconds
	return c
}

// newServer builds a YCloud simulator closed at the end of the test.
func newServer(t testing.TB, cfg sim.Config) (*sim.Server, *api) {
	t.Helper()
	d, v := doc(t)
	w := New().(*api)
	s, err := sim.New(d, v, w, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = s.Close(ctx)
	})
	return s, w
}

// base is the API base path.
const base = "/v2"

// call sends a request through the handler with the simulator's API key.
func call(t testing.TB, s *sim.Server, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-API-Key", sim.DefaultAPIKey)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// checkResponse asserts that rec is valid against the spec with errata.
func checkResponse(t testing.TB, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, v := doc(t)
	if _, ok := v.OperationID(method, path); !ok {
		t.Fatalf("%s %s is not a spec operation", method, path)
	}
	for _, f := range v.Response(method, path, rec.Code, rec.Header(), rec.Body.Bytes()) {
		t.Errorf("%s %s → %d: %s\nbody: %s", method, path, rec.Code, f, rec.Body.String())
	}
}

// responseFindings returns the findings of a response.
func responseFindings(t testing.TB, method, path string, rec *httptest.ResponseRecorder) []validate.Finding {
	_, v := doc(t)
	return v.Response(method, path, rec.Code, rec.Header(), rec.Body.Bytes())
}

// textBody is a send of a text message to to.
func textBody(to, ref string) string {
	b := `{"from":"` + ycloud.SimSender + `","to":"` + to + `","type":"text","text":{"body":"hi"}`
	if ref != "" {
		b += `,"externalId":"` + ref + `"`
	}
	return b + "}"
}

// send enqueues a text message and returns its id.
func send(t testing.TB, s *sim.Server, to, ref string) string {
	t.Helper()
	rec := call(t, s, "POST", base+"/whatsapp/messages", textBody(to, ref))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /whatsapp/messages %s: %d %s", to, rec.Code, rec.Body.String())
	}
	var out struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.ID == "" {
		t.Fatalf("send answer %s: %v", rec.Body.String(), err)
	}
	return out.ID
}

// retrieve returns a message as GET /whatsapp/messages/{id} answers it.
func retrieve(t testing.TB, s *sim.Server, id string) map[string]any {
	t.Helper()
	rec := call(t, s, "GET", base+"/whatsapp/messages/"+id, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", id, rec.Code, rec.Body.String())
	}
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return m
}

// waitFor polls cond until it holds or 60 s pass (the race detector on a
// shared machine is slow).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// drained waits until the callback queue is empty.
func drained(t testing.TB, s *sim.Server) {
	t.Helper()
	waitFor(t, "callbacks drained", func() bool {
		d := s.Stats().Callbacks.Delivery
		return d.QueueDepth == 0 && d.InFlight == 0 && s.Stats().InFlightSteps == 0
	})
}

// hook is one webhook POST received.
type hook struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver records webhook POSTs; fail, when set, answers them with its
// status (0: 200).
type receiver struct {
	mu   sync.Mutex
	got  []hook
	fail func(n int) int
	n    int
	srv  *httptest.Server
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.n++
	n, fail := r.n, r.fail
	r.got = append(r.got, hook{header: req.Header.Clone(), body: body, at: time.Now()})
	r.mu.Unlock()
	if fail != nil {
		if code := fail(n); code != 0 {
			w.WriteHeader(code)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (r *receiver) all() []hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hook(nil), r.got...)
}

// events parses every hook received with the dialect (hooks it cannot
// classify are skipped).
func (r *receiver) events() []dialect.Event {
	cb := ycloud.New().Callbacks()
	var out []dialect.Event
	for _, h := range r.all() {
		kind := cb.Classify("/", h.header, h.body)
		if kind == "" {
			continue
		}
		evs, err := cb.Events(kind, h.body, nil)
		if err == nil {
			out = append(out, evs...)
		}
	}
	return out
}

// statuses returns the statuses of the events received for message id, in
// arrival order.
func (r *receiver) statuses(id string) []string {
	var out []string
	for _, e := range r.events() {
		if e.Type == dialect.EventStatus && e.MessageID == id {
			out = append(out, e.Status)
		}
	}
	return out
}

// register creates a webhook endpoint for events at url and returns its id
// and secret.
func register(t testing.TB, s *sim.Server, url string, events ...string) (id, secret string) {
	t.Helper()
	if len(events) == 0 {
		events = ycloud.EventTypes()
	}
	evs, _ := json.Marshal(events)
	rec := call(t, s, "POST", base+"/webhookEndpoints", `{"url":"`+url+`","enabledEvents":`+string(evs)+`}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("register %s: %d %s", url, rec.Code, rec.Body.String())
	}
	var ep struct{ ID, Secret string }
	_ = json.Unmarshal(rec.Body.Bytes(), &ep)
	return ep.ID, ep.Secret
}

// httpRecorder is the recorder type call returns.
type httpRecorder = httptest.ResponseRecorder

// recorder serves req and returns the recording.
func recorder(s *sim.Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}
