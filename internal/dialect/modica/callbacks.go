package modica

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Callback kinds: DLRs posted to the status URL and MO messages posted to
// the reply URL, both declared in the spec's messageCallback.
const (
	KindStatus = "status"
	KindReply  = "reply"
)

// callbackModel is Modica's callbacks: one POST is one event; the kind is
// told by the URL (…/status, …/reply) the account was configured with,
// else by the body ("status" → DLR, "content" → MO).
type callbackModel struct{ ack http.Header }

// Kinds implements dialect.CallbackModel.
func (callbackModel) Kinds() []dialect.CallbackKind {
	return []dialect.CallbackKind{
		{Name: KindStatus, SpecCallback: "messageCallback", SpecExpression: "{$statusCallbackUrl}", Carries: []string{dialect.EventStatus}, Path: "/status"},
		{Name: KindReply, SpecCallback: "messageCallback", SpecExpression: "{$replyCallbackUrl}", Carries: []string{dialect.EventInbound}, Path: "/reply"},
	}
}

// Classify implements dialect.CallbackModel.
func (callbackModel) Classify(path string, _ http.Header, body []byte) string {
	p := strings.TrimRight(path, "/")
	switch {
	case strings.HasSuffix(p, "/status"):
		return KindStatus
	case strings.HasSuffix(p, "/reply"):
		return KindReply
	}
	var f struct {
		Status  *string         `json:"status"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body, &f); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return ""
		}
	}
	switch {
	case f.Status != nil:
		return KindStatus
	case len(f.Content) > 0:
		return KindReply
	}
	return ""
}

// Events implements dialect.CallbackModel: one event per POST.
func (callbackModel) Events(kind string, body []byte, decoded any) ([]dialect.Event, error) {
	m, ok := decoded.(map[string]any)
	if decoded == nil {
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("the callback body is not a JSON object: %w", err)
		}
	} else if !ok {
		return nil, errors.New("the callback body is not a JSON object")
	}
	e := dialect.Event{MessageID: str(m, "id"), Reference: str(m, "reference")}
	switch kind {
	case KindStatus:
		e.Type, e.Status = dialect.EventStatus, str(m, "status")
	case KindReply:
		e.Type, e.From, e.InboundType = dialect.EventInbound, str(m, "source"), replyType(m["content"])
	default:
		return nil, fmt.Errorf("modica has no callback kind %q", kind)
	}
	return []dialect.Event{e}, nil
}

// ReferenceEcho implements dialect.CallbackModel: every DLR carries the
// message's reference (seed 004).
func (callbackModel) ReferenceEcho() int { return dialect.EchoAlways }

// Ack implements dialect.CallbackModel: 200 with X-RateLimit-Limit, as the
// spec declares for the callbacks' answer.
func (c callbackModel) Ack() (int, http.Header) { return http.StatusOK, c.ack }

// replyType is an MO's content.type; content may arrive as a JSON string
// holding the object (seed 004).
func replyType(content any) string {
	if s, ok := content.(string); ok {
		var v any
		if json.Unmarshal([]byte(s), &v) == nil {
			content = v
		}
	}
	c, _ := content.(map[string]any)
	return str(c, "type")
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}
