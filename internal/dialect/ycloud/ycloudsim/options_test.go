package ycloudsim

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// adminConfig reads GET /_sim/config's options.
func adminOptions(t *testing.T, s *sim.Server) map[string]string {
	t.Helper()
	rec := call(t, s, "GET", "/_sim/config", "")
	var c sim.AdminConfig
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &c) != nil {
		t.Fatalf("GET /_sim/config: %d %s", rec.Code, rec.Body.String())
	}
	return c.Options
}

// The per-sender limits, the endpoint maximum and remote-webhooks change at
// run time through the admin API; a send past the new limit is refused,
// another sender is not; settings read only at start are refused.
func TestLiveOptions(t *testing.T) {
	s, _ := newServer(t, testConfig())
	rec := call(t, s, "PATCH", "/_sim/config", `{"options":{"enqueue-rate":"2","max-endpoints":"5"}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("PATCH options: %d %s", rec.Code, rec.Body.String())
	}
	if o := adminOptions(t, s); o["enqueue-rate"] != "2" || o["max-endpoints"] != "5" || o["direct-rate"] != "80" || o["remote-webhooks"] != "false" {
		t.Errorf("options %v", o)
	}
	codes := map[int]int{}
	for range 6 {
		codes[call(t, s, "POST", base+"/whatsapp/messages", textBody(ycloud.SimRecipient, "")).Code]++
	}
	if codes[http.StatusTooManyRequests] == 0 || codes[http.StatusOK] == 0 {
		t.Errorf("6 sends at 2/s from one sender: %v", codes)
	}
	other := strings.Replace(textBody(ycloud.SimRecipient, ""), ycloud.SimSender, "+16315552222", 1)
	if rec := call(t, s, "POST", base+"/whatsapp/messages", other); rec.Code != http.StatusOK {
		t.Errorf("another sender: %d %s", rec.Code, rec.Body.String())
	}
	for _, bad := range []string{`{"options":{"webhook-secret":"whsec_x"}}`, `{"options":{"enqueue-rate":"-1"}}`, `{"options":{"colour":"red"}}`} {
		if rec := call(t, s, "PATCH", "/_sim/config", bad); rec.Code != http.StatusBadRequest {
			t.Errorf("PATCH %s: %d, want 400", bad, rec.Code)
		}
	}
	if o := adminOptions(t, s); o["enqueue-rate"] != "2" {
		t.Errorf("a refused change applied: %v", o)
	}
}

// Regression (YCloud dialect work): marking a customer's message read
// counted a callback skipped for want of a URL; YCloud reports that read to
// no one, so it is suppressed.
func TestMarkReadInboundNotSkippedNoURL(t *testing.T) {
	s, _ := newServer(t, testConfig())
	rcv := simtest.NewReceiver(t)
	register(t, s, rcv.URL)
	rec := call(t, s, "POST", "/_sim/reply", `{"type":"text"}`)
	var in struct{ ID string }
	if rec.Code/100 != 2 || json.Unmarshal(rec.Body.Bytes(), &in) != nil || in.ID == "" {
		t.Fatalf("POST /_sim/reply: %d %s", rec.Code, rec.Body.String())
	}
	if rec := call(t, s, "POST", base+"/whatsapp/inboundMessages/"+in.ID+"/markAsRead", ""); rec.Code != http.StatusOK {
		t.Fatalf("markAsRead: %d %s", rec.Code, rec.Body.String())
	}
	simtest.WaitFor(t, "the read", func() bool { return s.Stats().Callbacks.Suppressed == 1 })
	drained(t, s)
	if cb := s.Stats().Callbacks; cb.Skipped != 0 {
		t.Errorf("skipped_no_url %d, want 0 (suppressed %d)", cb.Skipped, cb.Suppressed)
	}
}

// Endpoints created through the API at a host other than loopback are kept
// but get no events unless remote-webhooks is on (the simulator never posts
// to the Internet on its own); the operator's --callback-url ones always do.
func TestRemoteWebhooksOnlyWhenAllowed(t *testing.T) {
	s, w := newServer(t, testConfig())
	register(t, s, "http://192.0.2.10/hook")
	local, _ := register(t, s, "http://127.0.0.1:9/hook")
	got := func() []string {
		var ids []string
		for _, e := range w.hooks.receiving(ycloud.EventMessageUpdated, s.Now(), w.remote.Load()) {
			ids = append(ids, e.id)
		}
		return ids
	}
	if ids := got(); len(ids) != 1 || ids[0] != local {
		t.Errorf("receiving %v, want only the loopback endpoint %s", ids, local)
	}
	if err := w.SetOptions(map[string]string{"remote-webhooks": "true"}); err != nil {
		t.Fatal(err)
	}
	if ids := got(); len(ids) != 2 {
		t.Errorf("with remote-webhooks: receiving %v, want both", ids)
	}
}

// An endpoint URL is checked like a configured callback URL: a cloud
// metadata host or a control character is refused, naming url.
func TestEndpointURLChecked(t *testing.T) {
	s, _ := newServer(t, testConfig())
	for _, u := range []string{"http://169.254.169.254/latest", "ftp://127.0.0.1/x", "http://127.0.0.1:99999/x", "wabcheck"} {
		rec := call(t, s, "POST", base+"/webhookEndpoints", `{"url":"`+u+`","enabledEvents":["whatsapp.message.updated"]}`)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"target":"url"`) {
			t.Errorf("%s: %d %s", u, rec.Code, rec.Body.String())
		}
	}
}

