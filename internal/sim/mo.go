package sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/dlr"
)

// MO is an inbound (mobile-originated) message to inject: what a WhatsApp
// user sends to the business. Only Type is required; the rest is generated
// when empty.
type MO struct {
	// Type is a ReplyCallbackContent type: text, image, document, audio,
	// video, sticker, button (and interactive, system with the errata).
	Type string `json:"type"`
	// Source is the customer's number (default "64210000100").
	Source string `json:"source,omitempty"`
	// Destination is the business number (default Config.BusinessNumber).
	Destination string `json:"destination,omitempty"`
	// Text is the text body, the button text or the media caption.
	Text string `json:"text,omitempty"`
	// Content, when set, is sent verbatim as ReplyCallback.content
	// (it must be a JSON object); Type and Text are then ignored.
	Content json.RawMessage `json:"content,omitempty"`
}

// moTypes are the content types InjectReply can generate.
var moTypes = []string{"text", "image", "document", "audio", "video", "sticker", "button", "interactive", "system"}

// sample media generated for MO messages, by type: mime type and bytes.
var moSamples = map[string]struct{ mime, file, caption string }{
	"image":    {"image/jpeg", "", "A picture from the customer"},
	"document": {"application/pdf", "statement.pdf", "A document from the customer"},
	"audio":    {"audio/mp4", "", ""},
	"video":    {"video/mp4", "clip.mp4", "A video from the customer"},
	"sticker":  {"image/webp", "", ""},
}

// InjectReply simulates an inbound message: it is stored (GET /messages
// finds it, PATCH /messages marks it read) and posted as a ReplyCallback to
// the reply callback URL. It returns the message id.
func (s *Server) InjectReply(ctx context.Context, mo MO) (string, error) {
	content, msgType, body, err := s.moContent(mo)
	if err != nil {
		return "", err
	}
	if mo.Source == "" {
		mo.Source = "64210000100"
	}
	if mo.Destination == "" {
		mo.Destination = s.cfg.BusinessNumber
	}
	if !s.store.reserve(1) {
		return "", fmt.Errorf("sim: the store holds its maximum of %d messages", s.cfg.MaxMessages)
	}
	now := s.now()
	m := &message{id: newUUID(), destination: "+" + strings.TrimPrefix(mo.Source, "+"), msgType: msgType, body: body,
		direction: dirMO, createdUnix: now.Unix(), statusUnix: now.Unix(), status: dlr.Received, walk: walkMO,
		doneAtNanos: now.UnixNano()}
	if msgType == "media" {
		m.mediaType = moMediaKind(mo.Type)
	}
	s.store.put(m)
	s.store.finished(m, m.doneAtNanos)
	s.stats.replies.Add(1)
	s.stats.reached[statusIndex(dlr.Received)].Add(1)
	url := s.dynamic.Load().replyURL
	if url == "" {
		s.stats.skipped.Add(1)
		return m.id.String(), nil
	}
	cb, _ := json.Marshal(struct {
		ID          string          `json:"id"`
		Source      string          `json:"source"`
		Destination string          `json:"destination"`
		Content     json.RawMessage `json:"content"`
	}{m.id.String(), strings.TrimPrefix(mo.Source, "+"), mo.Destination, content})
	if s.faults.hit(fCallbackMalformedBody) {
		cb = cb[:len(cb)/2]
	}
	if err := s.disp.Enqueue(ctx, dispatch.Delivery{Key: m.id.String(), URL: url, Body: cb, Kind: "reply"}); err != nil {
		return m.id.String(), fmt.Errorf("sim: reply callback: %w", err)
	}
	s.stats.dlrsQueued.Add(1)
	return m.id.String(), nil
}

// walkMO is the walk of an inbound message: it arrives received; the
// business may mark it read (PATCH /messages).
var walkMO = &walk{"mo", nil}

// moMediaKind maps an MO content type to MessageDetails media.type.
func moMediaKind(t string) string {
	if t == "sticker" {
		return "image"
	}
	return mediaKind(t)
}

// moContent returns the ReplyCallbackContent for mo, the MessageDetails
// type and body.
func (s *Server) moContent(mo MO) (json.RawMessage, string, string, error) {
	if len(mo.Content) > 0 {
		var probe struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(mo.Content, &probe); err != nil {
			return nil, "", "", fmt.Errorf("sim: MO content: %w", err)
		}
		return mo.Content, moDetailsType(probe.Type), "", nil
	}
	inner, err := s.moInner(mo)
	if err != nil {
		return nil, "", "", err
	}
	c := map[string]any{"type": mo.Type, mo.Type: inner}
	raw, _ := json.Marshal(c)
	body, _ := inner["body"].(string)
	if body == "" {
		body, _ = inner["text"].(string)
	}
	return raw, moDetailsType(mo.Type), body, nil
}

func moDetailsType(t string) string {
	switch t {
	case "image", "document", "audio", "video", "sticker":
		return "media"
	}
	return "text"
}

// moInner generates the type-specific object of ReplyCallbackContent.
func (s *Server) moInner(mo MO) (map[string]any, error) {
	switch mo.Type {
	case "text":
		return map[string]any{"body": orDefault(mo.Text, "Hello from the customer")}, nil
	case "button":
		return map[string]any{"payload": "YES", "text": orDefault(mo.Text, "Yes please")}, nil
	case "interactive":
		return map[string]any{"type": "button_reply", "button_reply": map[string]any{"id": "opt-1", "title": orDefault(mo.Text, "Option 1")}}, nil
	case "system":
		return map[string]any{"body": orDefault(mo.Text, "The customer changed their number"), "type": "user_changed_number"}, nil
	}
	sample, ok := moSamples[mo.Type]
	if !ok {
		return nil, fmt.Errorf("sim: MO type %q: want one of %s", mo.Type, strings.Join(moTypes, ", "))
	}
	data := []byte("wabcheck simulated " + mo.Type + " " + newMediaID())
	it := &mediaItem{id: newMediaID(), mimeType: sample.mime, data: data}
	s.media.put(it)
	sum := sha256.Sum256(data)
	inner := map[string]any{"id": it.id, "mime_type": sample.mime, "sha256": hex.EncodeToString(sum[:])}
	if cap := orDefault(mo.Text, sample.caption); cap != "" && mo.Type != "audio" && mo.Type != "sticker" {
		inner["caption"] = cap
	}
	if sample.file != "" {
		inner["filename"] = sample.file
	}
	return inner, nil
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
