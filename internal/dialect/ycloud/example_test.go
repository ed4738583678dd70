package ycloud

import (
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Every example request is the operation it is named for and valid
// against the spec; other names have none.
func TestExampleRequestsAreValid(t *testing.T) {
	d := New()
	ids := dialect.ExampleIDs{Message: "0123456789abcdef0123456789abcdef", To: SimRecipient}
	for _, op := range []string{"GET /whatsapp/messages/{id}", "POST /whatsapp/inboundMessages/{id}/markAsRead", "POST /whatsapp/messages/sendDirectly", "POST /webhookEndpoints", "GET /webhookEndpoints",
		"GET /webhookEndpoints/{id}", "PATCH /webhookEndpoints/{id}", "DELETE /webhookEndpoints/{id}", "POST /webhookEndpoints/{id}/rotateSecret"} {
		r, ok := d.ExampleRequest(op, ids)
		if !ok {
			t.Errorf("%s: no example", op)
			continue
		}
		checkRequest(t, r)
	}
	if _, ok := d.ExampleRequest("GET /balance", ids); ok {
		t.Error("an example of an operation the dialect does not drive")
	}
}
