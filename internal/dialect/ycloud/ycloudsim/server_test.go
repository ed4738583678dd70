package ycloudsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// Per-sender limits: enqueue and sendDirectly each have their own bucket
// per `from`; over it the answer is 429 with YCloud's error body and
// Retry-After; a second later the sender may send again.
func TestRateLimitPerSender(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Options = map[string]string{"enqueue-rate": "2", "direct-rate": "1"}
	s, _ := newServer(t, cfg)
	post := func(path, from string) int {
		body := strings.Replace(textBody("+16315550102", ""), ycloud.SimSender, from, 1)
		rec := call(t, s, "POST", base+path, body)
		if rec.Code == 429 {
			testSpec.CheckResponse(t, "POST", base+path, rec)
			if !strings.Contains(rec.Body.String(), `"code":"TOO_MANY_REQUESTS"`) || rec.Header().Get("Retry-After") != "1" {
				t.Errorf("429 %v %s", rec.Header(), rec.Body.String())
			}
		}
		return rec.Code
	}
	const enq, direct = "/whatsapp/messages", "/whatsapp/messages/sendDirectly"
	got := []int{post(enq, "+16315551111"), post(enq, "+16315551111"), post(enq, "+16315551111"),
		post(enq, "+16315552222"), post(direct, "+16315551111"), post(direct, "+16315551111")}
	if want := []int{200, 200, 429, 200, 200, 429}; !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	clk.Advance(time.Second)
	if c := post(enq, "+16315551111"); c != 200 {
		t.Errorf("after a second: %d", c)
	}
}

// The account limit (Config.RateLimit) applies to the other operations.
func TestAccountRateLimit(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now, cfg.RateLimit = clk.Now, 1
	s, _ := newServer(t, cfg)
	if c := call(t, s, "GET", base+"/webhookEndpoints", "").Code; c != 200 {
		t.Fatalf("first: %d", c)
	}
	rec := call(t, s, "GET", base+"/webhookEndpoints", "")
	if rec.Code != 429 {
		t.Fatalf("second: %d", rec.Code)
	}
	testSpec.CheckResponse(t, "GET", base+"/webhookEndpoints", rec)
	if c := call(t, s, "POST", base+"/whatsapp/messages", textBody("+16315550102", "")).Code; c != 200 {
		t.Errorf("sends are limited per sender, not by the account limit: %d", c)
	}
}

// Events go only to active endpoints subscribed to their type; an
// endpoint set active again receives the next ones.
func TestEventsOnlyToActiveSubscribers(t *testing.T) {
	statusOnly, inboundOnly, disabled := simtest.NewReceiver(t), simtest.NewReceiver(t), simtest.NewReceiver(t)
	s, _ := newServer(t, testConfig())
	register(t, s, statusOnly.URL, ycloud.EventMessageUpdated)
	register(t, s, inboundOnly.URL, ycloud.EventInboundReceived)
	disID, _ := register(t, s, disabled.URL)
	if rec := call(t, s, "PATCH", base+"/webhookEndpoints/"+disID, `{"status":"disabled"}`); rec.Code != 200 {
		t.Fatal(rec.Body.String())
	}
	id := send(t, s, ycloud.SimRecipient, "")
	if _, err := s.InjectInbound(t.Context(), sim.InboundRequest{Type: "text"}); err != nil {
		t.Fatal(err)
	}
	simtest.WaitFor(t, "events", func() bool { return len(statusOnly.All()) == 2 && len(inboundOnly.All()) == 1 })
	drained(t, s)
	if len(statuses(statusOnly, id)) != 2 || len(statuses(inboundOnly, id)) != 0 || len(disabled.All()) != 0 {
		t.Errorf("status-only %d, inbound-only %d, disabled %d", len(statusOnly.All()), len(inboundOnly.All()), len(disabled.All()))
	}
	call(t, s, "PATCH", base+"/webhookEndpoints/"+disID, `{"status":"active"}`)
	id2 := send(t, s, ycloud.SimRecipient, "")
	simtest.WaitFor(t, "events to the endpoint set active", func() bool { return len(statuses(disabled, id2)) == 2 })
}

