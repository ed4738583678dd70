package probe

// MOVES INTO THE MODICA DIALECT (issue 8). Everything in this file is
// Modica-specific knowledge the probe needs beyond the spec; when dialects
// exist, the lead moves it into the Modica dialect package and the CLI
// asks the dialect registry for it.

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dlr"
)

// Modica's operationIds.
const (
	modicaSend      = "PostMessages"
	modicaBroadcast = "messages_broadcast_post"
	modicaGet       = "GetMessages"
	modicaPatch     = "PatchMessages"
	modicaUpload    = "PostMedia"
	modicaDownload  = "GetMedia"
)

// The fixed wrong credentials of AuthorizeWrong: not secrets.
const (
	wrongUser     = "wabcheck-probe"
	wrongPassword = "not-the-password"
)

// Modica is the Modica WAB v1.2.0 dialect: HTTP Basic credentials, sends
// through POST /messages and /messages/broadcast, DLR callbacks.
type Modica struct {
	// User and Password are the HTTP Basic credentials.
	User, Password string
}

var (
	_ Dialect      = Modica{}
	_ ItemRejecter = Modica{}
	_ Receipts     = Modica{}
)

// Authorize sets HTTP Basic credentials.
func (m Modica) Authorize(req *http.Request) error {
	if m.User == "" && m.Password == "" {
		return errors.New("no credentials: set --user/--password or WABCHECK_USER/WABCHECK_PASSWORD")
	}
	req.SetBasicAuth(m.User, m.Password)
	return nil
}

// AuthorizeWrong sets fixed HTTP Basic credentials no account has.
func (m Modica) AuthorizeWrong(req *http.Request) {
	u, p := wrongUser, wrongPassword
	if u == m.User && p == m.Password {
		p += "-2"
	}
	req.SetBasicAuth(u, p)
}

// CredentialHeaders is Authorization.
func (Modica) CredentialHeaders() []string { return []string{"Authorization"} }

// CurlAuth is curl's -u with the credentials from the environment, or the
// fixed wrong ones.
func (Modica) CurlAuth(wrong bool) string {
	if wrong {
		return "-u '" + wrongUser + ":" + wrongPassword + "'"
	}
	return `-u "$WABCHECK_USER:$WABCHECK_PASSWORD"`
}

// Sends: POST /messages (destination, or the deprecated to) and POST
// /messages/broadcast (destination, an array).
func (Modica) Sends(operationID string) ([]string, bool) {
	switch operationID {
	case modicaSend:
		return []string{"/destination", "/to"}, true
	case modicaBroadcast:
		return []string{"/destination"}, true
	}
	return nil, false
}

// Links: a sent message can be retrieved and marked read by its id; an
// uploaded file downloads as the same bytes.
func (Modica) Links() []Link {
	return []Link{
		{Label: "send → get", From: modicaSend, Value: "/message_id", To: modicaGet, In: "query", Param: "id", Echo: "/id"},
		{Label: "send → mark read", From: modicaSend, Value: "/message_id", To: modicaPatch, In: "body", Param: "/message_id"},
		{Label: "broadcast → get", From: modicaBroadcast, Value: "/0/id", To: modicaGet, In: "query", Param: "id", Echo: "/id"},
		{Label: "upload → download", From: modicaUpload, Value: "/id", To: modicaDownload, In: "query", Param: "media_id", SameBytes: true},
	}
}

// ItemRejected: a broadcast answers one result per destination, in order;
// a bad destination's result has status "failed".
func (Modica) ItemRejected(operationID, pointer string, answer []byte) bool {
	if operationID != modicaBroadcast {
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

// MessageIDs: the message_id of a send, the accepted items of a broadcast.
func (Modica) MessageIDs(operationID string, answer []byte) []string {
	switch operationID {
	case modicaSend:
		var a struct {
			ID string `json:"message_id"`
		}
		if json.Unmarshal(answer, &a) == nil && a.ID != "" {
			return []string{a.ID}
		}
	case modicaBroadcast:
		var items []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		_ = json.Unmarshal(answer, &items)
		var ids []string
		for _, it := range items {
			if it.Status == "accepted" && it.ID != "" {
				ids = append(ids, it.ID)
			}
		}
		return ids
	}
	return nil
}

// FinalStatus: received, read or a failure (dlr.IsTerminal).
func (Modica) FinalStatus(status string) bool { return dlr.IsTerminal(dlr.Status(status)) }
