package modica

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

var (
	_ dialect.Explorer         = (*Dialect)(nil)
	_ dialect.ItemRejecter     = (*Dialect)(nil)
	_ dialect.ReferenceFielder = (*Dialect)(nil)
)

// Sends implements dialect.Explorer: POST /messages (destination, or the
// deprecated to) and POST /messages/broadcast (destination, an array).
func (*Dialect) Sends(operation string) ([]string, bool) {
	switch operation {
	case OpPostMessages:
		return []string{"/destination", "/to"}, true
	case OpBroadcast:
		return []string{"/destination"}, true
	}
	return nil, false
}

// ReferenceFields implements dialect.ReferenceFielder: a send or a
// broadcast carries the client's reference in /reference.
func (d *Dialect) ReferenceFields(operation string) []string {
	if _, ok := d.Sends(operation); ok {
		return []string{"/reference"}
	}
	return nil
}

// Links implements dialect.Explorer: a sent message can be retrieved and
// marked read by its id; an uploaded file downloads as the same bytes.
func (*Dialect) Links() []dialect.Link {
	return []dialect.Link{
		{Label: "send → get", From: OpPostMessages, Value: "/message_id", To: OpGetMessages, In: "query", Param: "id", Echo: "/id"},
		{Label: "send → mark read", From: OpPostMessages, Value: "/message_id", To: OpPatchMessages, In: "body", Param: "/message_id"},
		{Label: "broadcast → get", From: OpBroadcast, Value: "/0/id", To: OpGetMessages, In: "query", Param: "id", Echo: "/id"},
		{Label: "upload → download", From: OpPostMedia, Value: "/id", To: OpGetMedia, In: "query", Param: "media_id", SameBytes: true},
	}
}

// MessageIDs implements dialect.Explorer: the message_id of a send, the
// accepted items of a broadcast.
func (d *Dialect) MessageIDs(operation string, answer []byte) []string {
	a := dialect.Answer{Status: 202, Body: answer}
	switch operation {
	case OpPostMessages:
		if acc, err := d.ReadSend(a); err == nil && acc.ID != "" {
			return []string{acc.ID}
		}
	case OpBroadcast:
		items, _ := d.ReadBroadcast(a)
		var ids []string
		for _, it := range items {
			if it.ID != "" && !it.Refused {
				ids = append(ids, it.ID)
			}
		}
		return ids
	}
	return nil
}

// ItemRejected implements dialect.ItemRejecter: a broadcast answers one
// result per destination, in order; a bad destination's result has status
// "failed".
func (*Dialect) ItemRejected(operation, pointer string, answer []byte) bool {
	if operation != OpBroadcast {
		return false
	}
	rest, ok := strings.CutPrefix(pointer, "/destination/")
	if !ok {
		return false
	}
	i, err := strconv.Atoi(rest)
	if err != nil {
		return false
	}
	var items []struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(answer, &items) != nil || i < 0 || i >= len(items) {
		return false
	}
	return items[i].Status == "failed"
}
