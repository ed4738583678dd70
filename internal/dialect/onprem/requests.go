package onprem

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/jsonw"
)

// Operation ids: the spec has no operationId, so the validator names each
// operation "METHOD /path".
const (
	OpLogin       = "POST /users/login"
	OpSend        = "POST /messages"
	OpMarkRead    = "PUT /messages/{MessageID}"
	OpContacts    = "POST /contacts"
	OpUpload      = "POST /media"
	OpDownload    = "GET /media/{MediaId}"
	OpDeleteMedia = "DELETE /media/{MediaId}"
	OpGetSettings = "GET /settings/application"
	OpSetSettings = "PATCH /settings/application"
	OpHealth      = "GET /health"
)

const jsonType = "application/json"

// mediaTypes are the media message types Send-Message-Request-Body has an
// object for.
var mediaTypes = map[string]bool{"image": true, "document": true, "audio": true, "video": true}

// SendRequest implements dialect.Sender: POST /messages {to,
// recipient_type: individual, type, text | template | <media>}. to is the
// recipient's WhatsApp id: the number's digits without "+". The API takes
// no client reference (m.Reference is not sent).
func (*Dialect) SendRequest(dst *dialect.Request, m *dialect.Message) error {
	if m.Via != "" {
		return fmt.Errorf("onprem: unknown send route %q (the on-premises client has one)", m.Via)
	}
	b := append(dst.Body[:0], `{"to":`...)
	b = jsonw.AppendString(b, WAID(m.To))
	b = append(b, `,"recipient_type":"individual"`...)
	b, err := appendContent(b, m)
	if err != nil {
		return err
	}
	*dst = dialect.Request{Operation: OpSend, Method: http.MethodPost, Path: "/messages", ContentType: jsonType, Body: b}
	return nil
}

// WAID is a number's WhatsApp id: its digits ("+1 631-555-0100" →
// "16315550100").
func WAID(number string) string {
	var b strings.Builder
	for i := 0; i < len(number); i++ {
		if c := number[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// appendContent appends type and the message part, closing the object.
func appendContent(b []byte, m *dialect.Message) ([]byte, error) {
	switch m.Kind {
	case dialect.KindText, "":
		b = append(b, `,"type":"text","text":{"body":`...)
		b = jsonw.AppendString(b, m.Text)
		return append(b, "}}"...), nil
	case dialect.KindTemplate:
		return appendTemplate(b, m.Template)
	case dialect.KindMedia:
		return appendMedia(b, m.Media)
	}
	return nil, fmt.Errorf("onprem: unknown message kind %q", m.Kind)
}

// appendTemplate appends a template message ({name, language: {policy:
// deterministic, code}, components: [{type: body, parameters}]}).
func appendTemplate(b []byte, t *dialect.Template) ([]byte, error) {
	if t == nil || t.Name == "" || t.Language == "" {
		return nil, errors.New("onprem: a template message needs a template name and language")
	}
	b = append(b, `,"type":"template","template":{"name":`...)
	b = jsonw.AppendString(b, t.Name)
	b = append(b, `,"language":{"policy":"deterministic","code":`...)
	b = jsonw.AppendString(b, t.Language)
	b = append(b, '}')
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
	return append(b, "}}"...), nil
}

// appendMedia appends a media message by uploaded id or by link; captions
// only for the types that take one (not audio).
func appendMedia(b []byte, md *dialect.Media) ([]byte, error) {
	if md == nil || !mediaTypes[md.Type] {
		return nil, errors.New("onprem: a media message needs a type of image, document, audio or video")
	}
	if (md.ID == "") == (md.URL == "") {
		return nil, errors.New("onprem: a media message needs either an uploaded media id or a link")
	}
	b = append(b, `,"type":"`...)
	b = append(b, md.Type...)
	b = append(b, `","`...)
	b = append(b, md.Type...)
	if md.ID != "" {
		b = append(b, `":{"id":`...)
		b = jsonw.AppendString(b, md.ID)
	} else {
		b = append(b, `":{"link":`...)
		b = jsonw.AppendString(b, md.URL)
	}
	if md.Caption != "" && md.Type != "audio" {
		b = append(b, `,"caption":`...)
		b = jsonw.AppendString(b, md.Caption)
	}
	return append(b, "}}"...), nil
}

// ReadSend implements dialect.Sender: the id of a 200 or 201 answer
// {messages: [{id}]}. The answer has no status.
func (*Dialect) ReadSend(a dialect.Answer) (dialect.Accepted, error) {
	if a.Status != http.StatusOK && a.Status != http.StatusCreated {
		return dialect.Accepted{}, fmt.Errorf("the send was not accepted (%d%s)", a.Status, errorSummary(a.Body))
	}
	var ans struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return dialect.Accepted{}, fmt.Errorf("the send answer is not a JSON object: %w", err)
	}
	if len(ans.Messages) == 0 || ans.Messages[0].ID == "" {
		return dialect.Accepted{}, errors.New("the send answer has no messages[0].id")
	}
	return dialect.Accepted{ID: ans.Messages[0].ID}, nil
}

// MarkReadRequest implements dialect.ReadMarker: PUT /messages/{id}
// {status: read}, for an inbound message.
func (*Dialect) MarkReadRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpMarkRead, Method: http.MethodPut, Path: "/messages/" + url.PathEscape(id),
		ContentType: jsonType, Body: []byte(`{"status":"read"}`)}
}

