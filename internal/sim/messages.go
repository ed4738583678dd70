package sim

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wabcheck/wabcheck/internal/dlr"
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

// errBodyTooLarge marks a body beyond Config.MaxBodyBytes.
var errBodyTooLarge = errors.New("body too large")

// readBody reads the request body up to MaxBodyBytes into a pooled buffer;
// release it with putBuf.
func (s *Server) readBody(r *http.Request) (*[]byte, error) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, errBodyTooLarge
	}
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	limit := int(s.cfg.MaxBodyBytes)
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, 4096)
		}
		n, err := r.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if len(b) > limit {
			err = errBodyTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			*bp = b
			putBuf(bp)
			return nil, err
		}
	}
	*bp = b
	return bp, nil
}

func putBuf(bp *[]byte) {
	if cap(*bp) <= 64<<10 {
		bufPool.Put(bp)
	}
}

// rawBody reads a JSON request body without parsing it (the validator
// reports a body that is not JSON); on a problem it answers (413, 415, and
// 400 for strings that are not UTF-8).
func (s *Server) rawBody(w http.ResponseWriter, r *http.Request) *[]byte {
	if !isJSON(r.Header.Get("Content-Type")) {
		s.writeError(w, http.StatusUnsupportedMediaType, "Content-Type", codeUnsupportedMedia, "the body must be application/json")
		return nil
	}
	bp, err := s.readBody(r)
	if err != nil {
		s.bodyError(w, err)
		return nil
	}
	if !utf8.Valid(*bp) {
		s.badUTF8(w, *bp)
		putBuf(bp)
		return nil
	}
	return bp
}

// badUTF8 answers 400 naming the field whose string is not UTF-8.
func (s *Server) badUTF8(w http.ResponseWriter, body []byte) {
	field := badUTF8Field(body)
	s.writeError(w, http.StatusBadRequest, field, codeInvalidUTF8, field+" is not valid UTF-8")
}

// jsonBody reads and checks a JSON request body; on a problem it answers
// (413, 415, 400) and returns nil.
func (s *Server) jsonBody(w http.ResponseWriter, r *http.Request) *[]byte {
	bp := s.rawBody(w, r)
	if bp == nil {
		return nil
	}
	if !json.Valid(*bp) {
		putBuf(bp)
		s.writeError(w, http.StatusBadRequest, "body", codeBodyNotJSON, "the body is not valid JSON")
		return nil
	}
	return bp
}

func (s *Server) bodyError(w http.ResponseWriter, err error) {
	if errors.Is(err, errBodyTooLarge) {
		s.writeError(w, http.StatusRequestEntityTooLarge, "body", codeTooLarge, "the body exceeds the size limit")
		return
	}
	s.writeError(w, http.StatusBadRequest, "body", codeInvalid, "the body could not be read")
}

// decodeBody reads a JSON request body, validates it against the
// operation and decodes it into dst; on a problem it answers (413, 415,
// 400) and returns nil. Release the returned buffer with putBuf.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, dst any) *[]byte {
	bp := s.jsonBody(w, r)
	if bp == nil {
		return nil
	}
	if fs := s.v.Request(r, *bp); len(fs) > 0 {
		s.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		putBuf(bp)
		return nil
	}
	if err := json.Unmarshal(*bp, dst); err != nil {
		s.writeError(w, http.StatusBadRequest, "body", codeInvalid, err.Error())
		putBuf(bp)
		return nil
	}
	return bp
}

// refuseClosing answers 500 and reports true once the simulator is
// shutting down, so no new message is accepted.
func (s *Server) refuseClosing(w http.ResponseWriter) bool {
	if !s.closing.Load() {
		return false
	}
	s.writeError(w, http.StatusInternalServerError, "server", codeServerError, "the simulator is shutting down")
	return true
}

