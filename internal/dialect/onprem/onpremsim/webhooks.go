package onpremsim

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// Batching defaults: at most 50 events per POST, posted at the latest
// 50 ms after the first (Config.BatchMax, Config.BatchWindow override).
const (
	defaultBatchMax    = 50
	defaultBatchWindow = 50 * time.Millisecond
)

// wrongSecret signs cloud webhooks under the webhook-bad-signature fault.
const wrongSecret = "wabcheck-not-the-app-secret"

// StatusCallbacks implements sim.Wire: one statuses[] item for the
// webhook URL. None for messages the business received (its own reads
// are not notified), for sent while sent_status is off, or when no
// webhook URL is set.
func (a *api) StatusCallbacks(m *sim.Message, st string) []dispatch.Delivery {
	url := a.webhookURL()
	if m.Inbound || url == "" || (st == onprem.Sent && !a.settings.SentStatus()) {
		return nil
	}
	item, _ := json.Marshal(a.statusItem(m, st))
	return []dispatch.Delivery{a.delivery(a.FormatID(m.ID), url, onprem.Batch{Statuses: []json.RawMessage{item}})}
}

// statusItem is the Webhook-Status of m reaching st, with the wire's
// item faults.
func (a *api) statusItem(m *sim.Message, st string) onprem.StatusItem {
	it := onprem.StatusItem{ID: a.FormatID(m.ID), Status: st, Timestamp: strconv.FormatInt(a.s.Now().Unix(), 10),
		RecipientID: recipientID(m)}
	switch st {
	case onprem.Sent, onprem.Delivered:
		it.Conversation = &onprem.Conversation{ID: hex.EncodeToString(m.ID[:]), Origin: &onprem.Origin{Type: "business_initiated"},
			ExpirationTimestamp: strconv.FormatInt(m.Created+24*3600, 10)}
		it.Pricing = &onprem.Pricing{Billable: true, PricingModel: "CBP", Category: "business_initiated"}
	case onprem.Failed:
		if !a.s.Hit(a.f.failedNoErrors) {
			it.Errors = []onprem.APIError{failureError(a.s.State(m).Walk)}
		}
	}
	if a.s.Hit(a.f.wrongRecipient) {
		it.RecipientID = otherNumber(it.RecipientID)
	}
	if a.s.Hit(a.f.unknownStatus) {
		it.Status = "seen"
	}
	if a.s.Hit(a.f.malformedItem) {
		it.Timestamp, it.RecipientID = "", ""
	}
	return it
}

// otherNumber is a WhatsApp id that differs from id in its last digit.
func otherNumber(id string) string {
	if id == "" {
		return "10000000000"
	}
	last := id[len(id)-1]
	return id[:len(id)-1] + string(rune('0'+(last-'0'+1)%10))
}

// delivery makes a webhook POST of b: final (enveloped and signed) unless
// deliveries are batched, when Merge finishes them.
func (a *api) delivery(key, url string, b onprem.Batch) dispatch.Delivery {
	body, _ := json.Marshal(b)
	del := dispatch.Delivery{Key: key, URL: url, Body: body, Kind: a.o.format}
	if !a.batching {
		a.finish(&del, b, false)
	}
	return del
}

// finish writes the final body of batch b (the Cloud envelope in cloud
// format; truncated when a part was malformed) and sets the signature.
func (a *api) finish(del *dispatch.Delivery, b onprem.Batch, truncate bool) {
	if a.o.format == onprem.KindCloud {
		md := onprem.CloudMetadata{DisplayPhoneNumber: a.business, PhoneNumberID: simPhoneNumberID}
		del.Body, _ = json.Marshal(onprem.Envelope(b, simWABAID, md))
	} else {
		del.Body, _ = json.Marshal(b)
	}
	if truncate {
		del.Body = del.Body[:len(del.Body)/2]
	}
	del.Sign = a.signer()
}

// signer signs cloud webhooks at each attempt (nil for the unsigned
// on-premises format, and under the webhook-unsigned fault).
func (a *api) signer() func([]byte, time.Time) (string, string) {
	if a.o.format != onprem.KindCloud || a.s.Hit(a.f.unsigned) {
		return nil
	}
	secret := a.o.secret
	if a.s.Hit(a.f.badSignature) {
		secret = wrongSecret
	}
	return func(body []byte, _ time.Time) (string, string) {
		return onprem.SignatureHeader, onprem.Sign(body, secret)
	}
}

// BatchKey implements sim.Batcher: every delivery to the same URL joins
// one batch.
func (a *api) BatchKey(del dispatch.Delivery) string { return del.URL }

// Merge implements sim.Batcher: one POST of the items of dels, in order.
// A delivery whose body no longer parses (callback-malformed-body) makes
// the whole batch's body truncated, invalid JSON.
func (a *api) Merge(dels []dispatch.Delivery) dispatch.Delivery {
	var all onprem.Batch
	broken := false
	key := dels[0].Key
	for _, d := range dels {
		var b onprem.Batch
		if err := json.Unmarshal(d.Body, &b); err != nil {
			broken = true
		}
		all.Append(b)
		if d.Key != key {
			key = "" // several messages: no per-message order to keep
		}
	}
	out := dispatch.Delivery{Key: key, URL: dels[0].URL, Kind: a.o.format}
	a.finish(&out, all, broken)
	return out
}

// DefaultBatch implements sim.Batcher.
func (*api) DefaultBatch() (int, time.Duration) { return defaultBatchMax, defaultBatchWindow }
