package onprem

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Callback kinds, named as the overlay names the callbacks of PATCH
// /settings/application.
const (
	// KindOnprem is the on-premises batch {statuses, messages, contacts,
	// errors}, unsigned.
	KindOnprem = "onprem"
	// KindCloud is the same objects in the Cloud API envelope, signed
	// with X-Hub-Signature-256.
	KindCloud = "cloud"
)

// callbackModel is the on-premises client's webhooks: every POST to the
// one webhook URL is a batch of statuses, inbound messages and errors.
type callbackModel struct{}

// Kinds implements dialect.CallbackModel.
func (callbackModel) Kinds() []dialect.CallbackKind {
	carries := []string{dialect.EventStatus, dialect.EventInbound, dialect.EventError}
	return []dialect.CallbackKind{
		{Name: KindOnprem, SpecCallback: KindOnprem, Carries: carries},
		{Name: KindCloud, SpecCallback: KindCloud, Carries: carries, Signed: true},
	}
}

// Classify implements dialect.CallbackModel by the body's shape: the
// Cloud envelope (object whatsapp_business_account, or a signature
// header when the body does not parse) is cloud; any other JSON object is
// an on-premises batch. A body that is not even the start of a JSON
// object is "".
func (callbackModel) Classify(_ string, h http.Header, body []byte) string {
	var probe struct {
		Object string `json:"object"`
	}
	err := json.Unmarshal(body, &probe)
	switch {
	case err == nil && probe.Object == CloudObject:
		return KindCloud
	case err == nil:
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			return KindOnprem
		}
		return ""
	case h.Get(SignatureHeader) != "" || bytes.Contains(body, []byte(CloudObject)):
		return KindCloud
	case bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")):
		return KindOnprem
	}
	return ""
}

// Events implements dialect.CallbackModel: one event per statuses[],
// messages[] and errors[] item, in that order, each with its pointer
// ("/statuses/2", or "/entry/0/changes/0/value/statuses/2" in the Cloud
// envelope). contacts[] items describe the senders of messages[] and are
// no events.
func (callbackModel) Events(kind string, body []byte, decoded any) ([]dialect.Event, error) {
	if decoded == nil {
		if err := json.Unmarshal(body, &decoded); err != nil {
			return nil, fmt.Errorf("the webhook body is not JSON: %w", err)
		}
	}
	root, ok := decoded.(map[string]any)
	if !ok {
		return nil, errors.New("the webhook body is not a JSON object")
	}
	switch kind {
	case KindOnprem:
		return batchEvents(root, ""), nil
	case KindCloud:
		return cloudEvents(root)
	}
	return nil, fmt.Errorf("onprem has no callback kind %q", kind)
}

// cloudEvents walks entry[].changes[].value of a Cloud envelope.
func cloudEvents(root map[string]any) ([]dialect.Event, error) {
	entries, _ := root["entry"].([]any)
	if len(entries) == 0 {
		return nil, errors.New("the Cloud webhook has no entry[]")
	}
	var out []dialect.Event
	for i, e := range entries {
		changes, _ := asMap(e)["changes"].([]any)
		for j, c := range changes {
			ptr := "/entry/" + strconv.Itoa(i) + "/changes/" + strconv.Itoa(j)
			ch := asMap(c)
			value, ok := ch["value"].(map[string]any)
			if !ok || str(ch, "field") != "messages" {
				out = append(out, dialect.Event{Type: dialect.EventOther, Pointer: ptr})
				continue
			}
			out = append(out, batchEvents(value, ptr+"/value")...)
		}
	}
	return out, nil
}

// batchEvents splits a batch object whose pointer is prefix.
func batchEvents(b map[string]any, prefix string) []dialect.Event {
	var out []dialect.Event
	for _, part := range []struct {
		key  string
		make func(map[string]any) dialect.Event
	}{{"statuses", statusEvent}, {"messages", inboundEvent}, {"errors", errorEvent}} {
		items, _ := b[part.key].([]any)
		for i, it := range items {
			ptr := prefix + "/" + part.key + "/" + strconv.Itoa(i)
			m, ok := it.(map[string]any)
			if !ok {
				out = append(out, dialect.Event{Type: dialect.EventOther, Pointer: ptr})
				continue
			}
			e := part.make(m)
			e.Pointer = ptr
			out = append(out, e)
		}
	}
	return out
}

func statusEvent(m map[string]any) dialect.Event {
	return dialect.Event{Type: dialect.EventStatus, MessageID: str(m, "id"), Status: str(m, "status"),
		Recipient: str(m, "recipient_id"), Time: unixTime(m["timestamp"]), Errors: errorList(m["errors"])}
}

func inboundEvent(m map[string]any) dialect.Event {
	return dialect.Event{Type: dialect.EventInbound, MessageID: str(m, "id"), From: str(m, "from"),
		InboundType: str(m, "type"), Time: unixTime(m["timestamp"]), Errors: errorList(m["errors"])}
}

func errorEvent(m map[string]any) dialect.Event {
	return dialect.Event{Type: dialect.EventError, Errors: []string{errorText(m)}}
}

// errorList renders an errors[] array as "code title" strings.
func errorList(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, errorText(m))
		}
	}
	return out
}

// errorText is "131026 Message Undeliverable" (code as the JSON number it
// is, title as given).
func errorText(m map[string]any) string {
	s := ""
	switch c := m["code"].(type) {
	case float64:
		s = strconv.FormatFloat(c, 'f', -1, 64)
	case json.Number:
		s = c.String()
	case string:
		s = c
	}
	if t := str(m, "title"); t != "" {
		if s != "" {
			s += " "
		}
		s += t
	}
	return s
}

// unixTime reads a timestamp of unix seconds, a string as the spec
// declares it (or a number); zero when it is neither.
func unixTime(v any) time.Time {
	var sec int64
	switch t := v.(type) {
	case string:
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return time.Time{}
		}
		sec = n
	case float64:
		sec = int64(t)
	case json.Number:
		n, err := t.Int64()
		if err != nil {
			return time.Time{}
		}
		sec = n
	default:
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// ReferenceEcho implements dialect.CallbackModel: the API takes no client
// reference, so none comes back.
func (callbackModel) ReferenceEcho() int { return dialect.EchoNone }

// Ack implements dialect.CallbackModel: 200, as the callbacks declare (a
// webhook without "200 OK" is retried).
func (callbackModel) Ack() (int, http.Header) { return http.StatusOK, nil }

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}
