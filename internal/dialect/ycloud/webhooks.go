package ycloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/jsonw"
)

// WebhookRequest is the POST /webhookEndpoints request that points the
// events the harness checks (EventTypes) at callbackURL.
func WebhookRequest(callbackURL string) dialect.Request {
	b := append(make([]byte, 0, 128+len(callbackURL)), `{"url":`...)
	b = jsonw.AppendString(b, callbackURL)
	b = append(b, `,"enabledEvents":[`...)
	for i, e := range EventTypes() {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, e)
	}
	b = append(b, `],"description":"wabcheck conformance run"}`...)
	return dialect.Request{Operation: OpWebhookCreate, Method: http.MethodPost, Path: PathWebhooks, ContentType: jsonType, Body: b}
}

// DeleteWebhookRequest is DELETE /webhookEndpoints/{id}.
func DeleteWebhookRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpWebhookDelete, Method: http.MethodDelete, Path: PathWebhooks + "/" + url.PathEscape(id)}
}

// RegisterWebhook implements dialect.WebhookRegistrar: it creates a
// webhook endpoint for EventTypes at callbackURL and returns its signing
// secret (from the create answer, the only one that carries it) and an
// Undo that deletes the endpoint.
func (*Dialect) RegisterWebhook(ctx context.Context, do dialect.Doer, callbackURL string) (dialect.Webhook, error) {
	a, err := do.Do(ctx, WebhookRequest(callbackURL))
	if err != nil {
		return dialect.Webhook{}, fmt.Errorf("ycloud: register the webhook endpoint: %w", err)
	}
	if a.Status/100 != 2 {
		return dialect.Webhook{}, fmt.Errorf("ycloud: register the webhook endpoint: answer %d%s", a.Status, errorSuffix(a.Body))
	}
	var ep struct {
		ID            string   `json:"id"`
		Secret        string   `json:"secret"`
		EnabledEvents []string `json:"enabledEvents"`
	}
	if err := json.Unmarshal(a.Body, &ep); err != nil {
		return dialect.Webhook{}, fmt.Errorf("ycloud: register the webhook endpoint: the answer is not a JSON object: %w", err)
	}
	if ep.ID == "" || ep.Secret == "" {
		return dialect.Webhook{}, errors.New("ycloud: register the webhook endpoint: the answer lacks the endpoint's id or secret")
	}
	events := ep.EnabledEvents
	if len(events) == 0 {
		events = EventTypes()
	}
	id := ep.ID
	return dialect.Webhook{
		Secret:      ep.Secret,
		Description: fmt.Sprintf("webhook endpoint %s for %d events (%s)", id, len(events), strings.Join(events, ", ")),
		Undo:        func(ctx context.Context) error { return deleteWebhook(ctx, do, id) },
	}, nil
}

// deleteWebhook deletes endpoint id; 404 means it is gone already.
func deleteWebhook(ctx context.Context, do dialect.Doer, id string) error {
	a, err := do.Do(ctx, DeleteWebhookRequest(id))
	if err != nil {
		return fmt.Errorf("ycloud: delete webhook endpoint %s: %w", id, err)
	}
	if a.Status/100 != 2 && a.Status != http.StatusNotFound {
		return fmt.Errorf("ycloud: delete webhook endpoint %s: answer %d%s", id, a.Status, errorSuffix(a.Body))
	}
	return nil
}

// ReplacesWebhook implements dialect.WebhookRegistrar: registering adds an
// endpoint beside the account's others (Undo deletes it).
func (*Dialect) ReplacesWebhook() bool { return false }