// At most max-endpoints endpoints; deleting one makes room.
func TestEndpointLimit(t *testing.T) {
	cfg := testConfig()
	cfg.Options = map[string]string{"max-endpoints": "2"}
	s, _ := newServer(t, cfg)
	first, _ := register(t, s, "https://hooks.example/1")
	register(t, s, "https://hooks.example/2")
	rec := call(t, s, "POST", base+"/webhookEndpoints", `{"url":"https://hooks.example/3","enabledEvents":["whatsapp.message.updated"]}`)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "maximum of 2") {
		t.Fatalf("third endpoint: %d %s", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "POST", base+"/webhookEndpoints", rec)
	call(t, s, "DELETE", base+"/webhookEndpoints/"+first, "")
	register(t, s, "https://hooks.example/3")
	var page struct {
		Length int
		Total  int
		Items  []struct{ URL, Secret string }
	}
	_ = json.Unmarshal(call(t, s, "GET", base+"/webhookEndpoints?includeTotal=true", "").Body.Bytes(), &page)
	if page.Total != 2 || page.Length != 2 || page.Items[0].URL != "https://hooks.example/2" || page.Items[0].Secret != "" {
		t.Errorf("list %+v (no secrets in listings)", page)
	}
}

// The secret changes with rotateSecret; later events are signed with the
// new one.
func TestRotateSecret(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	s, _ := newServer(t, testConfig())
	id, old := register(t, s, rcv.URL)
	rec := call(t, s, "POST", base+"/webhookEndpoints/"+id+"/rotateSecret", "")
	var ep struct{ Secret string }
	_ = json.Unmarshal(rec.Body.Bytes(), &ep)
	if !strings.HasPrefix(ep.Secret, "whsec_") || ep.Secret == old {
		t.Fatalf("rotated secret %q (old %q)", ep.Secret, old)
	}
	send(t, s, ycloud.SimRecipient, "")
	simtest.WaitFor(t, "events", func() bool { return len(rcv.All()) == 2 })
	checkHooks(t, rcv, id, ep.Secret)
}

// YCloud's retry schedule: a delivery that keeps failing is tried 8 times
// (the first attempt and 7 retries), each with a valid signature, then
// dropped.
func TestRetrySchedule(t *testing.T) {
	_, w := newServer(t, testConfig())
	want := []time.Duration{10 * time.Second, 30 * time.Second, 5 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 2 * time.Hour}
	if got := w.RetrySchedule(); !slices.Equal(got, want) {
		t.Errorf("schedule %v, want %v", got, want)
	}
	rcv := simtest.NewReceiver(t)
	rcv.SetFail(func(int) int { return http.StatusServiceUnavailable })
	cfg := testConfig() // TimeScale 1e-6: 2 h are 7.2 ms
	cfg.Options = map[string]string{"suspend-after": "1000"}
	s, _ := newServer(t, cfg)
	epID, secret := register(t, s, rcv.URL)
	id := send(t, s, MagicFailed, "")
	simtest.WaitFor(t, "given up", func() bool { return s.Stats().Callbacks.Delivery.GivenUp == 1 })
	hooks := rcv.All()
	if len(hooks) != 8 {
		t.Fatalf("%d attempts, want 8", len(hooks))
	}
	for _, h := range hooks {
		if string(h.Body) != string(hooks[0].Body) {
			t.Errorf("a retry changed the body:\n%s\n%s", h.Body, hooks[0].Body)
		}
	}
	checkHooks(t, rcv, epID, secret)
	if got := statuses(rcv, id); len(got) != 8 || got[0] != "failed" {
		t.Errorf("statuses %v", got)
	}
}

