package modicasim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
)

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

// inbound builds an MO message of in.Type and its ReplyCallback to the
// account's reply URL (none when no reply URL is set). Content, when
// given, is sent verbatim as ReplyCallback.content (a JSON object); Type
// and Text are then ignored.
func (a *api) inbound(in sim.InboundRequest) (*sim.Message, []dispatch.Delivery, error) {
	content, msgType, body, err := a.moContent(in)
	if err != nil {
		return nil, nil, err
	}
	if in.Source == "" {
		in.Source = "64210000100"
	}
	m := &sim.Message{ID: sim.NewID(), To: "+" + strings.TrimPrefix(in.Source, "+"), From: in.Destination, Type: msgType, Body: body}
	if msgType == "media" {
		m.MediaType = moMediaKind(in.Type)
	}
	url := a.s.CallbackURL(modica.KindReply)
	if url == "" {
		return m, nil, nil
	}
	cb, _ := json.Marshal(struct {
		ID          string          `json:"id"`
		Source      string          `json:"source"`
		Destination string          `json:"destination"`
		Content     json.RawMessage `json:"content"`
	}{m.ID.String(), strings.TrimPrefix(in.Source, "+"), in.Destination, content})
	return m, []dispatch.Delivery{{Key: m.ID.String(), URL: url, Body: cb, Kind: modica.KindReply}}, nil
}

// moMediaKind maps an MO content type to MessageDetails media.type.
func moMediaKind(t string) string {
	if t == "sticker" {
		return "image"
	}
	return mediaKind(t)
}

// moContent returns the ReplyCallbackContent for mo, the MessageDetails
// type and body.
func (a *api) moContent(mo sim.InboundRequest) (json.RawMessage, string, string, error) {
	if len(mo.Content) > 0 {
		var probe struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(mo.Content, &probe); err != nil {
			return nil, "", "", fmt.Errorf("sim: MO content: %w", err)
		}
		return mo.Content, moDetailsType(probe.Type), "", nil
	}
	inner, err := a.moInner(mo)
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
func (a *api) moInner(mo sim.InboundRequest) (map[string]any, error) {
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
	data := []byte("wabcheck simulated " + mo.Type + " " + sim.NewMediaID())
	id := a.s.PutMedia(sample.mime, data)
	sum := sha256.Sum256(data)
	inner := map[string]any{"id": id, "mime_type": sample.mime, "sha256": hex.EncodeToString(sum[:])}
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
