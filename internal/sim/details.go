package sim

import (
	"encoding/json"
	"net/http"
	"strings"
)

// messageDetails is the spec's MessageDetails.
type messageDetails struct {
	ID               string     `json:"id"`
	Reference        string     `json:"reference,omitempty"`
	ApplicationID    string     `json:"application_id"`
	Status           string     `json:"status"`
	BusinessNumberID string     `json:"business_number_id"`
	CustomerNumberID string     `json:"customer_number_id"`
	Timestamp        int64      `json:"timestamp"`
	Direction        string     `json:"direction"`
	Type             string     `json:"type"`
	Attributes       attributes `json:"attributes"`
}

type attributes struct {
	Body  string      `json:"body,omitempty"`
	Media *mediaAttrs `json:"media,omitempty"`
}

type mediaAttrs struct {
	ID   string `json:"id,omitempty"`
	Type string `json:"type"`
}

// details snapshots m as MessageDetails.
func (s *Server) details(m *message) messageDetails {
	sh := s.store.shard(m.id)
	sh.mu.Lock()
	st, ts := m.status, m.statusUnix
	sh.mu.Unlock()
	d := messageDetails{ID: m.id.String(), Reference: m.reference, ApplicationID: s.cfg.ApplicationID,
		Status: string(st), BusinessNumberID: s.cfg.BusinessNumber,
		CustomerNumberID: strings.TrimPrefix(m.destination, "+"), Timestamp: ts, Direction: m.direction,
		Type: m.msgType, Attributes: attributes{Body: truncate(m.body, 1024)}}
	if m.mediaType != "" {
		d.Attributes.Media = &mediaAttrs{ID: m.mediaID, Type: m.mediaType}
	}
	return d
}

// lookupParam validates the request and finds the message named by the
// id (query) or message_id (body); on failure it has answered.
func (s *Server) lookup(w http.ResponseWriter, field, raw string) *message {
	id, ok := parseUUID(raw)
	if !ok {
		s.writeError(w, http.StatusBadRequest, field, codeInvalid, field+" is not a UUID")
		return nil
	}
	m := s.store.get(id)
	if m == nil {
		s.writeError(w, http.StatusNotFound, field, codeNotFound, "no message with this id (unknown, or expired after the TTL)")
		return nil
	}
	return m
}

// getMessages is GET /messages?id=: the message's details and status.
func (s *Server) getMessages(w http.ResponseWriter, r *http.Request) {
	if fs := s.v.Request(r, nil); len(fs) > 0 {
		s.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	m := s.lookup(w, "id", r.URL.Query().Get("id"))
	if m == nil {
		return
	}
	d := s.details(m)
	if s.faults.hit(fUnknownStatusValue) {
		d.Status = "delivered"
	}
	body, err := json.Marshal(d)
	if err != nil {
		s.writeError(w, http.StatusInternalServerError, "body", codeServerError, err.Error())
		return
	}
	s.writeJSON(w, http.StatusOK, body)
}

// patchMessages is PATCH /messages {message_id}: mark a message read. A
// read DLR follows.
func (s *Server) patchMessages(w http.ResponseWriter, r *http.Request) {
	var req struct {
		MessageID string `json:"message_id"`
	}
	bp := s.decodeBody(w, r, &req)
	if bp == nil {
		return
	}
	defer putBuf(bp)
	m := s.lookup(w, "message_id", req.MessageID)
	if m == nil {
		return
	}
	if s.markRead(m) == readFailed {
		s.writeError(w, http.StatusUnprocessableEntity, "message_id", codeNotReadable,
			"the message failed ("+string(s.details(m).Status)+"); it cannot be marked read")
		return
	}
	s.writeEmpty(w, http.StatusOK)
}
