package ycloud

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Every send the dialect builds is valid against the spec, goes to the
// route Via picks, and carries from, to, type, the content and externalId.
func TestSendRequestsAreValid(t *testing.T) {
	tpl := &dialect.Template{Name: "order_update", Language: "en_US", Params: []string{"A-1", "Tuesday"}}
	tests := []struct {
		name string
		m    dialect.Message
		op   string
		want map[string]any // top-level fields of the body
	}{
		{"text", dialect.Message{To: "+16315550101", Text: "hi <there> & \"you\""}, OpSend,
			map[string]any{"from": SimSender, "to": "+16315550101", "type": "text"}},
		{"text with reference and sender", dialect.Message{To: "+16315550101", From: "+16315550000", Reference: "ord-7", Kind: dialect.KindText, Text: "hi"}, OpSend,
			map[string]any{"from": "+16315550000", "externalId": "ord-7"}},
		{"direct", dialect.Message{To: "+16315550101", Text: "otp 123", Via: ViaDirect}, OpSendDirectly, map[string]any{"type": "text"}},
		{"template", dialect.Message{To: "+16315550101", Kind: dialect.KindTemplate, Template: tpl}, OpSend, map[string]any{"type": "template"}},
		{"template without params", dialect.Message{To: "+16315550101", Kind: dialect.KindTemplate,
			Template: &dialect.Template{Name: "hello_world", Language: "en"}}, OpSend, map[string]any{"type": "template"}},
		{"image", dialect.Message{To: "+16315550101", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "image", URL: "https://example.com/a.png", Caption: "a"}}, OpSend, map[string]any{"type": "image"}},
		{"document", dialect.Message{To: "+16315550101", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "document", URL: "https://example.com/a.pdf", Caption: "c"}}, OpSend, map[string]any{"type": "document"}},
		{"video", dialect.Message{To: "+16315550101", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "video", URL: "https://example.com/a.mp4"}}, OpSend, map[string]any{"type": "video"}},
		{"audio drops the caption", dialect.Message{To: "+16315550101", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "audio", URL: "https://example.com/a.ogg", Caption: "x"}}, OpSend, map[string]any{"type": "audio"}},
		{"sticker", dialect.Message{To: "+16315550101", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "sticker", URL: "https://example.com/a.webp"}}, OpSend, map[string]any{"type": "sticker"}},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r dialect.Request
			if err := d.SendRequest(&r, &tt.m); err != nil {
				t.Fatal(err)
			}
			if r.Operation != tt.op {
				t.Errorf("operation %s, want %s", r.Operation, tt.op)
			}
			checkRequest(t, r)
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("body %s: %v", r.Body, err)
			}
			for k, v := range tt.want {
				if body[k] != v {
					t.Errorf("%s = %v, want %v (body %s)", k, body[k], v, r.Body)
				}
			}
			if _, ok := body["externalId"]; ok != (tt.m.Reference != "") {
				t.Errorf("externalId present %v, reference %q", ok, tt.m.Reference)
			}
		})
	}
}

// The parts of each kind of send, as the spec names them.
func TestSendBodies(t *testing.T) {
	d := New()
	build := func(m dialect.Message) string {
		var r dialect.Request
		if err := d.SendRequest(&r, &m); err != nil {
			t.Fatal(err)
		}
		return string(r.Body)
	}
	tpl := build(dialect.Message{To: "+1", Kind: dialect.KindTemplate, Template: &dialect.Template{Name: "n", Language: "en", Params: []string{"p1", "p2"}}})
	if want := `"template":{"name":"n","language":{"code":"en","policy":"deterministic"},"components":[{"type":"body","parameters":[{"type":"text","text":"p1"},{"type":"text","text":"p2"}]}]}`; !strings.Contains(tpl, want) {
		t.Errorf("template body %s lacks %s", tpl, want)
	}
	audio := build(dialect.Message{To: "+1", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "audio", URL: "https://x/a", Caption: "c"}})
	if want := `"type":"audio","audio":{"link":"https://x/a"}`; !strings.Contains(audio, want) {
		t.Errorf("audio body %s lacks %s", audio, want)
	}
	text := build(dialect.Message{To: "+1", Text: `a"b`})
	if want := `{"from":"+16315551111","to":"+1","type":"text","text":{"body":"a\"b"}}`; text != want {
		t.Errorf("text body %s, want %s", text, want)
	}
}

