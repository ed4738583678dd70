package onpremsim

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// readJSON reads a JSON request body; on a problem (not JSON by
// Content-Type, too large) it answers and returns nil. Release the buffer
// with sim.PutBuf.
func (a *api) readJSON(w http.ResponseWriter, r *http.Request) *[]byte {
	if !sim.IsJSON(r.Header.Get("Content-Type")) {
		a.writeError(w, http.StatusUnsupportedMediaType, onprem.CodeParamInvalid, "the body must be application/json")
		return nil
	}
	return a.readBody(w, r)
}

// readBody reads a request body of any type, answering 413 or 400 on a
// problem.
func (a *api) readBody(w http.ResponseWriter, r *http.Request) *[]byte {
	bp, err := a.s.ReadBody(r)
	if err == nil {
		return bp
	}
	if errors.Is(err, sim.ErrBodyTooLarge) {
		a.writeError(w, http.StatusRequestEntityTooLarge, onprem.CodeParamInvalid, "the body exceeds the size limit")
	} else {
		a.writeError(w, http.StatusBadRequest, onprem.CodeParamInvalid, "the body could not be read")
	}
	return nil
}

// validJSON reads and validates a JSON body against its operation and
// returns the decoded value; on a problem it answers and returns false.
func (a *api) validJSON(w http.ResponseWriter, r *http.Request) (any, bool) {
	bp := a.readJSON(w, r)
	if bp == nil {
		return nil, false
	}
	defer sim.PutBuf(bp)
	val, fs := a.v.RequestValue(r, *bp)
	if len(fs) > 0 {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return nil, false
	}
	return val, true
}

// send is the part of a Send-Message-Request-Body the simulator keeps.
type send struct {
	to, typ, body, mediaID string
}

// sendFrom reads a validated send body. to is the recipient's digits, or
// the value as sent when it has none (a group id, or no number at all:
// the client takes it and fails it, see notAUser).
func sendFrom(v any) send {
	m, _ := v.(map[string]any)
	s := send{to: onprem.WAID(str(m, "to")), typ: str(m, "type")}
	if s.to == "" {
		s.to = str(m, "to")
	}
	if s.typ == "" {
		s.typ = "text" // Message-Type's default
	}
	part := obj(m, s.typ)
	switch s.typ {
	case "text":
		s.body = str(part, "body")
	case "template":
		s.body = str(part, "name")
	case "hsm":
		s.body = str(obj(m, "hsm"), "element_name")
	default:
		s.body, s.mediaID = str(part, "caption"), str(part, "id")
	}
	return s
}

// postMessages is POST /messages: validate, limit, store, schedule, answer
// 201 {messages: [{id}]}.
func (a *api) postMessages(w http.ResponseWriter, r *http.Request, _ string) {
	if a.s.Closing() {
		a.writeError(w, http.StatusServiceUnavailable, onprem.CodeInternal, "the simulator is shutting down")
		return
	}
	val, ok := a.validJSON(w, r)
	if !ok {
		return
	}
	sd := sendFrom(val)
	if sd.to == "" {
		a.writeError(w, http.StatusBadRequest, onprem.CodeParamMissing, "to: expected the recipient's WhatsApp id, got an empty string")
		return
	}
	if !a.admitSend(w, sd.to) {
		return
	}
	if !a.s.Reserve(1) {
		a.s.StoreFull()
		a.writeError(w, http.StatusTooManyRequests, onprem.CodeTooManyRequests, "the simulator holds its maximum of messages; retry later")
		return
	}
	now := a.s.Now()
	m := &sim.Message{ID: outboundID(), To: recipient(sd.to), From: a.business, Type: sd.typ, Body: sd.body,
		MediaID: sd.mediaID, Created: now.Unix()}
	if mediaTypes[sd.typ] {
		m.MediaType = sd.typ
	}
	a.s.Accept(m, now)
	body := append([]byte(`{"messages":[{"id":"`), a.FormatID(m.ID)...)
	a.writeJSON(w, http.StatusCreated, append(body, `"}],"meta":`+metaJSON+`}`...))
}

// recipient is a message's To: "+" and the digits of a WhatsApp id, else
// the to as sent.
func recipient(to string) string {
	if id := onprem.WAID(to); id != "" && id == to {
		return "+" + id
	}
	return to
}

// recipientID is the recipient_id a status of m names: the WhatsApp id
// it was sent to (the to as sent when it has no digits).
func recipientID(m *sim.Message) string {
	if id := onprem.WAID(m.To); id != "" {
		return id
	}
	return m.To
}

// mediaTypes are the message types that carry media.
var mediaTypes = map[string]bool{"image": true, "document": true, "audio": true, "video": true, "voice": true, "sticker": true}

// markRead is PUT /messages/{id} {status: read}: the business reads a
// message it received. 404 for an id of no received message.
func (a *api) markRead(w http.ResponseWriter, r *http.Request, idStr string) {
	val, ok := a.validJSON(w, r)
	if !ok {
		return
	}
	if st := str(asMap(val), "status"); st != "read" {
		a.writeError(w, http.StatusBadRequest, onprem.CodeParamInvalid, "status: expected read, got "+strconv.Quote(st))
		return
	}
	id, ok := a.ParseID(idStr)
	m := a.s.Get(id)
	if !ok || m == nil || !m.Inbound {
		a.writeError(w, http.StatusNotFound, onprem.CodeNotFound, "no received message with id "+strconv.Quote(idStr))
		return
	}
	a.s.MarkRead(m)
	a.writeMeta(w)
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func obj(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

func itoa(n int) string { return strconv.Itoa(n) }

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
