package harness

import (
	"context"
	"fmt"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/redact"
)

// pointCallbacks points a real vendor's callbacks at the receiver: through
// its API when the dialect registers webhooks and Register allows it, else
// it only names the URLs for the user to configure by hand.
func (h *Harness) pointCallbacks(ctx context.Context, o Options, base string) error {
	reg, ok := o.Dialect.(dialect.WebhookRegistrar)
	if ok && shouldRegister(o, reg) {
		return h.register(ctx, reg, base, o.WebhookSecret)
	}
	h.CallbackURLs = redactAll(KindURLs(o.Dialect, base))
	return nil
}

// shouldRegister applies the Register policy.
func shouldRegister(o Options, reg dialect.WebhookRegistrar) bool {
	switch o.Register {
	case RegisterYes:
		return true
	case RegisterNo:
		return false
	}
	return o.WebhookSecret == "" && !reg.ReplacesWebhook()
}

// register registers base through the vendor's API, takes the signing
// secret from the answer (unless the user gave one) and undoes the
// registration when the harness closes.
//
// A registration the target answers with a server error (5XX) is the
// target's failure, not a configuration problem: it is recorded as a
// harness error (the run fails, exit 1, naming it) and the run goes on
// without a webhook. Any other failure (refused credentials, a bad URL)
// is returned.
func (h *Harness) register(ctx context.Context, reg dialect.WebhookRegistrar, base, secret string) error {
	before := h.exchangeCount()
	wh, err := reg.RegisterWebhook(ctx, h.doer(), base)
	if err != nil {
		err = fmt.Errorf("registering the callback receiver %s with the vendor: %w", redact.URL(base), redact.Error(err))
		if !h.serverErrorSince(before) {
			return err
		}
		h.mu.Lock()
		h.failed = append(h.failed, err)
		h.mu.Unlock()
		return nil
	}
	h.Webhook, h.WebhookURL = wh, base
	if wh.Undo != nil {
		h.closers = append(h.closers, func(ctx context.Context) error {
			if err := wh.Undo(ctx); err != nil {
				return fmt.Errorf("undoing the webhook registration (%s): %w", wh.Description, redact.Error(err))
			}
			return nil
		})
	}
	if secret == "" {
		secret = wh.Secret
	}
	if h.Receiver != nil && secret != "" {
		// A registration that issues no secret (the on-premises client's
		// webhook URL setting) keeps the one the receiver has: the
		// simulator's, which signs the Cloud API envelope with it.
		h.Receiver.SetSecret(secret)
	}
	h.CallbackURLs = map[string]string{"webhook": redact.URL(base)}
	return nil
}

// KindURLs is the URL of each callback kind under base: its own path for
// a vendor that posts each kind to a URL of its own, else base itself.
func KindURLs(d dialect.Dialect, base string) map[string]string {
	out := map[string]string{}
	for _, k := range d.Callbacks().Kinds() {
		out[k.Name] = base + k.Path
	}
	return out
}

func redactAll(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = redact.URL(v)
	}
	return out
}

// exchangeCount is how many set-up requests the harness has made.
func (h *Harness) exchangeCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.Exchanges)
}

// serverErrorSince reports whether a set-up request after the first n was
// answered with a 5XX.
func (h *Harness) serverErrorSince(n int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, x := range h.Exchanges[n:] {
		if x.Status >= 500 {
			return true
		}
	}
	return false
}
