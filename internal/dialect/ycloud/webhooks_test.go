package ycloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

const createdEndpoint = `{"id":"wh627c8640675de8fc689ab9d9","url":"https://hooks.example/ycloud","enabledEvents":["whatsapp.message.updated","whatsapp.inbound_message.received"],
"status":"active","secret":"` + testSecret + `","createTime":"2022-06-01T12:00:00.000Z"}`

// RegisterWebhook creates an endpoint for both event types with a request
// valid against the spec, keeps the secret from the answer, describes the
// registration without it, and Undo deletes the endpoint.
func TestRegisterWebhook(t *testing.T) {
	do := &fakeDoer{answers: []dialect.Answer{{Status: 200, Body: []byte(createdEndpoint)}, {Status: 200, Body: []byte(`{"id":"wh627c8640675de8fc689ab9d9"}`)}}}
	wh, err := New().RegisterWebhook(context.Background(), do, "https://hooks.example/ycloud")
	if err != nil {
		t.Fatal(err)
	}
	if wh.Secret != testSecret {
		t.Errorf("secret %q", wh.Secret)
	}
	if strings.Contains(wh.Description, testSecret) || !strings.Contains(wh.Description, "wh627c8640675de8fc689ab9d9") {
		t.Errorf("description %q", wh.Description)
	}
	create := do.got[0]
	checkRequest(t, create)
	var body struct {
		URL           string   `json:"url"`
		EnabledEvents []string `json:"enabledEvents"`
	}
	if err := json.Unmarshal(create.Body, &body); err != nil || body.URL != "https://hooks.example/ycloud" ||
		strings.Join(body.EnabledEvents, ",") != EventMessageUpdated+","+EventInboundReceived {
		t.Errorf("create body %s", create.Body)
	}
	if err := wh.Undo(context.Background()); err != nil {
		t.Fatal(err)
	}
	del := do.got[1]
	if del.Method != http.MethodDelete || del.Path != "/webhookEndpoints/wh627c8640675de8fc689ab9d9" || del.Operation != OpWebhookDelete {
		t.Errorf("undo request %+v", del)
	}
	checkRequest(t, del)
}

func TestRegisterWebhookFailures(t *testing.T) {
	for _, tt := range []struct {
		name string
		do   *fakeDoer
		want string
	}{
		{"transport", &fakeDoer{err: errors.New("connection refused")}, "connection refused"},
		{"refused", &fakeDoer{answers: []dialect.Answer{{Status: 400, Body: []byte(`{"error":{"status":400,"code":"BAD_REQUEST","message":"at most 20 endpoints","target":"url"}}`)}}}, "400: BAD_REQUEST at most 20 endpoints (target url)"},
		{"no secret", &fakeDoer{answers: []dialect.Answer{{Status: 200, Body: []byte(`{"id":"wh1"}`)}}}, "secret"},
		{"not JSON", &fakeDoer{answers: []dialect.Answer{{Status: 200, Body: []byte(`ok`)}}}, "not a JSON object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().RegisterWebhook(context.Background(), tt.do, "https://hooks.example/y")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// Undo: an endpoint already gone is fine; another failure is reported.
	for _, tt := range []struct {
		status int
		ok     bool
	}{{404, true}, {500, false}} {
		do := &fakeDoer{answers: []dialect.Answer{{Status: 200, Body: []byte(createdEndpoint)}, {Status: tt.status}}}
		wh, err := New().RegisterWebhook(context.Background(), do, "https://hooks.example/y")
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Undo(context.Background()); (err == nil) != tt.ok {
			t.Errorf("undo answered %d: %v", tt.status, err)
		}
	}
}
