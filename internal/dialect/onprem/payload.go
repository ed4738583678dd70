package onprem

import "encoding/json"

// The webhook objects, as the spec (Webhook-Event and its items) and the
// Cloud API envelope (erratum A9) declare them; the simulator builds its
// POSTs from them.

// StatusItem is one statuses[] item (Webhook-Status). The spec requires
// timestamp and recipient_id; they are left out only when empty (a
// simulated defect).
type StatusItem struct {
	ID           string        `json:"id"`
	Status       string        `json:"status"`
	Timestamp    string        `json:"timestamp,omitempty"`
	RecipientID  string        `json:"recipient_id,omitempty"`
	Conversation *Conversation `json:"conversation,omitempty"`
	Pricing      *Pricing      `json:"pricing,omitempty"`
	Errors       []APIError    `json:"errors,omitempty"`
}

// Conversation is a status's conversation object (Webhook-Conversation).
type Conversation struct {
	ID                  string  `json:"id"`
	Origin              *Origin `json:"origin,omitempty"`
	ExpirationTimestamp string  `json:"expiration_timestamp,omitempty"`
}

// Origin is the type of conversation ("business_initiated").
type Origin struct {
	Type string `json:"type"`
}

// Pricing is a status's pricing object (Webhook-Pricing).
type Pricing struct {
	Billable     bool   `json:"billable"`
	PricingModel string `json:"pricing_model"`
	Category     string `json:"category"`
}

// WebhookContact is one contacts[] item of a batch (Webhook-Contact).
type WebhookContact struct {
	WAID    string   `json:"wa_id"`
	Profile *Profile `json:"profile,omitempty"`
}

// Profile is a contact's profile.
type Profile struct {
	Name string `json:"name,omitempty"`
}

// Batch is the on-premises webhook body (Webhook-Event): items of any
// kind, kept as raw JSON so batches merge without re-encoding.
type Batch struct {
	Contacts []json.RawMessage `json:"contacts,omitempty"`
	Messages []json.RawMessage `json:"messages,omitempty"`
	Statuses []json.RawMessage `json:"statuses,omitempty"`
	Errors   []json.RawMessage `json:"errors,omitempty"`
}

// Append adds o's items to b.
func (b *Batch) Append(o Batch) {
	b.Contacts = append(b.Contacts, o.Contacts...)
	b.Messages = append(b.Messages, o.Messages...)
	b.Statuses = append(b.Statuses, o.Statuses...)
	b.Errors = append(b.Errors, o.Errors...)
}

// Len is the number of events b carries (statuses, messages, errors).
func (b Batch) Len() int { return len(b.Statuses) + len(b.Messages) + len(b.Errors) }

// CloudObject is the Cloud API envelope's object value.
const CloudObject = "whatsapp_business_account"

// CloudEvent is the Cloud API webhook envelope (Cloud-Webhook-Event).
type CloudEvent struct {
	Object string       `json:"object"`
	Entry  []CloudEntry `json:"entry"`
}

// CloudEntry is one entry: a WhatsApp Business Account and its changes.
type CloudEntry struct {
	ID      string        `json:"id"`
	Changes []CloudChange `json:"changes"`
}

// CloudChange is one change; only the messages field is modelled.
type CloudChange struct {
	Field string     `json:"field"`
	Value CloudValue `json:"value"`
}

// CloudValue is a change's value: the on-premises objects plus the
// product and the business number.
type CloudValue struct {
	MessagingProduct string        `json:"messaging_product"`
	Metadata         CloudMetadata `json:"metadata"`
	Batch
}

// CloudMetadata names the business number a change is for.
type CloudMetadata struct {
	DisplayPhoneNumber string `json:"display_phone_number"`
	PhoneNumberID      string `json:"phone_number_id"`
}

// Envelope wraps a batch in the Cloud API envelope of account wabaID and
// business number md.
func Envelope(b Batch, wabaID string, md CloudMetadata) CloudEvent {
	return CloudEvent{Object: CloudObject, Entry: []CloudEntry{{ID: wabaID, Changes: []CloudChange{{Field: "messages",
		Value: CloudValue{MessagingProduct: "whatsapp", Metadata: md, Batch: b}}}}}}
}
