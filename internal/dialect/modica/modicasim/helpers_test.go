package modicasim

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
)

// testSpec is the embedded spec (errata applied) and its validator.
var testSpec = simtest.NewSpec(modicaspec.MustDoc, modica.New())

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
	w := New().(*api)
	return wiretest.Start(t, testSpec, w, cfg), w
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

// statuses returns the DLR statuses rcv took for id, in arrival order.
func statuses(rcv *simtest.Receiver, id string) []string {
	var out []string
	for _, c := range rcv.Delivered() {
		var b struct{ ID, Status string }
		if c.Path == "/status" && json.Unmarshal(c.Body, &b) == nil && b.ID == id {
			out = append(out, b.Status)
		}
	}
	return out
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
