package modicasim

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// sendRequest is the part of a MessageText/MessageTemplate/MessageMedia
// body the simulator uses (validation has checked all of it).
type sendRequest struct {
	To          string        `json:"to"`
	Destination string        `json:"destination"`
	Type        string        `json:"type"`
	Scheduled   string        `json:"scheduled"`
	Reference   string        `json:"reference"`
	Text        *textPart     `json:"text"`
	Template    *templatePart `json:"template"`
	Media       *mediaPart    `json:"media"`
}

type textPart struct {
	Body string `json:"body"`
}

type templatePart struct {
	Name       string     `json:"name"`
	Language   string     `json:"language"`
	BodyParams []string   `json:"body_params"`
	Media      *mediaPart `json:"media"`
}

type mediaPart struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// rawBody reads a JSON request body without parsing it (the validator
// reports a body that is not JSON); on a problem it answers (413, 415, and
// 400 for strings that are not UTF-8).
func (a *api) rawBody(w http.ResponseWriter, r *http.Request) *[]byte {
	if !sim.IsJSON(r.Header.Get("Content-Type")) {
		a.writeError(w, http.StatusUnsupportedMediaType, "Content-Type", sim.CodeUnsupportedMedia, "the body must be application/json")
		return nil
	}
	bp, err := a.s.ReadBody(r)
	if err != nil {
		a.bodyError(w, err)
		return nil
	}
	if !utf8.Valid(*bp) {
		field := sim.BadUTF8Field(*bp)
		a.writeError(w, http.StatusBadRequest, field, sim.CodeInvalidUTF8, field+" is not valid UTF-8")
		sim.PutBuf(bp)
		return nil
	}
	return bp
}

// jsonBody reads and checks a JSON request body; on a problem it answers
// (413, 415, 400) and returns nil.
func (a *api) jsonBody(w http.ResponseWriter, r *http.Request) *[]byte {
	bp := a.rawBody(w, r)
	if bp == nil {
		return nil
	}
	if !json.Valid(*bp) {
		sim.PutBuf(bp)
		a.writeError(w, http.StatusBadRequest, "body", sim.CodeBodyNotJSON, "the body is not valid JSON")
		return nil
	}
	return bp
}

func (a *api) bodyError(w http.ResponseWriter, err error) {
	if errors.Is(err, sim.ErrBodyTooLarge) {
		a.writeError(w, http.StatusRequestEntityTooLarge, "body", sim.CodeTooLarge, "the body exceeds the size limit")
		return
	}
	a.writeError(w, http.StatusBadRequest, "body", sim.CodeInvalid, "the body could not be read")
}

// decodeBody reads a JSON request body, validates it against the
// operation and decodes it into dst; on a problem it answers (413, 415,
// 400) and returns nil. Release the returned buffer with sim.PutBuf.
func (a *api) decodeBody(w http.ResponseWriter, r *http.Request, dst any) *[]byte {
	bp := a.jsonBody(w, r)
	if bp == nil {
		return nil
	}
	if fs := a.v.Request(r, *bp); len(fs) > 0 {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		sim.PutBuf(bp)
		return nil
	}
	if err := json.Unmarshal(*bp, dst); err != nil {
		a.writeError(w, http.StatusBadRequest, "body", sim.CodeInvalid, err.Error())
		sim.PutBuf(bp)
		return nil
	}
	return bp
}

// refuseClosing answers 500 and reports true once the simulator is
// shutting down, so no new message is accepted.
func (a *api) refuseClosing(w http.ResponseWriter) bool {
	if !a.s.Closing() {
		return false
	}
	a.writeError(w, http.StatusInternalServerError, "server", sim.CodeServerError, "the simulator is shutting down")
	return true
}

// onlyDestinationFindings reports whether every finding is about the
// destination number (for the accept-invalid-e164 fault).
func onlyDestinationFindings(fs []validate.Finding) bool {
	for _, f := range fs {
		p := strings.TrimPrefix(f.Pointer, "/")
		if p != "destination" && p != "to" && !strings.HasPrefix(p, "destination/") {
			return false
		}
	}
	return len(fs) > 0
}

