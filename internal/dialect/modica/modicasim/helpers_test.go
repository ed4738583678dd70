package modicasim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

var (
	docOnce sync.Once
	testDoc *spec.Doc
	testV   *validate.Validator
)

// doc returns the embedded spec (errata applied) and a validator for it.
func doc(t testing.TB) (*spec.Doc, *validate.Validator) {
	t.Helper()
	docOnce.Do(func() {
		testDoc = modicaspec.MustDoc()
		v, err := validate.New(testDoc, validate.Callbacks(modica.New().Callbacks().Kinds()))
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

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

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

// testConfig is a fast, deterministic configuration: zero lifecycle
// delays, rate limiting off, a fixed seed.
func testConfig() sim.Config {
	c := sim.DefaultConfig()
	c.Lifecycle = sim.Lifecycle{}
	c.RateLimit = 0
	c.Seed = 42
	c.CallbackBackoff = time.Millisecond
	c.CallbackMaxBackoff = 5 * time.Millisecond
	c.CallbackTimeout = 2 * time.Second
	return c
}

// newServer builds a simulator closed at the end of the test.
func newServer(t testing.TB, cfg sim.Config) *sim.Server {
	t.Helper()
	s, _ := newServerWire(t, cfg)
	return s
}

// newServerWire is newServer that also returns the Modica wire.
func newServerWire(t testing.TB, cfg sim.Config) (*sim.Server, *api) {
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

// call sends a request through the handler with the default credentials
// and checks the response against the spec when it is a vendor operation.
func call(t testing.TB, s *sim.Server, method, path, ctype string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// checkResponse asserts that rec is valid against the spec for method and
// path (the test of "every response the simulator sends is valid").
func checkResponse(t testing.TB, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, v := doc(t)
	if _, ok := v.OperationID(method, path); !ok {
		t.Fatalf("%s %s is not a spec operation", method, path)
	}
	for _, f := range v.Response(method, path, rec.Code, rec.Header(), rec.Body.Bytes()) {
		t.Errorf("%s %s → %d: response finding: %s\nbody: %s", method, path, rec.Code, f, rec.Body.String())
	}
}

// base is the API base path.
const base = "/rest/wab/v1"

// send posts a single text message and returns its id.
func send(t testing.TB, s *sim.Server, dest, ref string) string {
	t.Helper()
	body := `{"destination":"` + dest + `","type":"text","text":{"body":"hi"}` + refField(ref) + `}`
	rec := call(t, s, "POST", base+"/messages", "application/json", []byte(body))
	if rec.Code != http.StatusAccepted {
		t.Fatalf("POST /messages %s: %d %s", dest, rec.Code, rec.Body.String())
	}
	var out struct {
		MessageID string `json:"message_id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("202 body: %v", err)
	}
	return out.MessageID
}

func refField(ref string) string {
	if ref == "" {
		return ""
	}
	return `,"reference":"` + ref + `"`
}

// status returns a message's current status through GET /messages.
func status(t testing.TB, s *sim.Server, id string) string {
	t.Helper()
	rec := call(t, s, "GET", base+"/messages?id="+id, "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /messages?id=%s: %d %s", id, rec.Code, rec.Body.String())
	}
	var d struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &d)
	return d.Status
}

// waitFor polls cond until it holds or 60 s pass.
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

// callback is one received callback.
type callback struct {
	kind   string // "status" or "reply"
	header http.Header
	body   []byte
}

// receiver records callbacks posted to /status and /reply.
type receiver struct {
	mu   sync.Mutex
	got  []callback
	fail func(n int) int // optional: status to answer the n-th request (0 = 200)
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
	n := r.n
	fail := r.fail
	r.mu.Unlock()
	if fail != nil {
		if code := fail(n); code != 0 {
			w.WriteHeader(code)
			return
		}
	}
	kind := strings.TrimPrefix(req.URL.Path, "/")
	r.mu.Lock()
	r.got = append(r.got, callback{kind: kind, header: req.Header.Clone(), body: body})
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (r *receiver) all() []callback {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]callback(nil), r.got...)
}

// statuses returns the DLR statuses received for id, in arrival order.
func (r *receiver) statuses(id string) []string {
	var out []string
	for _, c := range r.all() {
		var b struct{ ID, Status string }
		if c.kind == "status" && json.Unmarshal(c.body, &b) == nil && b.ID == id {
			out = append(out, b.Status)
		}
	}
	return out
}

// httpRecorder is the recorder type call returns.
type httpRecorder = httptest.ResponseRecorder

// recorder serves req and returns the recording.
func recorder(s *sim.Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// listenLoopback listens on a free loopback port.
func listenLoopback(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
