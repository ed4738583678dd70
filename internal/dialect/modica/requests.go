package modica

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/jsonw"
)

// Operation ids of the Modica spec.
const (
	OpPostMessages  = "PostMessages"
	OpGetMessages   = "GetMessages"
	OpPatchMessages = "PatchMessages"
	OpBroadcast     = "messages_broadcast_post"
	OpPostMedia     = "PostMedia"
	OpGetMedia      = "GetMedia"
	OpHealth        = "GetHealthz"
)

const jsonType = "application/json"

// maxBroadcast is the spec's maxItems of a broadcast's destination list.
const maxBroadcast = 1000

// SendRequest implements dialect.Sender: POST /messages with a
// MessageText, MessageTemplate or MessageMedia body.
func (*Dialect) SendRequest(dst *dialect.Request, m *dialect.Message) error {
	if m.Via != "" {
		return fmt.Errorf("modica: unknown send route %q (Modica has one)", m.Via)
	}
	b := append(dst.Body[:0], `{"destination":`...)
	b = appendString(b, m.To)
	b, err := appendContent(b, m)
	if err != nil {
		return err
	}
	*dst = dialect.Request{Operation: OpPostMessages, Method: http.MethodPost, Path: "/messages", ContentType: jsonType, Body: b}
	return nil
}

// appendContent appends reference, type and the message part, closing the
// object.
func appendContent(b []byte, m *dialect.Message) ([]byte, error) {
	if m.Reference != "" {
		b = append(b, `,"reference":`...)
		b = appendString(b, m.Reference)
	}
	switch m.Kind {
	case dialect.KindText, "":
		b = append(b, `,"type":"text","text":{"body":`...)
		b = appendString(b, m.Text)
		return append(b, "}}"...), nil
	case dialect.KindTemplate:
		return appendTemplate(b, m.Template)
	case dialect.KindMedia:
		return appendMedia(b, m.Media)
	}
	return nil, fmt.Errorf("modica: unknown message kind %q", m.Kind)
}

func appendTemplate(b []byte, t *dialect.Template) ([]byte, error) {
	if t == nil {
		return nil, errors.New("modica: a template message needs a template")
	}
	b = append(b, `,"type":"template","template":{"name":`...)
	b = appendString(b, t.Name)
	b = append(b, `,"language":`...)
	b = appendString(b, t.Language)
	if len(t.Params) > 0 {
		b = append(b, `,"body_params":[`...)
		for i, p := range t.Params {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, p)
		}
		b = append(b, ']')
	}
	return append(b, "}}"...), nil
}

func appendMedia(b []byte, md *dialect.Media) ([]byte, error) {
	if md == nil || md.URL == "" {
		return nil, errors.New("modica: a media message needs a media URL")
	}
	b = append(b, `,"type":"media","media":{"type":`...)
	b = appendString(b, md.Type)
	b = append(b, `,"url":`...)
	b = appendString(b, md.URL)
	if md.Caption != "" {
		b = append(b, `,"caption":`...)
		b = appendString(b, md.Caption)
	}
	return append(b, "}}"...), nil
}

// ReadSend implements dialect.Sender: a 2XX answer's message_id and
// status.
func (*Dialect) ReadSend(a dialect.Answer) (dialect.Accepted, error) {
	if a.Status/100 != 2 {
		return dialect.Accepted{}, fmt.Errorf("the send was not accepted (%d)", a.Status)
	}
	var ans struct {
		MessageID string `json:"message_id"`
		Status    string `json:"status"`
	}
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return dialect.Accepted{}, fmt.Errorf("the send answer is not a JSON object: %w", err)
	}
	if ans.MessageID == "" {
		return dialect.Accepted{Status: ans.Status}, errors.New("the send answer has no message_id")
	}
	return dialect.Accepted{ID: ans.MessageID, Status: ans.Status}, nil
}

// MaxRecipients implements dialect.Broadcaster.
func (*Dialect) MaxRecipients() int { return maxBroadcast }

// BroadcastRequest implements dialect.Broadcaster: POST
// /messages/broadcast with a destination list.
func (*Dialect) BroadcastRequest(dst *dialect.Request, m *dialect.Message, to []string) error {
	b := append(dst.Body[:0], `{"destination":[`...)
	for i, d := range to {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, d)
	}
	b = append(b, ']')
	b, err := appendContent(b, m)
	if err != nil {
		return err
	}
	*dst = dialect.Request{Operation: OpBroadcast, Method: http.MethodPost, Path: "/messages/broadcast", ContentType: jsonType, Body: b}
	return nil
}

