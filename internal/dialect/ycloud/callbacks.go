package ycloud

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// Event types the harness subscribes to; each is a callback kind, named as
// the errata name the callbacks of POST /webhookEndpoints (Y9, Y10).
const (
	EventMessageUpdated  = "whatsapp.message.updated"
	EventInboundReceived = "whatsapp.inbound_message.received"
)

// EventTypes lists the event types the harness subscribes to, in order.
func EventTypes() []string { return []string{EventMessageUpdated, EventInboundReceived} }

// callbackModel is YCloud's webhooks: every POST is one Event envelope
// {id, type, apiVersion, createTime, <payload>}; its kind is its type.
type callbackModel struct{}

// Kinds implements dialect.CallbackModel.
func (callbackModel) Kinds() []dialect.CallbackKind {
	return []dialect.CallbackKind{
		{Name: EventMessageUpdated, SpecCallback: EventMessageUpdated, Carries: []string{dialect.EventStatus}, Signed: true},
		{Name: EventInboundReceived, SpecCallback: EventInboundReceived, Carries: []string{dialect.EventInbound}, Signed: true},
	}
}

// Classify implements dialect.CallbackModel: the envelope's type, when it
// is one of the kinds ("" otherwise: not a JSON object, no type, another
// event). An envelope cut short after its type is of that kind: its
// validation then reports the body is not JSON, which names the defect
// better than "no kind".
func (callbackModel) Classify(_ string, _ http.Header, body []byte) string {
	switch t, _, _ := scanTopLevel(body, "type"); t {
	case EventMessageUpdated:
		return EventMessageUpdated
	case EventInboundReceived:
		return EventInboundReceived
	}
	return ""
}

// Events implements dialect.CallbackModel: one event per POST.
func (callbackModel) Events(kind string, body []byte, decoded any) ([]dialect.Event, error) {
	if decoded == nil {
		var err error
		if decoded, err = validate.DecodeJSON(body); err != nil {
			return nil, fmt.Errorf("the event is not a JSON object: %w", err)
		}
	}
	env, ok := decoded.(map[string]any)
	if !ok {
		return nil, errors.New("the event is not a JSON object")
	}
	switch kind {
	case EventMessageUpdated:
		return statusEvent(env)
	case EventInboundReceived:
		return inboundEvent(env)
	}
	return nil, fmt.Errorf("ycloud has no callback kind %q", kind)
}

// statusEvent reads a whatsapp.message.updated envelope.
func statusEvent(env map[string]any) ([]dialect.Event, error) {
	m := obj(env, "whatsappMessage")
	if m == nil {
		return nil, errors.New("the " + EventMessageUpdated + " event has no whatsappMessage object")
	}
	st := str(m, "status")
	e := dialect.Event{Type: dialect.EventStatus, EventID: str(env, "id"), MessageID: str(m, "id"), Status: st,
		Recipient: str(m, "to"), Reference: str(m, "externalId"), Time: statusTime(m, st), Errors: messageErrors(m)}
	return []dialect.Event{e}, nil
}

// inboundEvent reads a whatsapp.inbound_message.received envelope.
func inboundEvent(env map[string]any) ([]dialect.Event, error) {
	m := obj(env, "whatsappInboundMessage")
	if m == nil {
		return nil, errors.New("the " + EventInboundReceived + " event has no whatsappInboundMessage object")
	}
	e := dialect.Event{Type: dialect.EventInbound, EventID: str(env, "id"), MessageID: str(m, "id"),
		From: str(m, "from"), InboundType: str(m, "type"), Time: parseTime(str(m, "sendTime"))}
	return []dialect.Event{e}, nil
}

// statusTimeFields maps a status to the WhatsappMessage field holding the
// time it was reached.
var statusTimeFields = map[string]string{Sent: "sendTime", Delivered: "deliverTime", Read: "readTime"}

// statusTime is the time the message reached st: its own time field, else
// updateTime; zero when neither is an RFC 3339 time.
func statusTime(m map[string]any, st string) time.Time {
	if f, ok := statusTimeFields[st]; ok {
		if t := parseTime(str(m, f)); !t.IsZero() {
			return t
		}
	}
	return parseTime(str(m, "updateTime"))
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// messageErrors lists the failure details of a WhatsappMessage:
// errorCode/errorMessage and WhatsApp's own error.
func messageErrors(m map[string]any) []string {
	var out []string
	if c, msg := str(m, "errorCode"), str(m, "errorMessage"); c != "" || msg != "" {
		out = append(out, joinNonEmpty(c, msg))
	}
	if w := obj(m, "whatsappApiError"); w != nil {
		s := joinNonEmpty("whatsapp "+str(w, "code"), str(w, "message"))
		if d := str(obj(w, "error_data"), "details"); d != "" {
			s += " (" + d + ")"
		}
		out = append(out, s)
	}
	return out
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ": " + b
}

// ReferenceEcho implements dialect.CallbackModel: externalId is echoed
// when the message was sent with one.
func (callbackModel) ReferenceEcho() int { return dialect.EchoIfSent }

// Ack implements dialect.CallbackModel: any 2xx does; 200 without headers.
func (callbackModel) Ack() (int, http.Header) { return http.StatusOK, nil }

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func obj(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}
