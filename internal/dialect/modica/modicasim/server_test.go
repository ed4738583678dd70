package modicasim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// TestRateLimit: a burst of RateLimit passes, the next gets 429 with an
// honest Retry-After clamped into 10..1000, and tokens come back with time.
func TestRateLimit(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.RateLimit = 5
	s := newServer(t, cfg)
	for i := range 5 {
		if rec := call(t, s, "GET", base+"/healthz", "", nil); rec.Code != 200 {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	rec := call(t, s, "GET", base+"/healthz", "", nil)
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "10" || rec.Header().Get("X-RateLimit-Limit") != "5" {
		t.Fatalf("6th: %d Retry-After=%q X-RateLimit-Limit=%q", rec.Code, rec.Header().Get("Retry-After"), rec.Header().Get("X-RateLimit-Limit"))
	}
	testSpec.CheckResponse(t, "GET", base+"/healthz", rec)
	clk.Advance(200 * time.Millisecond) // one token at 5/s
	if rec := call(t, s, "GET", base+"/healthz", "", nil); rec.Code != 200 {
		t.Fatalf("after 200ms: %d", rec.Code)
	}
	if got := s.Stats().RateLimited; got != 1 {
		t.Errorf("RateLimited = %d", got)
	}
	// Off: advertise the spec maximum, never limit.
	rec = call(t, s, "PATCH", "/_sim/config", "application/json", []byte(`{"rate_limit":0}`))
	if rec.Code != 200 {
		t.Fatalf("PATCH config: %d %s", rec.Code, rec.Body.String())
	}
	for range 50 {
		if rec := call(t, s, "GET", base+"/healthz", "", nil); rec.Code != 200 || rec.Header().Get("X-RateLimit-Limit") != "100" {
			t.Fatalf("limit off: %d %q", rec.Code, rec.Header().Get("X-RateLimit-Limit"))
		}
	}
	if rec := call(t, s, "PATCH", "/_sim/config", "application/json", []byte(`{"rate_limit":101}`)); rec.Code != 400 {
		t.Errorf("rate_limit 101: %d, want 400 (spec maximum 100)", rec.Code)
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for _, tt := range []struct {
		wait time.Duration
		want int
	}{{time.Millisecond, 10}, {10 * time.Second, 10}, {10*time.Second + 1, 11}, {500 * time.Second, 500}, {time.Hour, 1000}} {
		if got := sim.RetryAfterSeconds(tt.wait, 10, 1000); got != tt.want {
			t.Errorf("sim.RetryAfterSeconds(%v) = %d, want %d", tt.wait, got, tt.want)
		}
	}
}

// TestAuth: wrong, missing and lower-case-scheme credentials.
func TestAuth(t *testing.T) {
	s := newServer(t, testConfig())
	for _, tt := range []struct {
		header string
		want   int
	}{{"", 401}, {"Basic d2FiY2hlY2s6eA==", 401}, {"Bearer x", 401}, {"Basic d2FiY2hlY2s6d2FiY2hlY2s=", 200}, {"basic d2FiY2hlY2s6d2FiY2hlY2s=", 200}} {
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		if rec := simtest.Serve(s, req); rec.Code != tt.want {
			t.Errorf("Authorization %q: %d, want %d", tt.header, rec.Code, tt.want)
		}
	}
	req, _ := http.NewRequest("GET", "/_sim/stats", nil)
	if rec := simtest.Serve(s, req); rec.Code != 401 {
		t.Errorf("admin without credentials: %d", rec.Code)
	}
}

// TestBroadcast: one item per destination, each accepted item its own
// message with its own DLRs; refused and invalid items fail alone.
func TestBroadcast(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
	s := newServer(t, cfg)
	dests := []string{"+6421555060", MagicRefused, "+6421555061", "bogus", MagicRejected}
	body, _ := json.Marshal(map[string]any{"destination": dests, "type": "template", "reference": "bc-1",
		"template": map[string]any{"name": "hello_world", "language": "en_US"}})
	rec := call(t, s, "POST", base+"/messages/broadcast", "application/json", body)
	testSpec.CheckResponse(t, "POST", base+"/messages/broadcast", rec)
	var items []struct{ Destination, ID, Status, Message string }
	if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil || len(items) != len(dests) {
		t.Fatalf("items: %v %s", err, rec.Body.String())
	}
	wantStatus := []string{"accepted", "failed", "accepted", "failed", "accepted"}
	for i, it := range items {
		if it.Status != wantStatus[i] || (it.Status == "failed") != (it.Message != "") {
			t.Errorf("item %d = %+v, want status %s", i, it, wantStatus[i])
		}
	}
	if items[0].ID == items[2].ID {
		t.Error("accepted items share an id")
	}
	simtest.WaitFor(t, "DLRs", func() bool {
		return len(statuses(rcv, items[0].ID)) == 3 && len(statuses(rcv, items[2].ID)) == 3 && len(statuses(rcv, items[4].ID)) == 1
	})
	if st := status(t, s, items[4].ID); st != "rejected" {
		t.Errorf("magic rejected item: %s", st)
	}
}

// TestMedia: upload, download the same bytes, sniffed type when the part
// has none.
func TestMedia(t *testing.T) {
	s := newServer(t, testConfig())
	data := []byte("%PDF-1.4 hello")
	ct, body := multipartFile(t, "file", "", data)
	rec := call(t, s, "POST", base+"/media", ct, body)
	if rec.Code != 200 {
		t.Fatalf("upload without part type (sniffed text/plain): %d %s", rec.Code, rec.Body.String())
	}
	var out struct{ ID string }
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	rec = call(t, s, "GET", base+"/media?media_id="+out.ID, "", nil)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), data) {
		t.Fatalf("download: %d %q", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "GET", base+"/media?media_id="+out.ID, rec)
}

// TestInjectReply: each MO type yields a spec-valid ReplyCallback at the
// reply URL, and the MO can be fetched and marked read (with a read DLR).
func TestInjectReply(t *testing.T) {
	rcv := simtest.NewReceiver(t)
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
	cfg.CallbackURLs["reply"] = rcv.URL + "/reply"
	s := newServer(t, cfg)
	_, v := testSpec.Get(t)
	types := []string{"text", "image", "document", "audio", "video", "sticker", "button"}
	for _, typ := range types {
		rec := call(t, s, "POST", "/_sim/reply", "application/json", []byte(`{"type":"`+typ+`"}`))
		if rec.Code != 202 {
			t.Fatalf("inject %s: %d %s", typ, rec.Code, rec.Body.String())
		}
	}
	simtest.WaitFor(t, "replies", func() bool { return len(rcv.Delivered()) == len(types) })
	var firstID string
	for _, c := range rcv.Delivered() {
		for _, f := range v.Callback(validate.Kind(modica.KindReply), c.Header, c.Body) {
			t.Errorf("reply %s: %s", c.Body, f)
		}
		var b struct {
			ID      string
			Content map[string]any
		}
		_ = json.Unmarshal(c.Body, &b)
		if b.Content[b.Content["type"].(string)] == nil {
			t.Errorf("reply %s lacks its %v object", c.Body, b.Content["type"])
		}
		if firstID == "" {
			firstID = b.ID
		}
	}
	rec := call(t, s, "GET", base+"/messages?id="+firstID, "", nil)
	testSpec.CheckResponse(t, "GET", base+"/messages", rec)
	if !strings.Contains(rec.Body.String(), `"direction":"MO"`) {
		t.Errorf("MO details: %s", rec.Body.String())
	}
	rec = call(t, s, "PATCH", base+"/messages", "application/json", []byte(`{"message_id":"`+firstID+`"}`))
	testSpec.CheckResponse(t, "PATCH", base+"/messages", rec)
	simtest.WaitFor(t, "read DLR for the MO", func() bool { return len(statuses(rcv, firstID)) == 1 })
	if _, err := s.InjectInbound(context.Background(), sim.InboundRequest{Type: "hologram"}); err == nil {
		t.Error("unknown MO type accepted")
	}
}

// TestAdminConfigAndStats: GET redacts callback credentials; PATCH changes
// lifecycle and URLs; stats count.
func TestAdminConfigAndStats(t *testing.T) {
	s := newServer(t, testConfig())
	rec := call(t, s, "PATCH", "/_sim/config", "application/json",
		[]byte(`{"callback_urls":{"status":"https://u:s3cret@example.com/dlr"},"lifecycle":{"submit":"5ms","jitter":"1ms"}}`))
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "s3cret") || !strings.Contains(rec.Body.String(), "REDACTED") {
		t.Fatalf("PATCH config: %d %s", rec.Code, rec.Body.String())
	}
	if got := s.Lifecycle().Submit; got != 5*time.Millisecond {
		t.Errorf("submit = %v", got)
	}
	for _, bad := range []string{`{"lifecycle":{"send":"-1s"}}`, `{"fail_ratio":2}`, `{"callback_urls":{"status":"ftp://x"}}`, `{"nope":1}`} {
		if rec := call(t, s, "PATCH", "/_sim/config", "application/json", []byte(bad)); rec.Code != 400 {
			t.Errorf("PATCH %s: %d, want 400", bad, rec.Code)
		}
	}
	_ = s.SetCallbackURL("status", "")
	_ = s.SetCallbackURL("reply", "")
	send(t, s, "+6421555070", "")
	simtest.WaitFor(t, "received", func() bool { return s.Stats().Reached["received"] == 1 })
	rec = call(t, s, "GET", "/_sim/stats", "", nil)
	var st sim.Stats
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil || st.Accepted != 1 || st.Callbacks.Skipped != 3 {
		t.Errorf("stats: %v %s", err, rec.Body.String())
	}
	if rec := call(t, s, "GET", "/_sim/nope", "", nil); rec.Code != 404 {
		t.Errorf("unknown admin path: %d", rec.Code)
	}
}

// TestConfigValidate names the bad field.
func TestConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		field string
		mut   func(*sim.Config)
	}{
		{"RateLimit", func(c *sim.Config) { c.RateLimit = -1 }},
		{"CallbackWorkers", func(c *sim.Config) { c.CallbackWorkers = 0 }},
		{"MessageTTL", func(c *sim.Config) { c.MessageTTL = 0 }},
		{"Lifecycle.Send", func(c *sim.Config) { c.Lifecycle.Send = -1 }},
		{"FailRatio", func(c *sim.Config) { c.FailRatio = 1.5 }},
		{"CallbackURLs[status]", func(c *sim.Config) { c.CallbackURLs = map[string]string{"status": "nope"} }},
		{"Faults[0]", func(c *sim.Config) { c.Faults = []sim.FaultSetting{{Name: "x", Ratio: 0}} }},
	} {
		c := sim.DefaultConfig()
		tt.mut(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: Validate() = %v", tt.field, err)
		}
	}
	if err := sim.DefaultConfig().Validate(); err != nil {
		t.Errorf("DefaultConfig invalid: %v", err)
	}
}