// Bad messages are refused with a reason, not built.
func TestSendRequestRefuses(t *testing.T) {
	d := New()
	for _, tt := range []struct {
		name, want string
		m          dialect.Message
	}{
		{"unknown route", "send route", dialect.Message{To: "+1", Via: "batch"}},
		{"unknown kind", "message kind", dialect.Message{To: "+1", Kind: "poll"}},
		{"template without template", "template", dialect.Message{To: "+1", Kind: dialect.KindTemplate}},
		{"media without URL", "link", dialect.Message{To: "+1", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "image", ID: "m1"}}},
		{"media of unknown type", "media type", dialect.Message{To: "+1", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "gif", URL: "https://x"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r dialect.Request
			err := d.SendRequest(&r, &tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// SendRequest appends into the caller's buffer: no allocation once it is
// large enough (load generation reuses it).
func TestSendRequestReusesTheBuffer(t *testing.T) {
	d := New()
	m := &dialect.Message{To: "+16315550101", Text: "hello", Reference: "r-1"}
	r := dialect.Request{Body: make([]byte, 0, 256)}
	allocs := testing.AllocsPerRun(100, func() {
		if err := d.SendRequest(&r, m); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per send, want 0", allocs)
	}
}

func TestReadSend(t *testing.T) {
	d := New()
	ok := dialect.Answer{Status: 200, Body: []byte(`{"id":"63f5d602367ea403f8175a6c","wabaId":"w","from":"+1","to":"+16315550101","status":"accepted"}`)}
	acc, err := d.ReadSend(ok)
	if err != nil || acc.ID != "63f5d602367ea403f8175a6c" || acc.Status != Accepted || acc.To != "+16315550101" {
		t.Errorf("ReadSend = %+v, %v", acc, err)
	}
	for _, tt := range []struct {
		name string
		a    dialect.Answer
		want string
	}{
		{"no id", dialect.Answer{Status: 200, Body: []byte(`{"status":"accepted"}`)}, "no id"},
		{"not JSON", dialect.Answer{Status: 200, Body: []byte(`<html>`)}, "not a JSON object"},
		{"refused", dialect.Answer{Status: 400, Body: []byte(`{"error":{"status":400,"code":"INVALID_ARGUMENT","message":"bad number","target":"to"}}`)},
			"400: INVALID_ARGUMENT bad number (target to)"},
		{"rate limited", dialect.Answer{Status: 429}, "not accepted (429)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := d.ReadSend(tt.a); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRetrieveAndMarkRead(t *testing.T) {
	d := New()
	r := d.RetrieveRequest("63f5d602367ea403f8175a6c")
	if r.Method != http.MethodGet || r.Path != "/whatsapp/messages/63f5d602367ea403f8175a6c" {
		t.Errorf("retrieve request %+v", r)
	}
	checkRequest(t, r)
	if p := d.RetrieveRequest("a/b").Path; p != "/whatsapp/messages/a%2Fb" {
		t.Errorf("an id with a slash is not escaped: %s", p)
	}
	got, err := d.ReadRetrieve(dialect.Answer{Status: 200, Body: []byte(
		`{"id":"m1","wabaId":"w","from":"+1","to":"+2","externalId":"ref","status":"delivered","text":{"body":"hi"}}`)})
	if err != nil || got != (dialect.Retrieved{ID: "m1", To: "+2", Reference: "ref", Status: Delivered, Text: "hi"}) {
		t.Errorf("ReadRetrieve = %+v, %v", got, err)
	}
	if _, err := d.ReadRetrieve(dialect.Answer{Status: 404, Body: []byte(`{"error":{"status":404,"code":"NOT_FOUND"}}`)}); err == nil || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Errorf("404: %v", err)
	}
	mr := d.MarkReadRequest("wamid.HBgL/x==")
	if mr.Method != http.MethodPost || mr.Path != "/whatsapp/inboundMessages/wamid.HBgL%2Fx==/markAsRead" || mr.Body != nil {
		t.Errorf("mark-read request %+v", mr)
	}
	checkRequest(t, d.MarkReadRequest("627c8640675de8fc689ab9d9"))
}
