package ycloudsim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

const sender = ycloud.SimSender

// TestEveryResponseValid drives every operation and error path through the
// handler and validates each answer against the spec with errata: zero
// findings. 400 answers name the field at fault in error.target, and
// every answer carries YCloud-Request-ID (error.requestId repeats it).
func TestEveryResponseValid(t *testing.T) {
	cfg := testConfig()
	cfg.MaxBodyBytes = 4096
	s, _ := newServer(t, cfg)
	id := send(t, s, "+16315550101", "ref-1")
	inbound, err := s.InjectInbound(context.Background(), sim.InboundRequest{Type: "text"})
	if err != nil {
		t.Fatal(err)
	}
	hookID, _ := register(t, s, "https://hooks.example/a")
	other, _ := register(t, s, "https://hooks.example/b", ycloud.EventInboundReceived)
	send := func(body string) string { return body }
	tests := []struct {
		name, method, path, body string
		want                     int
		target                   string
	}{
		{"enqueue text", "POST", "/whatsapp/messages", textBody("+16315550102", "r"), 200, ""},
		{"enqueue, spaces in number", "POST", "/whatsapp/messages", textBody("+1 631 555 0102", ""), 200, ""},
		{"enqueue template", "POST", "/whatsapp/messages", send(`{"from":"` + sender + `","to":"+16315550102","type":"template","template":{"name":"hello","language":{"code":"en","policy":"deterministic"},"components":[{"type":"body","parameters":[{"type":"text","text":"x"}]}]}}`), 200, ""},
		{"enqueue image", "POST", "/whatsapp/messages", `{"from":"` + sender + `","to":"+16315550102","type":"image","image":{"link":"https://example.com/a.png","caption":"c"}}`, 200, ""},
		{"enqueue contacts", "POST", "/whatsapp/messages", `{"from":"` + sender + `","to":"+16315550102","type":"contacts","contacts":[{"name":{"formatted_name":"A"}}]}`, 200, ""},
		{"send directly", "POST", "/whatsapp/messages/sendDirectly", textBody("+16315550103", "r"), 200, ""},
		{"send directly, refused", "POST", "/whatsapp/messages/sendDirectly", textBody(MagicRefused, ""), 400, "to"},
		{"malformed JSON", "POST", "/whatsapp/messages", `{"from":`, 400, "body"},
		{"unknown type", "POST", "/whatsapp/messages", `{"from":"` + sender + `","to":"+16315550102","type":"texts"}`, 400, "type"},
		{"no to", "POST", "/whatsapp/messages", `{"from":"` + sender + `","type":"text","text":{"body":"x"}}`, 400, "to"},
		{"to not E.164", "POST", "/whatsapp/messages", textBody("0211234567", ""), 400, "to"},
		{"from not E.164", "POST", "/whatsapp/messages/sendDirectly", `{"from":"abc","to":"+16315550102","type":"text","text":{"body":"x"}}`, 400, "from"},
		{"type without its object", "POST", "/whatsapp/messages", `{"from":"` + sender + `","to":"+16315550102","type":"image"}`, 400, "image"},
		{"text too long", "POST", "/whatsapp/messages", `{"from":"` + sender + `","to":"+16315550102","type":"text","text":{"body":"` + strings.Repeat("a", 4097) + `"}}`, 400, "body"},
		{"retrieve", "GET", "/whatsapp/messages/" + id, "", 200, ""},
		{"retrieve by wamid", "GET", "/whatsapp/messages/wamid." + id, "", 200, ""},
		{"retrieve unknown", "GET", "/whatsapp/messages/00000000000000000000000000000000", "", 404, ""},
		{"retrieve an inbound id", "GET", "/whatsapp/messages/" + inbound, "", 404, ""},
		{"mark as read", "POST", "/whatsapp/inboundMessages/" + inbound + "/markAsRead", "", 200, ""},
		{"mark as read unknown", "POST", "/whatsapp/inboundMessages/nope/markAsRead", "", 404, ""},
		{"mark an outbound message read", "POST", "/whatsapp/inboundMessages/" + id + "/markAsRead", "", 404, ""},
		{"create endpoint", "POST", "/webhookEndpoints", `{"url":"https://hooks.example/c","enabledEvents":["whatsapp.message.updated"],"description":"d","status":"disabled"}`, 200, ""},
		{"create endpoint, relative url", "POST", "/webhookEndpoints", `{"url":"/hook","enabledEvents":["whatsapp.message.updated"]}`, 400, "url"},
		{"create endpoint, unknown event", "POST", "/webhookEndpoints", `{"url":"https://hooks.example/d","enabledEvents":["whatsapp.message.sent"]}`, 400, "enabledEvents.0"},
		{"create endpoint, no events", "POST", "/webhookEndpoints", `{"url":"https://hooks.example/d","enabledEvents":[]}`, 400, "enabledEvents"},
		{"create endpoint, no url", "POST", "/webhookEndpoints", `{"enabledEvents":["whatsapp.message.updated"]}`, 400, "url"},
		{"list endpoints", "GET", "/webhookEndpoints", "", 200, ""},
		{"list endpoints, page 2 with total", "GET", "/webhookEndpoints?page=2&limit=1&includeTotal=true", "", 200, ""},
		{"list endpoints, limit too big", "GET", "/webhookEndpoints?limit=101", "", 400, "limit"},
		{"retrieve endpoint", "GET", "/webhookEndpoints/" + hookID, "", 200, ""},
		{"retrieve unknown endpoint", "GET", "/webhookEndpoints/wh000", "", 404, ""},
		{"update endpoint", "PATCH", "/webhookEndpoints/" + hookID, `{"description":"new","enabledEvents":["whatsapp.message.updated","whatsapp.inbound_message.received"]}`, 200, ""},
		{"update endpoint, bad status", "PATCH", "/webhookEndpoints/" + hookID, `{"status":"paused"}`, 400, "status"},
		{"update unknown endpoint", "PATCH", "/webhookEndpoints/wh000", `{"description":"x"}`, 404, ""},
		{"rotate secret", "POST", "/webhookEndpoints/" + hookID + "/rotateSecret", "", 200, ""},
		{"delete endpoint", "DELETE", "/webhookEndpoints/" + other, "", 200, ""},
		{"delete unknown endpoint", "DELETE", "/webhookEndpoints/" + other, "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := call(t, s, tt.method, base+tt.path, tt.body)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.want, rec.Body.String())
			}
			testSpec.CheckResponse(t, tt.method, base+tt.path, rec)
			checkRequestID(t, rec)
			if tt.want == 400 {
				var e struct{ Error struct{ Target string } }
				_ = json.Unmarshal(rec.Body.Bytes(), &e)
				if e.Error.Target != tt.target {
					t.Errorf("target %q, want %q (body %s)", e.Error.Target, tt.target, rec.Body.String())
				}
			}
		})
	}
	t.Run("body too large", func(t *testing.T) {
		rec := call(t, s, "POST", base+"/whatsapp/messages", textBody("+16315550102", strings.Repeat("r", 5000)))
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"target":"body"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		testSpec.CheckResponse(t, "POST", base+"/whatsapp/messages", rec)
	})
	t.Run("method not allowed", func(t *testing.T) {
		rec := call(t, s, "DELETE", base+"/whatsapp/messages", "")
		if rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
			t.Errorf("%d Allow %q", rec.Code, rec.Header().Get("Allow"))
		}
		rec = call(t, s, "GET", base+"/whatsapp/messages/sendDirectly", "")
		if rec.Code != 405 {
			t.Errorf("GET sendDirectly: %d", rec.Code)
		}
	})
	t.Run("unauthorized", func(t *testing.T) {
		for _, p := range []struct{ method, path string }{{"POST", "/whatsapp/messages"}, {"GET", "/whatsapp/messages/" + id},
			{"GET", "/webhookEndpoints"}, {"POST", "/whatsapp/inboundMessages/" + inbound + "/markAsRead"}} {
			for _, key := range []string{"", "wrong", sim.DefaultAPIKey + "x"} {
				req, _ := http.NewRequest(p.method, base+p.path, strings.NewReader(textBody("+16315550102", "")))
				req.Header.Set("Content-Type", "application/json")
				if key != "" {
					req.Header.Set("X-API-Key", key)
				}
				rec := simtest.Serve(s, req)
				if rec.Code != 401 || !strings.Contains(rec.Body.String(), `"code":"UNAUTHORIZED"`) {
					t.Fatalf("%s %s key %q: %d %s", p.method, p.path, key, rec.Code, rec.Body.String())
				}
				testSpec.CheckResponse(t, p.method, base+p.path, rec)
			}
		}
	})
}

// checkRequestID asserts YCloud-Request-ID is set and an error body's
// requestId repeats it.
func checkRequestID(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	rid := rec.Header().Get("YCloud-Request-ID")
	if !strings.HasPrefix(rid, "req_") {
		t.Errorf("YCloud-Request-ID %q", rid)
	}
	var e struct{ Error *struct{ RequestID string } }
	if json.Unmarshal(rec.Body.Bytes(), &e) == nil && e.Error != nil && e.Error.RequestID != rid {
		t.Errorf("error.requestId %q, header %q", e.Error.RequestID, rid)
	}
}
