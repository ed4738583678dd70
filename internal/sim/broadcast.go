package sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

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
	id      uuid
	failed  bool
	message string
}

// postBroadcast is POST /messages/broadcast: one result item per
// destination; bad or refused destinations fail alone.
func (s *Server) postBroadcast(w http.ResponseWriter, r *http.Request) {
	if s.refuseClosing(w) {
		return
	}
	bp := s.jsonBody(w, r)
	if bp == nil {
		return
	}
	defer putBuf(bp)
	bad, rest := splitItemFindings(s.v.Request(r, *bp))
	if len(rest) > 0 {
		s.writeErrors(w, http.StatusBadRequest, errorsFromFindings(rest)...)
		return
	}
	var req broadcastRequest
	if err := json.Unmarshal(*bp, &req); err != nil {
		s.writeError(w, http.StatusBadRequest, "body", codeInvalid, err.Error())
		return
	}
	at, ok := s.scheduleTime(w, req.Scheduled)
	if !ok {
		return
	}
	items, accepted := planBroadcast(req.Destination, bad)
	if !s.store.reserve(accepted) {
		s.storeFull(w)
		return
	}
	for i := range items {
		it := &items[i]
		if it.failed {
			continue
		}
		m := s.newMessage(it.dest, &req.sendRequest)
		it.id = m.id
		s.accept(m, at)
	}
	s.writeBroadcast(w, items)
}

// planBroadcast decides each destination's item.
func planBroadcast(dests []string, bad map[int]string) ([]broadcastItem, int) {
	items := make([]broadcastItem, len(dests))
	accepted := 0
	for i, d := range dests {
		switch {
		case bad[i] != "":
			items[i] = broadcastItem{id: newUUID(), failed: true, message: "destination " + strconv.Itoa(i) + " " + strconv.Quote(d) + " is not an E.164 number"}
		case d == MagicRefused:
			items[i] = broadcastItem{dest: d, id: newUUID(), failed: true, message: "destination refused at submission (magic number)"}
		default:
			items[i] = broadcastItem{dest: d}
			accepted++
		}
	}
	return items, accepted
}

// writeBroadcast answers 202 with the result items (faults applied).
func (s *Server) writeBroadcast(w http.ResponseWriter, items []broadcastItem) {
	if len(items) > 0 && s.faults.hit(fBroadcastShortResults) {
		items = items[:len(items)-1]
	}
	status := http.StatusAccepted
	if s.faults.hit(fWrongSuccessStatus) {
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
			b = appendJSONString(b, it.dest)
			b = append(b, ',')
		}
		b = append(b, `"id":"`...)
		b = it.id.appendTo(b)
		if it.failed {
			b = append(b, `","status":"failed","message":`...)
			b = appendJSONString(b, it.message)
			b = append(b, '}')
		} else {
			b = append(b, `","status":"accepted"}`...)
		}
	}
	b = append(b, ']')
	s.writeJSON(w, status, b)
}
