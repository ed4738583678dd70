package onpremsim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// InboundTypes are the inbound message types the simulator generates:
// every Webhook-Message-Type (with erratum A8) but hsm, an outbound-only
// type for which the spec models no inbound object.
var InboundTypes = []string{"text", "image", "document", "audio", "voice", "video", "location", "contacts", "system", "unknown"}

// DefaultCustomer is the sender of an inbound message when the admin
// request names none.
const DefaultCustomer = "+16315551234"

// inboundMedia are the sample files of inbound media, by type.
var inboundMedia = map[string]struct{ mime, file, caption string }{
	"image":    {"image/jpeg", "", "A picture from the customer"},
	"document": {"application/pdf", "statement.pdf", "A document from the customer"},
	"audio":    {"audio/mpeg", "", ""},
	"voice":    {"audio/ogg; codecs=opus", "", ""},
	"video":    {"video/mp4", "", "A video from the customer"},
}

// inbound builds a customer's message of in.Type and the batch that
// announces it (messages[] with the sender in contacts[]). in.Content,
// when given, is the type's object verbatim ({"body": …} for text).
func (a *api) inbound(in sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	typ := orDefault(in.Type, "text")
	from := onprem.WAID(orDefault(in.Source, DefaultCustomer))
	if from == "" {
		return nil, nil, fmt.Errorf("sim: inbound source %q has no digits", in.Source)
	}
	part, text, err := a.inboundPart(typ, in)
	if err != nil {
		return nil, nil, err
	}
	id := inboundID()
	msg := map[string]any{"from": from, "id": a.FormatID(id), "timestamp": strconv.FormatInt(a.s.Now().Unix(), 10), "type": typ}
	if typ == "unknown" {
		msg["errors"] = []onprem.APIError{{Code: 501, Title: "Unknown message type"}}
	} else {
		msg[typ] = part
	}
	m := &sim.Message{ID: id, To: "+" + from, From: onprem.WAID(in.Destination), Type: typ, Body: text}
	if _, ok := inboundMedia[typ]; ok {
		m.MediaType, m.MediaID = typ, str(asMap(part), "id")
	}
	url := a.webhookURL()
	if url == "" {
		return m, nil, nil
	}
	item, err := json.Marshal(msg)
	if err != nil {
		return nil, nil, fmt.Errorf("sim: inbound %s content: %w", typ, err)
	}
	contact, _ := json.Marshal(onprem.WebhookContact{WAID: from, Profile: &onprem.Profile{Name: "Sim Customer"}})
	b := onprem.Batch{Contacts: []json.RawMessage{contact}, Messages: []json.RawMessage{item}}
	return m, []dispatch.Delivery{a.delivery(a.FormatID(id), url, b)}, nil
}

// inboundPart is the type's object of an inbound message and its text.
func (a *api) inboundPart(typ string, in sim.InboundRequest) (any, string, error) {
	if len(in.Content) > 0 {
		var v any
		if err := json.Unmarshal(in.Content, &v); err != nil {
			return nil, "", fmt.Errorf("sim: inbound content: %w", err)
		}
		return v, "", nil
	}
	switch typ {
	case "text":
		t := orDefault(in.Text, "Hello from the customer")
		return map[string]any{"body": t}, t, nil
	case "location":
		return map[string]any{"latitude": -36.8485, "longitude": 174.7633, "name": orDefault(in.Text, "Sky Tower"),
			"address": "Victoria St W, Auckland", "url": "https://www.skycityauckland.co.nz/"}, "", nil
	case "contacts":
		return []any{map[string]any{"name": map[string]any{"formatted_name": "John Smith", "first_name": "John", "last_name": "Smith"},
			"phones": []any{map[string]any{"phone": "+1 (650) 555-1234", "type": "WORK", "wa_id": "16505551234"}}}}, "", nil
	case "system":
		t := orDefault(in.Text, "The customer's security code changed")
		return map[string]any{"body": t, "type": "user_identity_changed"}, t, nil
	case "unknown":
		return nil, "", nil
	}
	return a.inboundFile(typ, in.Text)
}

// inboundFile stores a sample file of a media type and describes it.
func (a *api) inboundFile(typ, text string) (any, string, error) {
	sample, ok := inboundMedia[typ]
	if !ok {
		return nil, "", fmt.Errorf("sim: inbound type %q: want one of %s", typ, strings.Join(InboundTypes, ", "))
	}
	data := []byte("wabcheck simulated " + typ + " " + sim.NewMediaID())
	mt := strings.TrimSpace(strings.SplitN(sample.mime, ";", 2)[0])
	id := a.s.PutMedia(mt, data)
	sum := sha256.Sum256(data)
	part := map[string]any{"id": id, "mime_type": sample.mime, "sha256": hex.EncodeToString(sum[:])}
	caption := orDefault(text, sample.caption)
	if caption != "" && sample.caption != "" {
		part["caption"] = caption
	}
	if sample.file != "" {
		part["filename"] = sample.file
	}
	return part, caption, nil
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
