package ycloudsim

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// wabaID is the WhatsApp Business Account every simulated message is in.
const wabaID = "wabcheck-sim-waba"

// sendRequest is the part of a WhatsappMessageSendRequest the simulator
// uses (validation has checked its shape).
type sendRequest struct {
	from, to, typ, externalID string
	body                      string // text body, or the template's name
	part                      bool   // the type's own object is present
}

// sendFromValue reads a decoded send request.
func sendFromValue(v any) (sendRequest, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return sendRequest{}, false
	}
	req := sendRequest{from: str(m, "from"), to: str(m, "to"), typ: str(m, "type"), externalID: str(m, "externalId")}
	switch p := m[req.typ].(type) {
	case map[string]any:
		req.part = true
		req.body = str(p, "body")
		if req.typ == "template" {
			req.body = str(p, "name")
		}
	case []any:
		req.part = true // contacts: present is what errata Y15 requires
	}
	return req, true
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// e164 normalises a phone number YCloud takes ("+44 20 7123 4567": + and
// a non-zero digit, 7 to 15 digits in all, single spaces between digits,
// the pattern errata Y13/Y14 give from and to) to E.164 and reports
// whether it is one.
func e164(s string) (string, bool) {
	if len(s) < 8 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return s, false
	}
	digits, space := 1, false
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' && !space:
			space = true
		case c >= '0' && c <= '9':
			digits, space = digits+1, false
		default:
			return s, false
		}
	}
	if space || digits < 7 || digits > 15 {
		return s, false
	}
	if digits+1 != len(s) {
		s = strings.ReplaceAll(s, " ", "")
	}
	return s, true
}

// postEnqueue is POST /whatsapp/messages.
func (a *api) postEnqueue(w http.ResponseWriter, r *http.Request, _, _ string) { a.send(w, r, false) }

// postDirect is POST /whatsapp/messages/sendDirectly.
func (a *api) postDirect(w http.ResponseWriter, r *http.Request, _, _ string) { a.send(w, r, true) }

// send validates a send, applies the sender's rate limit, stores the
// message and answers 200 with it.
func (a *api) send(w http.ResponseWriter, r *http.Request, direct bool) {
	if a.s.Closing() {
		a.writeError(w, apiErr{status: http.StatusInternalServerError, code: codeInternal, message: "the simulator is shutting down"})
		return
	}
	req, ok := a.readSend(w, r)
	if !ok || !a.admitSender(w, req.from, direct) {
		return
	}
	if direct && req.to == MagicRefused {
		a.writeError(w, apiErr{status: http.StatusBadRequest, code: codeBadRequest, target: "to",
			message: "WhatsApp refused the message (magic number)", whatsappAPIErr: failures[walkRefused.Name]})
		return
	}
	if !a.s.Reserve(1) {
		a.s.StoreFull()
		a.writeError(w, apiErr{status: http.StatusTooManyRequests, code: codeTooMany, retryAfterSecs: 1,
			message: "the simulator holds its maximum of messages; retry later"})
		return
	}
	now := a.s.Now()
	m := &sim.Message{ID: sim.NewID(), Reference: req.externalID, To: req.to, From: req.from, Type: req.typ,
		Body: req.body, Created: now.Unix()}
	a.s.Accept(m, now)
	v := msgView{m: m, status: ycloud.Accepted, at: m.Created, wamid: direct,
		badTimes: a.s.Hit(a.f.nonRFC3339Times), noID: a.s.Hit(a.f.missingID)}
	bp := sim.GetBuf()
	b := a.appendMessage((*bp)[:0], &v)
	a.writeJSON(w, http.StatusOK, b)
	*bp = b
	sim.PutBuf(bp)
}

// readSend reads, validates and checks a send request; on a problem it
// has answered 400 naming the field.
func (a *api) readSend(w http.ResponseWriter, r *http.Request) (sendRequest, bool) {
	bp, err := a.s.ReadBody(r)
	if err != nil {
		a.bodyError(w, err)
		return sendRequest{}, false
	}
	defer sim.PutBuf(bp)
	val, fs := a.v.RequestValue(r, *bp)
	if len(fs) > 0 {
		a.findingsError(w, fs)
		return sendRequest{}, false
	}
	req, ok := sendFromValue(val)
	if !ok {
		a.badRequest(w, "body", "the body is not a JSON object")
		return req, false
	}
	var okTo, okFrom bool
	req.to, okTo = e164(req.to)
	req.from, okFrom = e164(req.from)
	switch {
	case !okTo:
		a.badRequest(w, "to", "to is not a phone number in E.164 format (+ and country code)")
	case !okFrom:
		a.badRequest(w, "from", "from is not a phone number in E.164 format (+ and country code)")
	case !req.part:
		a.badRequest(w, req.typ, req.typ+" is required when type is "+req.typ)
	default:
		return req, true
	}
	return req, false
}