// e164 takes exactly the numbers errata Y13/Y14's pattern describes.
func TestE164MatchesTheErrataPattern(t *testing.T) {
	pattern := regexp.MustCompile(`^\+[1-9]( ?[0-9]){6,14}$`)
	for _, n := range []string{"+16315550100", "+1 631 555 0100", "+44 20 7123 4567", "+1234567", "+123456", "+123456789012345",
		"+1234567890123456", "+0123456789", "16315550100", "+1  631", "+ 16315550100", "+16315550100 ", "+1631555010a", "", "+",
		"+1 2 3 4 5 6 7", "+1 2 3 4 5 6", "+1-631-555-0100"} {
		got, ok := e164(n)
		if ok != pattern.MatchString(n) {
			t.Errorf("e164(%q) = %v, the pattern says %v", n, ok, !ok)
		}
		if ok && strings.Contains(got, " ") {
			t.Errorf("e164(%q) = %q, want it without spaces", n, got)
		}
	}
}

// Without account limits (a probe's simulator) the endpoint maximum and
// the per-sender rates are off unless an option names them.
func TestNoAccountLimits(t *testing.T) {
	cfg := testConfig()
	cfg.NoAccountLimits = true
	s, _ := newServer(t, cfg)
	for i := range defaultMaxEndpoints + 5 {
		register(t, s, "http://127.0.0.1:9/h"+strings.Repeat("x", i))
	}
	if o := adminOptions(t, s); o["enqueue-rate"] != "0" || o["direct-rate"] != "0" {
		t.Errorf("options %v, want no per-sender limits", o)
	}
	cfg.Options = map[string]string{"max-endpoints": "2"}
	s2, _ := newServer(t, cfg)
	register(t, s2, "http://127.0.0.1:9/a")
	register(t, s2, "http://127.0.0.1:9/b")
	if rec := call(t, s2, "POST", base+"/webhookEndpoints", `{"url":"http://127.0.0.1:9/c","enabledEvents":["whatsapp.message.updated"]}`); rec.Code != http.StatusBadRequest {
		t.Errorf("a third endpoint past max-endpoints=2: %d", rec.Code)
	}
}

// The wire serves exactly the operations it routes: each served one is a
// spec operation that does not answer "no such path", the rest of the
// spec is left out.
func TestScopeServesTheWhatsAppOperations(t *testing.T) {
	s, w := newServer(t, testConfig())
	d, _ := testSpec.Get(t)
	n := 0
	for _, path := range d.T.Paths.InMatchingOrder() {
		for method := range d.T.Paths.Value(path).Operations() {
			if !w.Serves(method, path) {
				continue
			}
			n++
			concrete := strings.ReplaceAll(path, "{id}", "x0")
			rec := call(t, s, method, base+concrete, "")
			if strings.Contains(rec.Body.String(), "no such path") || rec.Code == http.StatusMethodNotAllowed {
				t.Errorf("%s %s is served but not routed: %d %s", method, path, rec.Code, rec.Body.String())
			}
		}
	}
	if n != len(served) || w.Serves("GET", "/balance") {
		t.Errorf("%d served operations in the spec, %d listed; GET /balance served %v", n, len(served), w.Serves("GET", "/balance"))
	}
}

// Regression (YCloud dialect work): the simulator did not start in-process
// from sim.DefaultConfig (no API key); it now takes the published key.
func TestStartsFromDefaultConfig(t *testing.T) {
	s, _ := newServer(t, sim.DefaultConfig())
	if rec := call(t, s, "GET", base+"/webhookEndpoints", ""); rec.Code != http.StatusOK {
		t.Errorf("with the published key: %d %s", rec.Code, rec.Body.String())
	}
}