// TestTTLSweep removes finished messages after the TTL, never in-flight ones.
func TestTTLSweep(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.MessageTTL = time.Minute
	s := newServer(t, cfg)
	done := send(t, s, "+6421555080", "")
	simtest.WaitFor(t, "received", func() bool { return status(t, s, done) == "received" })
	if err := s.ApplyConfig(sim.AdminConfig{Lifecycle: &sim.AdminLifecycle{Submit: "1h"}}); err != nil {
		t.Fatal(err)
	}
	pending := send(t, s, "+6421555081", "")
	clk.Advance(2 * time.Minute)
	s.Sweep()
	if rec := call(t, s, "GET", base+"/messages?id="+done, "", nil); rec.Code != 404 {
		t.Errorf("finished message after TTL: %d, want 404", rec.Code)
	}
	if st := status(t, s, pending); st != "accepted" {
		t.Errorf("in-flight message: %s", st)
	}
	if s.Stats().Expired != 1 {
		t.Errorf("expired = %d", s.Stats().Expired)
	}
}

// TestTenThousandUnreliableReceiver sends 10,000 messages (singles and
// broadcasts) to a receiver that fails 20% of deliveries (500s and
// timeouts): every message ends with exactly one terminal status recorded
// and no callback carries an unknown id.
func TestTenThousandUnreliableReceiver(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rcv := simtest.NewReceiver(t)
	var n atomic.Int64
	rcv.SetFail(func(int) int {
		switch k := n.Add(1); {
		case k%10 == 3:
			return 500
		case k%10 == 7:
			time.Sleep(60 * time.Millisecond) // beyond the callback timeout below
			return 500
		}
		return 0
	})
	cfg := testConfig()
	cfg.CallbackURLs = map[string]string{"status": rcv.URL + "/status"}
	cfg.CallbackTimeout = 50 * time.Millisecond
	cfg.CallbackMaxAttempts = 20
	cfg.CallbackWorkers = 64
	cfg.FailRatio, cfg.RejectRatio, cfg.ExpireRatio = 0.05, 0.05, 0.05
	s := newServer(t, cfg)
	ids := map[string]bool{}
	for i := range 5000 {
		ids[send(t, s, fmt.Sprintf("+64220%07d", i), "")] = true
	}
	for b := range 5 {
		var dests []string
		for i := range 1000 {
			dests = append(dests, fmt.Sprintf("+64230%03d%04d", b, i))
		}
		body, _ := json.Marshal(map[string]any{"destination": dests, "type": "text", "text": map[string]string{"body": "x"}})
		rec := call(t, s, "POST", base+"/messages/broadcast", "application/json", body)
		var items []struct{ ID string }
		_ = json.Unmarshal(rec.Body.Bytes(), &items)
		for _, it := range items {
			ids[it.ID] = true
		}
	}
	if len(ids) != 10000 {
		t.Fatalf("ids = %d", len(ids))
	}
	simtest.WaitFor(t, "all callbacks", func() bool {
		st := s.Stats()
		d := st.Callbacks.Delivery
		return st.InFlightSteps == 0 && d.QueueDepth == 0 && d.InFlight == 0 && d.BackingOff == 0
	})
	terminal := map[string]int{}
	for _, c := range rcv.Delivered() {
		var b struct{ ID, Status string }
		if err := json.Unmarshal(c.Body, &b); err != nil {
			t.Fatalf("callback body: %v", err)
		}
		if !ids[b.ID] {
			t.Fatalf("callback for unknown id %s", b.ID)
		}
		switch b.Status {
		case "received", "read", "failed", "rejected", "expired", "dead":
			terminal[b.ID]++
		}
	}
	for id := range ids {
		if terminal[id] < 1 {
			t.Fatalf("message %s has no terminal DLR (stats %+v)", id, s.Stats().Callbacks)
		}
	}
	// At-least-once may repeat a DLR whose 200 was lost to a timeout; the
	// store still records exactly one terminal status per message.
	for id := range ids {
		uid, _ := sim.ParseUUID(id)
		m := s.Get(uid)
		if m == nil || !s.State(m).Finished {
			t.Fatalf("message %s not final in the store", id)
		}
	}
	if g := s.Stats().Callbacks.Delivery.GivenUp; g != 0 {
		t.Errorf("given up: %d", g)
	}
}