// An endpoint that keeps failing goes pending for suspend-for (on the
// simulator's clock): it gets no events meanwhile, then is active again.
func TestFailingEndpointGoesPending(t *testing.T) {
	clk := simtest.NewClock()
	rcv := simtest.NewReceiver(t)
	rcv.SetFail(func(int) int { return http.StatusInternalServerError })
	cfg := testConfig()
	cfg.Now, cfg.TimeScale = clk.Now, 1
	cfg.CallbackSchedule = []time.Duration{time.Millisecond}
	cfg.CallbackMaxAttempts = 3
	cfg.Options = map[string]string{"suspend-after": "3", "suspend-for": "3m"}
	s, w := newServer(t, cfg)
	id, _ := register(t, s, rcv.URL)
	send(t, s, MagicFailed, "")
	simtest.WaitFor(t, "suspension", func() bool { return w.hooks.get(id).health.suspensions.Load() == 1 })
	status := func() string {
		rec := call(t, s, "GET", base+"/webhookEndpoints/"+id, "")
		testSpec.CheckResponse(t, "GET", base+"/webhookEndpoints/"+id, rec)
		var ep struct{ Status string }
		_ = json.Unmarshal(rec.Body.Bytes(), &ep)
		return ep.Status
	}
	if st := status(); st != "pending" {
		t.Fatalf("status %q, want pending", st)
	}
	drained(t, s)
	before := len(rcv.All())
	send(t, s, MagicFailed, "")
	drained(t, s)
	if n := len(rcv.All()); n != before {
		t.Errorf("a pending endpoint got %d events", n-before)
	}
	clk.Advance(3 * time.Minute)
	if st := status(); st != "active" {
		t.Fatalf("after 3 minutes: %q, want active", st)
	}
	send(t, s, MagicFailed, "")
	simtest.WaitFor(t, "events after the suspension", func() bool { return len(rcv.All()) > before })
}

// Config.CallbackURLs register endpoints at start (one per URL, for the
// kinds given), signed with the webhook-secret option.
func TestConfiguredEndpoints(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{ycloud.EventMessageUpdated: rcv.URL, ycloud.EventInboundReceived: rcv.URL}
	cfg.Options = map[string]string{"webhook-secret": "whsec_0123456789abcdef0123456789abcdef"}
	s, w := newServer(t, cfg)
	eps := w.hooks.all()
	if len(eps) != 1 || !slices.Equal(eps[0].events, ycloud.EventTypes()) {
		t.Fatalf("endpoints %+v", eps)
	}
	send(t, s, ycloud.SimRecipient, "")
	if _, err := s.InjectInbound(t.Context(), sim.InboundRequest{Type: "image"}); err != nil {
		t.Fatal(err)
	}
	simtest.WaitFor(t, "events", func() bool { return len(rcv.All()) == 3 })
	checkHooks(t, rcv, eps[0].id, "whsec_0123456789abcdef0123456789abcdef")
}

// Bad settings are configuration errors naming what is wrong.
func TestConfigErrors(t *testing.T) {
	d, v := testSpec.Get(t)
	for _, tt := range []struct {
		name string
		edit func(c *sim.Config)
		want string
	}{
		{"bad rate", func(c *sim.Config) { c.Options = map[string]string{"enqueue-rate": "fast"} }, "enqueue-rate"},
		{"bad suspension", func(c *sim.Config) { c.Options = map[string]string{"suspend-for": "-1s"} }, "suspend-for"},
		{"unknown option", func(c *sim.Config) { c.Options = map[string]string{"colour": "red"} }, "known: enqueue-rate"},
		{"Modica's callback kind", func(c *sim.Config) { c.CallbackURLs = map[string]string{"status": "http://127.0.0.1:1/s"} }, `no callback kind "status"`},
		{"fail ratio is fine, reject is not", func(c *sim.Config) { c.RejectRatio = 0.1 }, "no reject path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.edit(&cfg)
			_, err := sim.New(d, v, New(), cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	var opts []string
	for _, o := range New().(sim.Optioner).Options() {
		opts = append(opts, o.Name)
	}
	if want := []string{"enqueue-rate", "direct-rate", "max-endpoints", "webhook-secret", "suspend-after", "suspend-for", "remote-webhooks"}; !slices.Equal(opts, want) {
		t.Errorf("options %v", opts)
	}
}
