package ycloudsim

import (
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// lookup finds the message a path's {id} names (its id or its wamid):
// outbound (retrieve) or inbound (mark as read). On failure it has
// answered 404.
func (a *api) lookup(w http.ResponseWriter, raw string, inbound bool) *sim.Message {
	id, ok := a.ParseID(raw)
	var m *sim.Message
	if ok {
		m = a.s.Get(id)
	}
	if m == nil || m.Inbound != inbound {
		what := "message"
		if inbound {
			what = "inbound message"
		}
		a.writeError(w, apiErr{status: http.StatusNotFound, code: codeNotFound, target: "id",
			message: "no " + what + " with this id (unknown, or expired after the TTL)"})
		return nil
	}
	return m
}

// getMessage is GET /whatsapp/messages/{id}: the message with its latest
// status and the time fields of every status reached.
func (a *api) getMessage(w http.ResponseWriter, _ *http.Request, rel, key string) {
	if !a.admitAccount(w, key) {
		return
	}
	m := a.lookup(w, strings.TrimPrefix(rel, ycloud.PathMessages+"/"), false)
	if m == nil {
		return
	}
	st := a.s.State(m)
	v := msgView{m: m, status: st.Status, at: st.At, times: st.Times, rank: maxRank, wamid: st.Status != ycloud.Accepted,
		badTimes: a.s.Hit(a.f.nonRFC3339Times)}
	if st.Status == ycloud.Failed {
		v.fail = failures[st.Walk]
	}
	if a.s.Hit(a.f.staleRetrieve) {
		v = msgView{m: m, status: ycloud.Accepted, at: m.Created, badTimes: v.badTimes}
	}
	bp := sim.GetBuf()
	b := a.appendMessage((*bp)[:0], &v)
	a.writeJSON(w, http.StatusOK, b)
	*bp = b
	sim.PutBuf(bp)
}

// maxRank includes every time field in a view.
const maxRank = 1 << 30

// markAsRead is POST /whatsapp/inboundMessages/{id}/markAsRead: the
// business reads a customer's message; 200 without a body.
func (a *api) markAsRead(w http.ResponseWriter, _ *http.Request, rel, key string) {
	if !a.admitAccount(w, key) {
		return
	}
	rest := strings.TrimPrefix(rel, ycloud.PathInbound)
	m := a.lookup(w, strings.TrimSuffix(rest, "/markAsRead"), true)
	if m == nil {
		return
	}
	a.s.MarkRead(m)
	a.writeEmpty(w, http.StatusOK)
}
