package modicasim

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// applicationID is reported as application_id in message details.
const applicationID = "wabcheck_sim"

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
func (a *api) details(m *sim.Message) messageDetails {
	st := a.s.State(m)
	dir := "MT"
	if m.Inbound {
		dir = "MO"
	}
	d := messageDetails{ID: m.ID.String(), Reference: m.Reference, ApplicationID: applicationID,
		Status: st.Status, BusinessNumberID: a.s.Config().BusinessNumber,
		CustomerNumberID: strings.TrimPrefix(m.To, "+"), Timestamp: st.At, Direction: dir,
		Type: m.Type, Attributes: attributes{Body: truncate(m.Body, 1024)}}
	if m.MediaType != "" {
		d.Attributes.Media = &mediaAttrs{ID: m.MediaID, Type: m.MediaType}
	}
	return d
}

// lookup finds the message named by the id (query) or message_id (body);
// on failure it has answered.
func (a *api) lookup(w http.ResponseWriter, field, raw string) *sim.Message {
	id, ok := sim.ParseUUID(raw)
	if !ok {
		a.writeError(w, http.StatusBadRequest, field, sim.CodeInvalid, field+" is not a UUID")
		return nil
	}
	m := a.s.Get(id)
	if m == nil {
		a.writeError(w, http.StatusNotFound, field, sim.CodeNotFound, "no message with this id (unknown, or expired after the TTL)")
		return nil
	}
	return m
}

// getMessages is GET /messages?id=: the message's details and status.
func (a *api) getMessages(w http.ResponseWriter, r *http.Request) {
	if fs := a.v.Request(r, nil); len(fs) > 0 {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	m := a.lookup(w, "id", r.URL.Query().Get("id"))
	if m == nil {
		return
	}
	d := a.details(m)
	if a.s.Hit(a.f.unknownStatusValue) {
		d.Status = "delivered"
	}
	body, err := json.Marshal(d)
	if err != nil {
		a.writeError(w, http.StatusInternalServerError, "body", sim.CodeServerError, err.Error())
		return
	}
	a.writeJSON(w, http.StatusOK, body)
}

// patchMessages is PATCH /messages {message_id}: mark a message read. A
// read DLR follows.
func (a *api) patchMessages(w http.ResponseWriter, r *http.Request) {
	var req struct {
		MessageID string `json:"message_id"`
	}
	bp := a.decodeBody(w, r, &req)
	if bp == nil {
		return
	}
	defer sim.PutBuf(bp)
	m := a.lookup(w, "message_id", req.MessageID)
	if m == nil {
		return
	}
	if a.s.MarkRead(m) == sim.ReadFailed {
		a.writeError(w, http.StatusUnprocessableEntity, "message_id", sim.CodeNotReadable,
			"the message failed ("+a.s.State(m).Status+"); it cannot be marked read")
		return
	}
	a.writeEmpty(w, http.StatusOK)
}
