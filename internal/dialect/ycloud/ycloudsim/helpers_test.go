package ycloudsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
)

// testSpec is the embedded spec (errata applied) and a validator for it
// that knows the dialect's callback kinds.
var testSpec = simtest.NewSpec(ycloud.MustDoc, ycloud.New())

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
	w := New().(*api)
	return wiretest.Start(t, testSpec, w, cfg), w
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

// drained waits until the callback queue is empty.
func drained(t testing.TB, s *sim.Server) {
	t.Helper()
	simtest.WaitFor(t, "callbacks drained", func() bool {
		d := s.Stats().Callbacks.Delivery
		return d.QueueDepth == 0 && d.InFlight == 0 && s.Stats().InFlightSteps == 0
	})
}

// events parses every POST rcv got with the dialect (POSTs it cannot
// classify are skipped).
func events(rcv *simtest.Receiver) []dialect.Event {
	cb := ycloud.New().Callbacks()
	var out []dialect.Event
	for _, h := range rcv.All() {
		kind := cb.Classify("/", h.Header, h.Body)
		if kind == "" {
			continue
		}
		evs, err := cb.Events(kind, h.Body, nil)
		if err == nil {
			out = append(out, evs...)
		}
	}
	return out
}

// statuses returns the statuses of the events rcv got for message id, in
// arrival order.
func statuses(rcv *simtest.Receiver, id string) []string {
	var out []string
	for _, e := range events(rcv) {
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
