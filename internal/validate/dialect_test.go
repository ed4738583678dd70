package validate

import (
	"net/http"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

const hookSpec = `openapi: 3.0.3
info: {title: hooks, version: "1"}
servers: [{url: "https://api.example/v2"}]
paths:
  /webhookEndpoints:
    post:
      operationId: createEndpoint
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {url: {type: string}}}
      responses:
        "200": {description: ok}
      callbacks:
        whatsapp.message.updated:
          '{$request.body#/url}':
            post:
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      required: [id, type]
                      properties:
                        id: {type: string}
                        type: {type: string, enum: [whatsapp.message.updated]}
              responses:
                "200": {description: ok}
`

// A callback whose expression names neither "status" nor "reply" is found
// by the name the dialect gives, and validated (it was silently never
// validated when kinds were guessed from the expression's words).
func TestCallbackNamedByDialectIsValidated(t *testing.T) {
	v := inlineWith(t, hookSpec, Callbacks([]dialect.CallbackKind{{Name: "updated", SpecCallback: "whatsapp.message.updated"}}))
	if !v.HasCallback("updated") {
		t.Fatal("the callback named by the dialect was not compiled")
	}
	js := http.Header{"Content-Type": {"application/json"}}
	if fs := v.Callback("updated", js, []byte(`{"id":"evt_1","type":"whatsapp.message.updated"}`)); len(fs) != 0 {
		t.Errorf("valid event: %s", joinFindings(fs))
	}
	if fs := v.Callback("updated", js, []byte(`{"type":"nope"}`)); len(fs) == 0 {
		t.Error("an event missing id with a bad type passed")
	}
	if v.HasCallback("status") {
		t.Error("a kind the dialect did not name was compiled")
	}
}

// The target URL's own path is the base path: a vendor serving the API
// under another prefix than the spec's server URL is still routed.
func TestWithBaseRoutesUnderTheTargetsPath(t *testing.T) {
	v := inlineWith(t, hookSpec)
	if _, ok := v.OperationID("POST", "/v2/webhookEndpoints"); !ok {
		t.Fatal("spec base path not routed")
	}
	w := v.WithBase("/gateway/ycloud/")
	if id, ok := w.OperationID("POST", "/gateway/ycloud/webhookEndpoints?x=1"); !ok || id != "createEndpoint" {
		t.Errorf("rebased: got %q %v", id, ok)
	}
	if w.BasePath() != "/gateway/ycloud" || v.BasePath() != "/v2" {
		t.Errorf("bases: %q %q", w.BasePath(), v.BasePath())
	}
}