// postMessages is POST /messages: validate, store, schedule, answer 202.
func (a *api) postMessages(w http.ResponseWriter, r *http.Request) {
	if a.refuseClosing(w) {
		return
	}
	bp := a.rawBody(w, r)
	if bp == nil {
		return
	}
	defer sim.PutBuf(bp)
	val, fs := a.v.RequestValue(r, *bp)
	if len(fs) > 0 && !(onlyDestinationFindings(fs) && a.s.Hit(a.f.acceptInvalidE164)) {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	req, ok := sendFromValue(val)
	if !ok {
		a.writeError(w, http.StatusBadRequest, "body", sim.CodeInvalid, "the body is not a JSON object")
		return
	}
	a.accept(w, req)
}

// accept checks a valid send's destination and schedule, then stores and
// answers it.
func (a *api) accept(w http.ResponseWriter, req *sendRequest) {
	dest := req.Destination
	if dest == "" {
		dest = req.To
	}
	if dest == "" {
		a.writeError(w, http.StatusBadRequest, "destination", "required", "destination (or the deprecated to) is required")
		return
	}
	if dest == MagicRefused {
		a.writeError(w, http.StatusUnprocessableEntity, "destination", codeDestRefused, "destination "+dest+" refused at submission (magic number)")
		return
	}
	at, ok := a.scheduleTime(w, req.Scheduled)
	if !ok {
		return
	}
	if !a.s.Reserve(1) {
		a.storeFull(w)
		return
	}
	m := a.newMessage(dest, req)
	a.s.Accept(m, at)
	a.write202(w, m.ID)
}

// scheduleTime parses `scheduled`: empty or in the past means now; more
// than MaxScheduleAhead ahead answers 422.
func (a *api) scheduleTime(w http.ResponseWriter, v string) (time.Time, bool) {
	now := a.s.Now()
	if v == "" {
		return now, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		a.writeError(w, http.StatusBadRequest, "scheduled", sim.CodeInvalid, "scheduled is not an RFC 3339 date-time")
		return now, false
	}
	ahead := a.s.Config().MaxScheduleAhead
	if t.Sub(now) > ahead {
		a.writeError(w, http.StatusUnprocessableEntity, "scheduled", codeScheduleRange,
			"scheduled is more than "+ahead.String()+" ahead (the spec allows 60 days)")
		return now, false
	}
	if t.Before(now) {
		return now, true
	}
	return t, true
}

func (a *api) storeFull(w http.ResponseWriter) {
	a.s.StoreFull()
	w.Header()[hRetryAfter] = itoaHeader(a.retryLo)
	a.writeError(w, http.StatusTooManyRequests, "body", sim.CodeStoreFull, "the simulator holds its maximum of messages; retry later")
}

// newMessage builds an MT message for dest from a validated request.
func (a *api) newMessage(dest string, req *sendRequest) *sim.Message {
	m := &sim.Message{ID: sim.NewID(), Reference: req.Reference, To: dest, From: a.s.Config().BusinessNumber,
		Type: req.Type, Created: a.s.Now().Unix()}
	switch {
	case req.Text != nil:
		m.Body = req.Text.Body
	case req.Template != nil:
		m.Body = truncate(strings.TrimSpace(req.Template.Name+" "+strings.Join(req.Template.BodyParams, " ")), 1024)
		if req.Template.Media != nil {
			m.MediaType = mediaKind(req.Template.Media.Type)
		}
	case req.Media != nil:
		m.MediaType = mediaKind(req.Media.Type)
		m.MediaID = mediaIDFromURL(req.Media.URL)
	}
	return m
}

// mediaKind keeps a media type that MessageDetails.attributes.media.type
// allows, else "".
func mediaKind(t string) string {
	switch t {
	case "image", "audio", "video", "document":
		return t
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// write202 answers a single send, applying the response faults.
func (a *api) write202(w http.ResponseWriter, id sim.ID) {
	status := http.StatusAccepted
	if a.s.Hit(a.f.wrongSuccessStatus) {
		status = http.StatusOK
	}
	bp := sim.GetBuf()
	b := append((*bp)[:0], '{')
	if !a.s.Hit(a.f.missingMessageID) {
		b = append(b, `"message_id":"`...)
		if a.s.Hit(a.f.nonUUIDMessageID) {
			b = id.AppendHex(b)
		} else {
			b = id.AppendUUID(b)
		}
		b = append(b, `",`...)
	}
	if a.s.Hit(a.f.unknownStatusValue) {
		b = append(b, `"status":"queued"}`...)
	} else {
		b = append(b, `"status":"`+modica.Accepted+`"}`...)
	}
	a.writeJSON(w, status, b)
	*bp = b
	sim.PutBuf(bp)
}

// appendStatusBody appends a StatusCallback JSON body.
func appendStatusBody(b []byte, id sim.ID, reference, st string) []byte {
	b = append(b, `{"id":"`...)
	b = id.AppendUUID(b)
	b = append(b, '"')
	if reference != "" {
		b = append(b, `,"reference":`...)
		b = jsonw.AppendString(b, reference)
	}
	b = append(b, `,"status":"`...)
	b = append(b, st...)
	return append(b, `"}`...)
}
