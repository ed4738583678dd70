package validate

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	modicadialect "github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
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

// Callback kinds are never guessed (issue 8): New without an option naming
// them is an error, and the Modica spec, whose callback expressions say
// "status" and "reply", compiles no kind its caller did not name.
func TestNewNeverGuessesCallbackKinds(t *testing.T) {
	doc := modicaspec.MustDoc()
	if _, err := New(doc); !errors.Is(err, ErrNoCallbackKinds) {
		t.Fatalf("New without callback kinds: got %v, want ErrNoCallbackKinds", err)
	}
	v, err := New(doc, Callbacks(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.CallbackKinds(); len(got) != 0 || v.HasCallback(kindStatus) || v.HasCallback(kindReply) {
		t.Errorf("no kinds named, yet compiled %q", got)
	}
	js := http.Header{"Content-Type": {"application/json"}}
	if fs := v.Callback(kindStatus, js, []byte(goodDLR)); len(fs) != 1 || fs[0].Code != CodeCallbackUndeclared {
		t.Errorf("a kind not named: got %v, want one %s", fs, CodeCallbackUndeclared)
	}
	v, err = New(doc, Dialect(modicadialect.New()))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.CallbackKinds(); strings.Join(got, ",") != "status,reply" {
		t.Errorf("Dialect(modica): kinds %q, want status,reply", got)
	}
}

// The target URL's own path is the base path: a vendor serving the API
// under another prefix than the spec's server URL is still routed.
func TestWithBaseRoutesUnderTheTargetsPath(t *testing.T) {
	v := inlineWith(t, hookSpec, Callbacks(nil))
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
