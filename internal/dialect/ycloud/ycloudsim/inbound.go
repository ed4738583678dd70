package ycloudsim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// specInboundTypes reads the inbound message types the spec has
// (WhatsappInboundMessageType); the simulator generates each.
func specInboundTypes(s *sim.Server) ([]string, error) {
	c := s.Doc().T.Components
	if c == nil || c.Schemas["WhatsappInboundMessageType"] == nil || c.Schemas["WhatsappInboundMessageType"].Value == nil {
		return nil, fmt.Errorf("sim: spec %s has no WhatsappInboundMessageType (not a YCloud spec?)", s.Doc().Name)
	}
	var out []string
	for _, e := range c.Schemas["WhatsappInboundMessageType"].Value.Enum {
		if t, ok := e.(string); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// inboundMedia are the media types of inbound messages: MIME type, file
// name and default caption of the sample the simulator makes.
var inboundMedia = map[string]struct{ mime, file, caption string }{
	"image":    {"image/jpeg", "", "A picture from the customer"},
	"video":    {"video/mp4", "", "A video from the customer"},
	"audio":    {"audio/ogg", "", ""},
	"document": {"application/pdf", "statement.pdf", "A document from the customer"},
	"sticker":  {"image/webp", "", ""},
}

// inbound builds a customer's message of in.Type and its
// whatsapp.inbound_message.received events. Content, when given, is the
// type's object verbatim (for unsupported, the errors array).
func (a *api) inbound(in sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	if !contains(a.inboundTypes, in.Type) {
		return nil, nil, fmt.Errorf("sim: inbound type %q: want one of %s", in.Type, strings.Join(a.inboundTypes, ", "))
	}
	content, body, err := a.inboundContent(in)
	if err != nil {
		return nil, nil, err
	}
	if in.Source == "" {
		in.Source = ycloud.SimRecipient
	}
	m := &sim.Message{ID: sim.NewID(), To: plus(in.Source), From: plus(in.Destination), Type: in.Type, Body: body,
		Created: a.s.Now().Unix()}
	if a.s.AnyFault() && a.s.Hit(a.f.noEvents) {
		return m, nil, nil
	}
	eps := a.hooks.receiving(ycloud.EventInboundReceived, a.s.Now(), a.remote.Load())
	if len(eps) == 0 {
		return m, nil, nil
	}
	ev := a.appendInboundEvent(make([]byte, 0, 512+len(content)), m, content)
	return m, a.deliveries(eps, a.FormatID(m.ID), ycloud.EventInboundReceived, ev, a.eventSigning()), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func plus(n string) string { return "+" + strings.TrimPrefix(n, "+") }

// appendInboundEvent appends the Event envelope of inbound message m.
func (a *api) appendInboundEvent(b []byte, m *sim.Message, content json.RawMessage) []byte {
	bad := a.s.AnyFault() && a.s.Hit(a.f.nonRFC3339Times)
	b = append(b, `{"id":"evt_`...)
	b = m.ID.AppendHex(b)
	b = append(b, `_in","type":"`+ycloud.EventInboundReceived+`","apiVersion":"v2","createTime":`...)
	b = appendTime(b, m.Created, bad)
	b = append(b, `,"whatsappInboundMessage":{"id":"`...)
	b = m.ID.AppendHex(b)
	b = append(b, `","wamid":"`+wamidPrefix...)
	b = m.ID.AppendHex(b)
	b = append(b, `","wabaId":"`+wabaID+`","from":`...)
	b = jsonw.AppendString(b, m.To)
	b = append(b, `,"customerProfile":{"name":"Simulated Customer"},"to":`...)
	b = jsonw.AppendString(b, m.From)
	b = append(b, `,"sendTime":`...)
	b = appendTime(b, m.Created, bad)
	b = append(b, `,"type":`...)
	b = jsonw.AppendString(b, m.Type)
	if content != nil {
		key := m.Type
		if key == "unsupported" {
			key = "errors"
		}
		b = append(b, ',')
		b = jsonw.AppendString(b, key)
		b = append(b, ':')
		b = append(b, content...)
	}
	return append(b, "}}"...)
}

// inboundContent returns the type's object (nil for request_welcome,
// which has none) and the message's text.
func (a *api) inboundContent(in sim.InboundRequest) (json.RawMessage, string, error) {
	if len(in.Content) > 0 {
		if !json.Valid(in.Content) {
			return nil, "", fmt.Errorf("sim: inbound content is not JSON")
		}
		return in.Content, "", nil
	}
	v, text := a.sampleContent(in)
	if v == nil {
		return nil, text, nil
	}
	raw, err := json.Marshal(v)
	return raw, text, err
}

// sampleContent makes a sample object of in.Type, with in.Text as its
// text or caption when given.
func (a *api) sampleContent(in sim.InboundRequest) (any, string) {
	text := func(def string) string { return orDefault(in.Text, def) }
	switch in.Type {
	case "text":
		return map[string]any{"body": text("Hello from the customer")}, text("Hello from the customer")
	case "image", "video", "audio", "document", "sticker":
		return a.sampleMedia(in), in.Text
	case "contacts":
		return []any{map[string]any{"name": map[string]any{"formatted_name": "Jane Doe", "first_name": "Jane", "last_name": "Doe"},
			"phones": []any{map[string]any{"phone": "+16315550177", "type": "CELL"}}}}, ""
	case "location":
		return map[string]any{"latitude": -36.8485, "longitude": 174.7633, "name": text("Auckland"), "address": "Queen Street"}, ""
	case "interactive":
		return map[string]any{"type": "button_reply", "button_reply": map[string]any{"id": "opt-1", "title": text("Option 1")}}, text("Option 1")
	case "button":
		return map[string]any{"payload": "YES", "text": text("Yes please")}, text("Yes please")
	case "reaction":
		return map[string]any{"message_id": "wamid.wabcheck-sim-reacted", "emoji": text("👍")}, ""
	case "order":
		return map[string]any{"catalog_id": "wabcheck-sim-catalog", "text": text("My order"), "product_items": []any{
			map[string]any{"product_retailer_id": "SKU-1", "quantity": 2, "item_price": 9.5, "currency": "USD"}}}, ""
	case "system":
		return map[string]any{"body": text("The customer changed their number"), "type": "user_changed_number", "new_wa_id": "16315550178"}, ""
	case "unsupported":
		return []any{map[string]any{"code": "131051", "title": "Message type unknown", "message": "Message type unknown",
			"error_data": map[string]any{"details": "Message type is currently not supported."}}}, ""
	}
	return nil, "" // request_welcome: the type alone
}

// sampleMedia stores a small sample file and describes it.
func (a *api) sampleMedia(in sim.InboundRequest) map[string]any {
	sample := inboundMedia[in.Type]
	data := []byte("wabcheck simulated " + in.Type + " " + sim.NewMediaID())
	sum := sha256.Sum256(data)
	obj := map[string]any{"id": a.s.PutMedia(sample.mime, data), "mime_type": sample.mime, "sha256": hex.EncodeToString(sum[:])}
	if c := orDefault(in.Text, sample.caption); c != "" {
		obj["caption"] = c
	}
	if sample.file != "" {
		obj["filename"] = sample.file
	}
	return obj
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