// bodyError answers a body that could not be read.
func (a *api) bodyError(w http.ResponseWriter, err error) {
	if errors.Is(err, sim.ErrBodyTooLarge) {
		a.badRequest(w, "body", "the body exceeds the size limit")
		return
	}
	a.badRequest(w, "body", "the body could not be read")
}

// admitSender applies the sender's rate limit of the route; over it, it
// answers 429 with Retry-After.
func (a *api) admitSender(w http.ResponseWriter, from string, direct bool) bool {
	l := a.lim.Load()
	lim, rate, route := l.enqueue, l.enqueueRate, "POST /whatsapp/messages"
	if direct {
		lim, rate, route = l.direct, l.directRate, "POST /whatsapp/messages/sendDirectly"
	}
	ok, wait := lim.Allow(from, a.s.Now())
	if ok {
		return true
	}
	a.writeError(w, apiErr{status: http.StatusTooManyRequests, code: codeTooMany, retryAfterSecs: sim.RetryAfterSeconds(wait, 1, 3600),
		message: "the rate limit of " + strconv.Itoa(rate) + " requests per second per sender on " + route + " is exceeded; retry after " + wait.Round(time.Millisecond).String()})
	return false
}

// admitAccount applies the account's rate limit (Config.RateLimit) of the
// other operations; over it, it answers 429.
func (a *api) admitAccount(w http.ResponseWriter, key string) bool {
	ok, wait := a.s.Admit(key)
	if ok {
		return true
	}
	rate, _ := a.s.RateLimit()
	a.writeError(w, apiErr{status: http.StatusTooManyRequests, code: codeTooMany, retryAfterSecs: sim.RetryAfterSeconds(wait, 1, 3600),
		message: "the account's rate limit of " + strconv.Itoa(rate) + " requests per second is exceeded"})
	return false
}

// msgView is a WhatsappMessage to write: a message at one status.
type msgView struct {
	m      *sim.Message
	status string
	at     int64            // updateTime: when status was reached
	times  map[string]int64 // the statuses reached and when (nil: none)
	rank   int              // include the time fields of statuses up to this rank
	wamid  bool
	fail   *failure
	to     string // overrides m.To (fault wrong-to)

	badTimes, noID bool
}

// appendMessage appends the WhatsappMessage object.
func (a *api) appendMessage(b []byte, v *msgView) []byte {
	m := v.m
	b = append(b, '{')
	if !v.noID {
		b = append(b, `"id":"`...)
		b = m.ID.AppendHex(b)
		b = append(b, `",`...)
	}
	if v.wamid {
		b = append(b, `"wamid":"`+wamidPrefix...)
		b = m.ID.AppendHex(b)
		b = append(b, `",`...)
	}
	b = append(b, `"wabaId":"`+wabaID+`","from":`...)
	b = jsonw.AppendString(b, m.From)
	to := m.To
	if v.to != "" {
		to = v.to
	}
	b = append(b, `,"to":`...)
	b = jsonw.AppendString(b, to)
	b = append(b, `,"type":`...)
	b = jsonw.AppendString(b, m.Type)
	if m.Type == "text" {
		b = append(b, `,"text":{"body":`...)
		b = jsonw.AppendString(b, m.Body)
		b = append(b, '}')
	}
	if m.Reference != "" {
		b = append(b, `,"externalId":`...)
		b = jsonw.AppendString(b, m.Reference)
	}
	b = append(b, `,"status":`...)
	b = jsonw.AppendString(b, v.status)
	if v.fail != nil {
		b = v.fail.appendFields(b)
	}
	b = a.appendTimes(b, v)
	return append(b, `,"bizType":"whatsapp"}`...)
}

// timeFields are the WhatsappMessage time fields of the statuses that
// have one, in the spec's order.
var timeFields = []struct{ status, field string }{
	{ycloud.Sent, `,"sendTime":`}, {ycloud.Delivered, `,"deliverTime":`}, {ycloud.Read, `,"readTime":`}}

// appendTimes appends createTime, updateTime and the time fields of the
// statuses reached up to the view's rank.
func (a *api) appendTimes(b []byte, v *msgView) []byte {
	b = append(b, `,"createTime":`...)
	b = appendTime(b, v.m.Created, v.badTimes)
	b = append(b, `,"updateTime":`...)
	b = appendTime(b, v.at, v.badTimes)
	for _, tf := range timeFields {
		at, ok := v.times[tf.status]
		if !ok {
			continue
		}
		if st, _ := a.d.Statuses().Lookup(tf.status); st.Rank > v.rank {
			continue
		}
		b = append(b, tf.field...)
		b = appendTime(b, at, v.badTimes)
	}
	return b
}
