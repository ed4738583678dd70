package ycloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/jsonw"
)

// Operation ids of the YCloud spec that the dialect drives.
const (
	OpSend          = "whatsapp_message-send"
	OpSendDirectly  = "whatsapp_message-send-directly"
	OpRetrieve      = "whatsapp_message-retrieve"
	OpMarkRead      = "whatsapp_inbound_message-mark-as-read"
	OpWebhookCreate = "webhook_endpoint-create"
	OpWebhookDelete = "webhook_endpoint-delete"
)

// Paths of those operations, relative to the base URL.
const (
	PathMessages     = "/whatsapp/messages"
	PathSendDirectly = "/whatsapp/messages/sendDirectly"
	PathInbound      = "/whatsapp/inboundMessages/"
	PathWebhooks     = "/webhookEndpoints"
)

// ViaDirect is the Message.Via that sends through /sendDirectly (the
// synchronous submit to WhatsApp) instead of enqueueing.
const ViaDirect = "direct"

// mediaTypes are the media message types of WhatsappMessageType; audio
// and sticker take no caption.
var mediaTypes = map[string]bool{"image": true, "video": true, "audio": true, "document": true, "sticker": true}

// SendRequest implements dialect.Sender: POST /whatsapp/messages (or
// /sendDirectly for Via "direct") with a WhatsappMessageSendRequest. An
// empty From is the simulator's business number.
func (*Dialect) SendRequest(dst *dialect.Request, m *dialect.Message) error {
	op, path := OpSend, PathMessages
	switch m.Via {
	case "":
	case ViaDirect:
		op, path = OpSendDirectly, PathSendDirectly
	default:
		return fmt.Errorf("ycloud: unknown send route %q (known: %q)", m.Via, ViaDirect)
	}
	from := m.From
	if from == "" {
		from = SimSender
	}
	b := append(dst.Body[:0], `{"from":`...)
	b = jsonw.AppendString(b, from)
	b = append(b, `,"to":`...)
	b = jsonw.AppendString(b, m.To)
	b, err := appendContent(b, m)
	if err != nil {
		return err
	}
	if m.Reference != "" {
		b = append(b, `,"externalId":`...)
		b = jsonw.AppendString(b, m.Reference)
	}
	*dst = dialect.Request{Operation: op, Method: http.MethodPost, Path: path, ContentType: jsonType, Body: append(b, '}')}
	return nil
}

// appendContent appends type and the message part (the object is left
// open).
func appendContent(b []byte, m *dialect.Message) ([]byte, error) {
	switch m.Kind {
	case dialect.KindText, "":
		b = append(b, `,"type":"text","text":{"body":`...)
		b = jsonw.AppendString(b, m.Text)
		return append(b, '}'), nil
	case dialect.KindTemplate:
		return appendTemplate(b, m.Template)
	case dialect.KindMedia:
		return appendMedia(b, m.Media)
	}
	return nil, fmt.Errorf("ycloud: unknown message kind %q", m.Kind)
}

// appendTemplate appends a template message; its params become the text
// parameters of the body component.
func appendTemplate(b []byte, t *dialect.Template) ([]byte, error) {
	if t == nil || t.Name == "" || t.Language == "" {
		return nil, errors.New("ycloud: a template message needs a template name and language")
	}
	b = append(b, `,"type":"template","template":{"name":`...)
	b = jsonw.AppendString(b, t.Name)
	b = append(b, `,"language":{"code":`...)
	b = jsonw.AppendString(b, t.Language)
	b = append(b, `,"policy":"deterministic"}`...)
	if len(t.Params) > 0 {
		b = append(b, `,"components":[{"type":"body","parameters":[`...)
		for i, p := range t.Params {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":"text","text":`...)
			b = jsonw.AppendString(b, p)
			b = append(b, '}')
		}
		b = append(b, "]}]"...)
	}
	return append(b, '}'), nil
}

