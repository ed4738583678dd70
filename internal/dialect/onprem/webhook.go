package onprem

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/redact"
)

// SettingsRequest is GET /settings/application.
func (*Dialect) SettingsRequest() dialect.Request {
	return dialect.Request{Operation: OpGetSettings, Method: http.MethodGet, Path: "/settings/application"}
}

// WebhookURLRequest is PATCH /settings/application {webhooks: {url}}
// ("" clears it).
func (*Dialect) WebhookURLRequest(url string) dialect.Request {
	b := jsonw.AppendString(append(make([]byte, 0, 32+len(url)), `{"webhooks":{"url":`...), url)
	return dialect.Request{Operation: OpSetSettings, Method: http.MethodPatch, Path: "/settings/application",
		ContentType: jsonType, Body: append(b, "}}"...)}
}

// ReadWebhookURL reads webhooks.url from a GET /settings/application
// answer {settings: {application: {webhooks: {url}}}} ("" when none is
// set).
func ReadWebhookURL(a dialect.Answer) (string, error) {
	if a.Status != http.StatusOK {
		return "", fmt.Errorf("reading the application settings failed (%d%s)", a.Status, errorSummary(a.Body))
	}
	var ans struct {
		Settings struct {
			Application struct {
				Webhooks struct {
					URL string `json:"url"`
				} `json:"webhooks"`
			} `json:"application"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return "", fmt.Errorf("the application settings are not a JSON object: %w", err)
	}
	return ans.Settings.Application.Webhooks.URL, nil
}

// RegisterWebhook implements dialect.WebhookRegistrar: it reads the
// webhook URL in force, sets url, and its Undo sets the old one back. The
// Cloud envelope's app secret is the user's (--app-secret), not the
// API's: Webhook.Secret stays "".
func (d *Dialect) RegisterWebhook(ctx context.Context, do dialect.Doer, url string) (dialect.Webhook, error) {
	a, err := do.Do(ctx, d.SettingsRequest())
	if err != nil {
		return dialect.Webhook{}, fmt.Errorf("onprem: reading the webhook URL: %w", err)
	}
	old, err := ReadWebhookURL(a)
	if err != nil {
		return dialect.Webhook{}, fmt.Errorf("onprem: %w", err)
	}
	if err := d.setWebhook(ctx, do, url); err != nil {
		return dialect.Webhook{}, err
	}
	was := "none"
	if old != "" {
		was = redact.URL(old)
	}
	return dialect.Webhook{
		Description: fmt.Sprintf("application webhook URL set to %s (was %s)", redact.URL(url), was),
		Undo:        func(ctx context.Context) error { return d.setWebhook(ctx, do, old) },
	}, nil
}

// setWebhook PATCHes the webhook URL and checks the answer is 200.
func (d *Dialect) setWebhook(ctx context.Context, do dialect.Doer, url string) error {
	a, err := do.Do(ctx, d.WebhookURLRequest(url))
	if err != nil {
		return fmt.Errorf("onprem: setting the webhook URL: %w", err)
	}
	if a.Status != http.StatusOK {
		return fmt.Errorf("onprem: setting the webhook URL failed (%d%s)", a.Status, errorSummary(a.Body))
	}
	return nil
}

// ReplacesWebhook implements dialect.WebhookRegistrar: the client has one
// webhook URL, which registering replaces (and Undo restores).
func (*Dialect) ReplacesWebhook() bool { return true }
