package onpremsim

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
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

var (
	docOnce sync.Once
	testDoc *spec.Doc
	testV   *validate.Validator
)

// doc returns the embedded spec with errata and its validator, with the
// dialect's callback kinds.
func doc(t testing.TB) (*spec.Doc, *validate.Validator) {
	t.Helper()
	docOnce.Do(func() {
		testDoc = onpremspec.MustDoc()
		v, err := validate.New(testDoc, validate.Callbacks(onprem.New().Callbacks().Kinds()))
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

// testSecret is the app secret of cloud-format tests.
const testSecret = "test-app-secret"

// testConfig is fast and deterministic: no lifecycle delays, no disorder,
// limits off, a fixed seed, short retries.
func testConfig() sim.Config {
	c := sim.DefaultConfig()
	c.Lifecycle = sim.Lifecycle{}
	c.Seed = 42
	c.Disorder = &sim.Disorder{}
	c.CallbackSchedule = []time.Duration{time.Millisecond, 5 * time.Millisecond}
	c.CallbackTimeout = 2 * time.Second
	c.BatchWindow = 20 * time.Millisecond
	c.Options = map[string]string{OptThroughput: "0", OptPairInterval: "0"}
	return c
}

// simulator is a server, its wire and a logged-in token.
type simulator struct {
	*sim.Server
	w     *api
	token string
}

// newSim builds a simulator closed at the end of the test, and logs in.
func newSim(t testing.TB, cfg sim.Config) *simulator {
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
	sm := &simulator{Server: s, w: w}
	sm.token = sm.login(t)
	return sm
}

// login logs in with the default credentials and returns the token.
func (sm *simulator) login(t testing.TB) string {
	t.Helper()
	req := httptest.NewRequest("POST", "/v1/users/login", nil)
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	rec := serve(sm.Server, req)
	checkResponse(t, "POST", "/v1/users/login", rec)
	tok, _, err := onprem.ReadLogin(rec.Body.Bytes())
	if rec.Code != 200 || err != nil {
		t.Fatalf("login: %d %s %v", rec.Code, rec.Body.String(), err)
	}
	return tok
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// call sends a request with the simulator's token.
func (sm *simulator) call(method, path, ctype, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+sm.token)
	return serve(sm.Server, req)
}

// do sends a dialect request, as the harness would.
func (sm *simulator) do(r dialect.Request) *httptest.ResponseRecorder {
	return sm.call(r.Method, "/v1"+r.Path, r.ContentType, string(r.Body))
}

// checkResponse asserts rec is valid against the spec for method path.
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

// send sends a text to `to` and returns the message id.
func (sm *simulator) send(t testing.TB, to string) string {
	t.Helper()
	var r dialect.Request
	if err := onprem.New().SendRequest(&r, &dialect.Message{To: to, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if onprem.WAID(to) == "" { // no digits: send to as it is
		r.Body = []byte(`{"to":"` + to + `","type":"text","text":{"body":"hi"}}`)
	}
	rec := sm.do(r)
	acc, err := onprem.New().ReadSend(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
	if err != nil {
		t.Fatalf("send to %s: %v", to, err)
	}
	return acc.ID
}

// waitFor polls cond until it holds or 30 s pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// post is one webhook POST received.
type post struct {
	header http.Header
	body   []byte
}

// receiver records webhook POSTs.
type receiver struct {
	mu    sync.Mutex
	posts []post
	srv   *httptest.Server
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, post{req.Header.Clone(), body})
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) all() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]post(nil), r.posts...)
}

// events parses every POST as kind and returns the events.
func (r *receiver) events(t testing.TB, kind string) []dialect.Event {
	t.Helper()
	var out []dialect.Event
	for _, p := range r.all() {
		evs, err := onprem.New().Callbacks().Events(kind, p.body, nil)
		if err != nil {
			t.Fatalf("webhook %s: %v", p.body, err)
		}
		out = append(out, evs...)
	}
	return out
}

// statuses are the statuses received for message id, in arrival order.
func (r *receiver) statuses(t testing.TB, kind, id string) []string {
	var out []string
	for _, e := range r.events(t, kind) {
		if e.Type == dialect.EventStatus && e.MessageID == id {
			out = append(out, e.Status)
		}
	}
	return out
}

// checkPosts validates every POST against kind's callback: zero findings.
func (r *receiver) checkPosts(t testing.TB, kind string) {
	t.Helper()
	_, v := doc(t)
	for _, p := range r.all() {
		for _, f := range v.Callback(validate.Kind(kind), p.header, p.body) {
			t.Errorf("%s webhook: %s\nbody: %s", kind, f, p.body)
		}
	}
}

// drained waits until no callback is queued or in flight.
func drained(t testing.TB, s *sim.Server) {
	t.Helper()
	waitFor(t, "callbacks drained", func() bool {
		d := s.Stats().Callbacks.Delivery
		return d.QueueDepth == 0 && d.InFlight == 0
	})
}

func jsonMap(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %s", b)
	}
	return m
}