// appendMedia appends a media message by link (YCloud's WhatsappMessageMedia
// takes a link, not an uploaded id).
func appendMedia(b []byte, md *dialect.Media) ([]byte, error) {
	if md == nil || md.URL == "" {
		return nil, errors.New("ycloud: a media message needs a media URL (link)")
	}
	if !mediaTypes[md.Type] {
		return nil, fmt.Errorf("ycloud: unknown media type %q (image, video, audio, document or sticker)", md.Type)
	}
	b = append(b, `,"type":"`...)
	b = append(b, md.Type...)
	b = append(b, `","`...)
	b = append(b, md.Type...)
	b = append(b, `":{"link":`...)
	b = jsonw.AppendString(b, md.URL)
	if md.Caption != "" && md.Type != "audio" && md.Type != "sticker" {
		b = append(b, `,"caption":`...)
		b = jsonw.AppendString(b, md.Caption)
	}
	return append(b, '}'), nil
}

// message is the part of a WhatsappMessage the dialect reads.
type message struct {
	ID         string `json:"id"`
	To         string `json:"to"`
	Status     string `json:"status"`
	ExternalID string `json:"externalId"`
	Text       *struct {
		Body string `json:"body"`
	} `json:"text"`
}

// readMessage decodes a 2XX answer carrying a WhatsappMessage.
func readMessage(a dialect.Answer, what string) (message, error) {
	var m message
	if a.Status/100 != 2 {
		return m, fmt.Errorf("the %s was not accepted (%d%s)", what, a.Status, errorSuffix(a.Body))
	}
	if err := json.Unmarshal(a.Body, &m); err != nil {
		return m, fmt.Errorf("the %s answer is not a JSON object: %w", what, err)
	}
	return m, nil
}

// ReadSend implements dialect.Sender: the WhatsappMessage's id, to and
// status.
func (*Dialect) ReadSend(a dialect.Answer) (dialect.Accepted, error) {
	m, err := readMessage(a, "send")
	if err != nil {
		return dialect.Accepted{}, err
	}
	acc := dialect.Accepted{ID: m.ID, To: m.To, Status: m.Status}
	if m.ID == "" {
		return acc, errors.New("the send answer has no id")
	}
	return acc, nil
}

// RetrieveRequest implements dialect.Retriever: GET
// /whatsapp/messages/{id}.
func (*Dialect) RetrieveRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpRetrieve, Method: http.MethodGet, Path: PathMessages + "/" + url.PathEscape(id)}
}

// ReadRetrieve implements dialect.Retriever: the WhatsappMessage.
func (*Dialect) ReadRetrieve(a dialect.Answer) (dialect.Retrieved, error) {
	m, err := readMessage(a, "retrieve")
	if err != nil {
		return dialect.Retrieved{}, err
	}
	r := dialect.Retrieved{ID: m.ID, To: m.To, Reference: m.ExternalID, Status: m.Status}
	if m.Text != nil {
		r.Text = m.Text.Body
	}
	return r, nil
}

// MarkReadRequest implements dialect.ReadMarker: POST
// /whatsapp/inboundMessages/{id}/markAsRead (an inbound message; YCloud
// also takes its wamid).
func (*Dialect) MarkReadRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpMarkRead, Method: http.MethodPost, Path: PathInbound + url.PathEscape(id) + "/markAsRead"}
}

// apiError is the part of YCloud's error body the dialect reports.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Target  string `json:"target"`
	} `json:"error"`
}

// errorSuffix describes a YCloud error body (": CODE message (target
// x)"), or "" when body is not one.
func errorSuffix(body []byte) string {
	var e apiError
	if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
		return ""
	}
	s := ": " + e.Error.Code
	if e.Error.Message != "" {
		s += " " + e.Error.Message
	}
	if e.Error.Target != "" {
		s += " (target " + e.Error.Target + ")"
	}
	return s
}