// ReadBroadcast implements dialect.Broadcaster: one item per destination
// ({id, status, destination?, message?}).
func (*Dialect) ReadBroadcast(a dialect.Answer) ([]dialect.Accepted, error) {
	if a.Status/100 != 2 {
		return nil, fmt.Errorf("the broadcast was not accepted (%d)", a.Status)
	}
	var items []struct{ ID, Status, Destination, Message string }
	if err := json.Unmarshal(a.Body, &items); err != nil {
		return nil, fmt.Errorf("the broadcast answer is not a JSON array of results: %w", err)
	}
	out := make([]dialect.Accepted, len(items))
	for i, it := range items {
		out[i] = dialect.Accepted{ID: it.ID, To: it.Destination, Status: it.Status,
			Refused: it.Status != Accepted, Reason: it.Message}
	}
	return out, nil
}

// RetrieveRequest implements dialect.Retriever: GET /messages?id=.
func (*Dialect) RetrieveRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpGetMessages, Method: http.MethodGet, Path: "/messages?id=" + url.QueryEscape(id)}
}

// ReadRetrieve implements dialect.Retriever: MessageDetails.
func (*Dialect) ReadRetrieve(a dialect.Answer) (dialect.Retrieved, error) {
	if a.Status/100 != 2 {
		return dialect.Retrieved{}, fmt.Errorf("the message was not found (%d)", a.Status)
	}
	var d struct {
		ID               string `json:"id"`
		Reference        string `json:"reference"`
		Status           string `json:"status"`
		CustomerNumberID string `json:"customer_number_id"`
		Attributes       struct {
			Body string `json:"body"`
		} `json:"attributes"`
	}
	if err := json.Unmarshal(a.Body, &d); err != nil {
		return dialect.Retrieved{}, fmt.Errorf("the message details are not a JSON object: %w", err)
	}
	to := d.CustomerNumberID
	if to != "" {
		to = "+" + to
	}
	return dialect.Retrieved{ID: d.ID, To: to, Reference: d.Reference, Status: d.Status, Text: d.Attributes.Body}, nil
}

// MarkReadRequest implements dialect.ReadMarker: PATCH /messages.
func (*Dialect) MarkReadRequest(id string) dialect.Request {
	body := appendString(append(make([]byte, 0, 64), `{"message_id":`...), id)
	return dialect.Request{Operation: OpPatchMessages, Method: http.MethodPatch, Path: "/messages", ContentType: jsonType, Body: append(body, '}')}
}

// HealthRequest implements dialect.HealthChecker: GET /healthz.
func (*Dialect) HealthRequest() dialect.Request {
	return dialect.Request{Operation: OpHealth, Method: http.MethodGet, Path: "/healthz"}
}

// uploadTypes are the MediaMimeType values of the spec with errata E4.
var uploadTypes = []string{"image/jpeg", "image/png", "image/webp", "audio/aac", "audio/mp4", "audio/mpeg",
	"audio/amr", "audio/ogg", "video/mp4", "video/3gpp", "application/pdf", "text/plain"}

// UploadTypes implements dialect.MediaStore.
func (*Dialect) UploadTypes() []string { return append([]string(nil), uploadTypes...) }

// UploadRequest implements dialect.MediaStore: POST /media,
// multipart/form-data with the file in the part "file".
func (*Dialect) UploadRequest(mimeType string, data []byte) (dialect.Request, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="wabcheck.bin"`)
	h.Set("Content-Type", mimeType)
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return dialect.Request{}, fmt.Errorf("modica: build upload: %w", err)
	}
	return dialect.Request{Operation: OpPostMedia, Method: http.MethodPost, Path: "/media",
		ContentType: mw.FormDataContentType(), Body: buf.Bytes()}, nil
}

// ReadUpload implements dialect.MediaStore: {id}.
func (*Dialect) ReadUpload(a dialect.Answer) (string, error) {
	var ans struct{ ID string }
	if a.Status/100 != 2 || json.Unmarshal(a.Body, &ans) != nil || ans.ID == "" {
		return "", fmt.Errorf("the upload answer (%d) has no media id", a.Status)
	}
	return ans.ID, nil
}

// DownloadRequest implements dialect.MediaStore: GET /media?media_id=.
func (*Dialect) DownloadRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpGetMedia, Method: http.MethodGet, Path: "/media?media_id=" + url.QueryEscape(id)}
}

// appendString appends s as a JSON string literal.
func appendString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }

// ExampleRequest implements dialect.Exemplar: POST /source, the one
// operation no capability covers.
func (*Dialect) ExampleRequest(operation string, ids dialect.ExampleIDs) (dialect.Request, bool) {
	if operation != http.MethodPost+" /source" {
		return dialect.Request{}, false
	}
	b := append(make([]byte, 0, 192), `{"business_number_id":"102046588645210","business_id":"1234567890","omni_customer_id":`...)
	b = appendString(b, unknownSourceCustomer)
	b = append(b, `,"waba_id":"987654321","gw_application_id":"wabcheck_app"}`...)
	return dialect.Request{Operation: "PostSource", Method: http.MethodPost, Path: "/source", ContentType: jsonType, Body: b}, true
}

// unknownSourceCustomer is a well-formed omni_customer_id.
const unknownSourceCustomer = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
