package ycloud

import (
	"net/http"
	"net/url"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Operation ids of the webhook endpoint operations besides create and
// delete.
const (
	OpWebhookList   = "webhook_endpoint-list"
	OpWebhookGet    = "webhook_endpoint-retrieve"
	OpWebhookUpdate = "webhook_endpoint-update"
	OpWebhookRotate = "webhook_endpoint-rotate-secret"
)

// UnknownEndpointID is a well-formed webhook endpoint id nobody created.
const UnknownEndpointID = "wh000000000000000000000000"

// exampleHookURL is the URL of the endpoint an example create asks for:
// a loopback port nobody listens on, for events nobody sends in a run
// (a template review), so that a leftover endpoint posts nothing anywhere.
const exampleHookURL = "http://127.0.0.1:9/wabcheck-example"

var _ dialect.Exemplar = (*Dialect)(nil)

// ExampleRequest implements dialect.Exemplar: a well-formed request of the
// operations named by their path template, which the steps cannot match to
// a capability's concrete path: retrieve and markAsRead (of ids.Message),
// sendDirectly (a text to ids.To) and the webhook endpoint operations (on UnknownEndpointID; a create asks for an
// endpoint at a loopback port for template reviews only).
func (d *Dialect) ExampleRequest(operation string, ids dialect.ExampleIDs) (dialect.Request, bool) {
	path := PathWebhooks + "/" + url.PathEscape(UnknownEndpointID)
	switch operation {
	case http.MethodPost + " " + PathSendDirectly:
		var r dialect.Request
		err := d.SendRequest(&r, &dialect.Message{To: ids.To, Text: "wabcheck example", Via: ViaDirect})
		return r, err == nil
	case http.MethodGet + " " + PathMessages + "/{id}":
		return d.RetrieveRequest(ids.Message), true
	case http.MethodPost + " " + PathInbound + "{id}/markAsRead":
		return d.MarkReadRequest(ids.Message), true
	case http.MethodPost + " " + PathWebhooks:
		return dialect.Request{Operation: OpWebhookCreate, Method: http.MethodPost, Path: PathWebhooks, ContentType: jsonType,
			Body: []byte(`{"url":"` + exampleHookURL + `","enabledEvents":["whatsapp.template.reviewed"],"status":"disabled"}`)}, true
	case http.MethodGet + " " + PathWebhooks:
		return dialect.Request{Operation: OpWebhookList, Method: http.MethodGet, Path: PathWebhooks}, true
	case http.MethodGet + " " + PathWebhooks + "/{id}":
		return dialect.Request{Operation: OpWebhookGet, Method: http.MethodGet, Path: path}, true
	case http.MethodPatch + " " + PathWebhooks + "/{id}":
		return dialect.Request{Operation: OpWebhookUpdate, Method: http.MethodPatch, Path: path, ContentType: jsonType,
			Body: []byte(`{"description":"wabcheck example"}`)}, true
	case http.MethodDelete + " " + PathWebhooks + "/{id}":
		return DeleteWebhookRequest(UnknownEndpointID), true
	case http.MethodPost + " " + PathWebhooks + "/{id}/rotateSecret":
		return dialect.Request{Operation: OpWebhookRotate, Method: http.MethodPost, Path: path + "/rotateSecret"}, true
	}
	return dialect.Request{}, false
}
