package modicasim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// broadcastRequest is a BroadcastMessage{Text,Template,Media} body.
type broadcastRequest struct {
	sendRequest
	Destination []string `json:"destination"`
}

// splitItemFindings separates findings about single destination items
// ("/destination/3") from the rest; it returns the bad item indexes.
func splitItemFindings(fs []validate.Finding) (bad map[int]string, rest []validate.Finding) {
	for _, f := range fs {
		if tail, ok := strings.CutPrefix(f.Pointer, "/destination/"); ok {
			if i, err := strconv.Atoi(tail); err == nil {
				if bad == nil {
					bad = map[int]string{}
				}
				bad[i] = f.Message
				continue
			}
		}
		rest = append(rest, f)
	}
	return bad, rest
}

// broadcastItem is one result item.
type broadcastItem struct {
	dest    string // "" for an invalid destination (not echoed: it would break the E164 schema)
	id      sim.ID
	failed  bool
	message string
}

// postBroadcast is POST /messages/broadcast: one result item per
// destination; bad or refused destinations fail alone.
func (a *api) postBroadcast(w http.ResponseWriter, r *http.Request) {
	if a.refuseClosing(w) {
		return
	}
	bp := a.jsonBody(w, r)
	if bp == nil {
		return
	}
	defer sim.PutBuf(bp)
	bad, rest := splitItemFindings(a.v.Request(r, *bp))
	if len(rest) > 0 {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(rest)...)
		return
	}
	var req broadcastRequest
	if err := json.Unmarshal(*bp, &req); err != nil {
		a.writeError(w, http.StatusBadRequest, "body", sim.CodeInvalid, err.Error())
		return
	}
	at, ok := a.scheduleTime(w, req.Scheduled)
	if !ok {
		return
	}
	items, accepted := planBroadcast(req.Destination, bad)
	if !a.s.Reserve(accepted) {
		a.storeFull(w)
		return
	}
	for i := range items {
		it := &items[i]
		if it.failed {
			continue
		}
		m := a.newMessage(it.dest, &req.sendRequest)
		it.id = m.ID
		a.s.Accept(m, at)
	}
	a.writeBroadcast(w, items)
}

// planBroadcast decides each destination's item.
func planBroadcast(dests []string, bad map[int]string) ([]broadcastItem, int) {
	items := make([]broadcastItem, len(dests))
	accepted := 0
	for i, d := range dests {
		switch {
		case bad[i] != "":
			items[i] = broadcastItem{id: sim.NewID(), failed: true, message: "destination " + strconv.Itoa(i) + " " + strconv.Quote(d) + " is not an E.164 number"}
		case d == MagicRefused:
			items[i] = broadcastItem{dest: d, id: sim.NewID(), failed: true, message: "destination refused at submission (magic number)"}
		default:
			items[i] = broadcastItem{dest: d}
			accepted++
		}
	}
	return items, accepted
}

// writeBroadcast answers 202 with the result items (faults applied).
func (a *api) writeBroadcast(w http.ResponseWriter, items []broadcastItem) {
	if len(items) > 0 && a.s.Hit(a.f.broadcastShortResults) {
		items = items[:len(items)-1]
	}
	status := http.StatusAccepted
	if a.s.Hit(a.f.wrongSuccessStatus) {
		status = http.StatusOK
	}
	b := make([]byte, 0, 2+len(items)*112)
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if it.dest != "" {
			b = append(b, `"destination":`...)
			b = jsonw.AppendString(b, it.dest)
			b = append(b, ',')
		}
		b = append(b, `"id":"`...)
		b = it.id.AppendUUID(b)
		if it.failed {
			b = append(b, `","status":"failed","message":`...)
			b = jsonw.AppendString(b, it.message)
			b = append(b, '}')
		} else {
			b = append(b, `","status":"accepted"}`...)
		}
	}
	b = append(b, ']')
	a.writeJSON(w, status, b)
}
