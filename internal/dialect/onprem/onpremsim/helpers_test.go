package onpremsim

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/sim/wiretest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// testSpec is the embedded spec with errata and its validator, with the
// dialect's callback kinds.
var testSpec = simtest.NewSpec(onpremspec.MustDoc, onprem.New())

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
	w := New().(*api)
	sm := &simulator{Server: wiretest.Start(t, testSpec, w, cfg), w: w}
	sm.token = sm.login(t)
	return sm
}

// login logs in with the default credentials and returns the token.
func (sm *simulator) login(t testing.TB) string {
	t.Helper()
	req := httptest.NewRequest("POST", "/v1/users/login", nil)
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	rec := simtest.Serve(sm.Server, req)
	testSpec.CheckResponse(t, "POST", "/v1/users/login", rec)
	tok, _, err := onprem.ReadLogin(rec.Body.Bytes())
	if rec.Code != 200 || err != nil {
		t.Fatalf("login: %d %s %v", rec.Code, rec.Body.String(), err)
	}
	return tok
}

// call sends a request with the simulator's token.
func (sm *simulator) call(method, path, ctype, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+sm.token)
	return simtest.Serve(sm.Server, req)
}

// do sends a dialect request, as the harness would.
func (sm *simulator) do(r dialect.Request) *httptest.ResponseRecorder {
	return sm.call(r.Method, "/v1"+r.Path, r.ContentType, string(r.Body))
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

// events parses every POST rcv got as kind and returns the events.
func events(t testing.TB, rcv *simtest.Receiver, kind string) []dialect.Event {
	t.Helper()
	var out []dialect.Event
	for _, p := range rcv.All() {
		evs, err := onprem.New().Callbacks().Events(kind, p.Body, nil)
		if err != nil {
			t.Fatalf("webhook %s: %v", p.Body, err)
		}
		out = append(out, evs...)
	}
	return out
}

// statuses are the statuses rcv got for message id, in arrival order.
func statuses(t testing.TB, rcv *simtest.Receiver, kind, id string) []string {
	var out []string
	for _, e := range events(t, rcv, kind) {
		if e.Type == dialect.EventStatus && e.MessageID == id {
			out = append(out, e.Status)
		}
	}
	return out
}

// checkPosts validates every POST rcv got against kind's callback: zero
// findings.
func checkPosts(t testing.TB, rcv *simtest.Receiver, kind string) {
	t.Helper()
	_, v := testSpec.Get(t)
	for _, p := range rcv.All() {
		for _, f := range v.Callback(validate.Kind(kind), p.Header, p.Body) {
			t.Errorf("%s webhook: %s\nbody: %s", kind, f, p.Body)
		}
	}
}

// drained waits until no callback is queued or in flight.
func drained(t testing.TB, s *sim.Server) {
	t.Helper()
	simtest.WaitFor(t, "callbacks drained", func() bool {
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
