package ycloud

import (
	"github.com/wabcheck/wabcheck/internal/dialect"
)

var (
	_ dialect.Explorer         = (*Dialect)(nil)
	_ dialect.SenderFielder    = (*Dialect)(nil)
	_ dialect.ReferenceFielder = (*Dialect)(nil)
)

// SenderFields implements dialect.SenderFielder: a send names its
// business number in /from.
func (d *Dialect) SenderFields(operation string) []string {
	if _, ok := d.Sends(operation); ok {
		return []string{"/from"}
	}
	return nil
}

// ReferenceFields implements dialect.ReferenceFielder: a send carries the
// client's reference in /externalId.
func (d *Dialect) ReferenceFields(operation string) []string {
	if _, ok := d.Sends(operation); ok {
		return []string{"/externalId"}
	}
	return nil
}

// Sends implements dialect.Explorer: enqueue and sendDirectly send a real
// message to /to.
func (*Dialect) Sends(operation string) ([]string, bool) {
	switch operation {
	case OpSend, OpSendDirectly:
		return []string{"/to"}, true
	}
	return nil, false
}

// Links implements dialect.Explorer: a sent message (either route) reads
// back by its id, naming it; a created webhook endpoint reads back,
// changes, gets a new secret and is deleted by its id, each answer naming
// it (the probe deletes last). A customer's message is known only from
// its inbound event, so the id markAsRead takes is made outside the API.
func (*Dialect) Links() []dialect.Link {
	return []dialect.Link{
		{Label: "send → retrieve", From: OpSend, Value: "/id", To: OpRetrieve, In: "path", Param: "id", Echo: "/id"},
		{Label: "sendDirectly → retrieve", From: OpSendDirectly, Value: "/id", To: OpRetrieve, In: "path", Param: "id", Echo: "/id"},
		{Label: "create endpoint → retrieve", From: OpWebhookCreate, Value: "/id", To: OpWebhookGet, In: "path", Param: "id", Echo: "/id"},
		{Label: "create endpoint → update", From: OpWebhookCreate, Value: "/id", To: OpWebhookUpdate, In: "path", Param: "id", Echo: "/id"},
		{Label: "create endpoint → rotate secret", From: OpWebhookCreate, Value: "/id", To: OpWebhookRotate, In: "path", Param: "id", Echo: "/id"},
		{Label: "create endpoint → delete", From: OpWebhookCreate, Value: "/id", To: OpWebhookDelete, In: "path", Param: "id", Echo: "/id"},
		{Label: "inbound event → mark as read", To: OpMarkRead, In: "path", Param: "id"},
	}
}

// MessageIDs implements dialect.Explorer: the id of the WhatsappMessage a
// send answers.
func (d *Dialect) MessageIDs(operation string, answer []byte) []string {
	if _, ok := d.Sends(operation); !ok {
		return nil
	}
	if acc, err := d.ReadSend(dialect.Answer{Status: 200, Body: answer}); err == nil {
		return []string{acc.ID}
	}
	return nil
}