// isJSON reports whether a Content-Type is application/json (any params).
func isJSON(ct string) bool {
	if strings.HasPrefix(ct, "application/json") && (len(ct) == 16 || ct[16] == ';' || ct[16] == ' ') {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
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
func (s *Server) postMessages(w http.ResponseWriter, r *http.Request) {
	if s.refuseClosing(w) {
		return
	}
	bp := s.rawBody(w, r)
	if bp == nil {
		return
	}
	defer putBuf(bp)
	val, fs := s.v.RequestValue(r, *bp)
	if len(fs) > 0 && !(onlyDestinationFindings(fs) && s.faults.hit(fAcceptInvalidE164)) {
		s.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	req, ok := sendFromValue(val)
	if !ok {
		s.writeError(w, http.StatusBadRequest, "body", codeInvalid, "the body is not a JSON object")
		return
	}
	dest := req.Destination
	if dest == "" {
		dest = req.To
	}
	if dest == "" {
		s.writeError(w, http.StatusBadRequest, "destination", "required", "destination (or the deprecated to) is required")
		return
	}
	if dest == MagicRefused {
		s.writeError(w, http.StatusUnprocessableEntity, "destination", codeDestRefused, "destination "+dest+" refused at submission (magic number)")
		return
	}
	at, ok := s.scheduleTime(w, req.Scheduled)
	if !ok {
		return
	}
	if !s.store.reserve(1) {
		s.storeFull(w)
		return
	}
	m := s.newMessage(dest, req)
	s.accept(m, at)
	s.write202(w, m.id)
}

// scheduleTime parses `scheduled`: empty or in the past means now; more
// than MaxScheduleAhead ahead answers 422.
func (s *Server) scheduleTime(w http.ResponseWriter, v string) (time.Time, bool) {
	now := s.now()
	if v == "" {
		return now, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "scheduled", codeInvalid, "scheduled is not an RFC 3339 date-time")
		return now, false
	}
	if t.Sub(now) > s.cfg.MaxScheduleAhead {
		s.writeError(w, http.StatusUnprocessableEntity, "scheduled", codeScheduleRange,
			"scheduled is more than "+s.cfg.MaxScheduleAhead.String()+" ahead (the spec allows 60 days)")
		return now, false
	}
	if t.Before(now) {
		return now, true
	}
	return t, true
}

func (s *Server) storeFull(w http.ResponseWriter) {
	s.stats.storeFull.Add(1)
	w.Header()[hRetryAfter] = itoaHeader(s.retryLo)
	s.writeError(w, http.StatusTooManyRequests, "body", codeStoreFull, "the simulator holds its maximum of messages; retry later")
}

// newMessage builds an MT message for dest from a validated request.
func (s *Server) newMessage(dest string, req *sendRequest) *message {
	m := &message{id: newUUID(), reference: req.Reference, destination: dest, msgType: req.Type,
		direction: dirMT, createdUnix: s.now().Unix(), status: dlr.Accepted}
	switch {
	case req.Text != nil:
		m.body = req.Text.Body
	case req.Template != nil:
		m.body = truncate(strings.TrimSpace(req.Template.Name+" "+strings.Join(req.Template.BodyParams, " ")), 1024)
		if req.Template.Media != nil {
			m.mediaType = mediaKind(req.Template.Media.Type)
		}
	case req.Media != nil:
		m.mediaType = mediaKind(req.Media.Type)
		m.mediaID = mediaIDFromURL(req.Media.URL)
	}
	m.statusUnix = m.createdUnix
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
func (s *Server) write202(w http.ResponseWriter, id uuid) {
	status := http.StatusAccepted
	if s.faults.hit(fWrongSuccessStatus) {
		status = http.StatusOK
	}
	bp := bufPool.Get().(*[]byte)
	b := append((*bp)[:0], '{')
	if !s.faults.hit(fMissingMessageID) {
		b = append(b, `"message_id":"`...)
		if s.faults.hit(fNonUUIDMessageID) {
			for _, c := range id {
				b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
			}
		} else {
			b = id.appendTo(b)
		}
		b = append(b, `",`...)
	}
	if s.faults.hit(fUnknownStatusValue) {
		b = append(b, `"status":"queued"}`...)
	} else {
		b = append(b, `"status":"accepted"}`...)
	}
	s.writeJSON(w, status, b)
	*bp = b
	bufPool.Put(bp)
}