// HealthRequest implements dialect.HealthChecker: GET /health.
func (*Dialect) HealthRequest() dialect.Request {
	return dialect.Request{Operation: OpHealth, Method: http.MethodGet, Path: "/health"}
}

// ContactsRequest is POST /contacts {blocking: wait, contacts}: which
// numbers are WhatsApp users, and their WhatsApp ids.
func (*Dialect) ContactsRequest(numbers []string) dialect.Request {
	b := append(make([]byte, 0, 64+24*len(numbers)), `{"blocking":"wait","contacts":[`...)
	for i, n := range numbers {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, n)
	}
	b = append(b, "]}"...)
	return dialect.Request{Operation: OpContacts, Method: http.MethodPost, Path: "/contacts", ContentType: jsonType, Body: b}
}

// Contact is one item of a contacts check answer.
type Contact struct {
	Input  string `json:"input"`
	Status string `json:"status"`
	WAID   string `json:"wa_id,omitempty"`
}

// ReadContacts reads a contacts check answer {contacts: [{input, status,
// wa_id?}]}.
func ReadContacts(a dialect.Answer) ([]Contact, error) {
	if a.Status != http.StatusOK {
		return nil, fmt.Errorf("the contacts check failed (%d%s)", a.Status, errorSummary(a.Body))
	}
	var ans struct {
		Contacts []Contact `json:"contacts"`
	}
	if err := json.Unmarshal(a.Body, &ans); err != nil {
		return nil, fmt.Errorf("the contacts answer is not a JSON object: %w", err)
	}
	return ans.Contacts, nil
}

// uploadTypes are the content types POST /media declares (with erratum
// E9's audio/aac; without the page's "audio/acc" and "codecs=opus", which
// are not media types).
var uploadTypes = []string{"image/jpeg", "image/png", "audio/aac", "audio/amr", "audio/mp4", "audio/mpeg", "audio/ogg",
	"video/mp4", "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel",
	"application/vnd.ms-powerpoint"}

// UploadTypes implements dialect.MediaStore.
func (*Dialect) UploadTypes() []string { return append([]string(nil), uploadTypes...) }

// UploadRequest implements dialect.MediaStore: POST /media with the bytes
// as the body and their type as its Content-Type.
func (*Dialect) UploadRequest(mimeType string, data []byte) (dialect.Request, error) {
	if mimeType == "" || len(data) == 0 {
		return dialect.Request{}, errors.New("onprem: an upload needs a media type and some bytes")
	}
	return dialect.Request{Operation: OpUpload, Method: http.MethodPost, Path: "/media", ContentType: mimeType, Body: data}, nil
}

// ReadUpload implements dialect.MediaStore: {media: [{id}]}.
func (*Dialect) ReadUpload(a dialect.Answer) (string, error) {
	var ans struct {
		Media []struct {
			ID string `json:"id"`
		} `json:"media"`
	}
	if (a.Status != http.StatusOK && a.Status != http.StatusCreated) || json.Unmarshal(a.Body, &ans) != nil ||
		len(ans.Media) == 0 || ans.Media[0].ID == "" {
		return "", fmt.Errorf("the upload answer (%d%s) has no media[0].id", a.Status, errorSummary(a.Body))
	}
	return ans.Media[0].ID, nil
}

// DownloadRequest implements dialect.MediaStore: GET /media/{id}.
func (*Dialect) DownloadRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpDownload, Method: http.MethodGet, Path: "/media/" + url.PathEscape(id)}
}

// DeleteMediaRequest is DELETE /media/{id}.
func (*Dialect) DeleteMediaRequest(id string) dialect.Request {
	return dialect.Request{Operation: OpDeleteMedia, Method: http.MethodDelete, Path: "/media/" + url.PathEscape(id)}
}
