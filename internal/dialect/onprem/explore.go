package onprem

import (
	"net/http"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

var _ dialect.Explorer = (*Dialect)(nil)

// Sends implements dialect.Explorer: POST /messages sends to its to (a
// WhatsApp id, the recipient's digits).
func (*Dialect) Sends(operation string) ([]string, bool) {
	if operation == OpSend {
		return []string{"/to"}, true
	}
	return nil, false
}

// Links implements dialect.Explorer: an uploaded file downloads as the
// same bytes by the id the upload answered (media[0].id). A sent message
// has no link: PUT /messages/{id} marks only received messages read, and
// the client cannot retrieve a message.
func (*Dialect) Links() []dialect.Link {
	return []dialect.Link{
		{Label: "upload → download", From: OpUpload, Value: "/media/0/id", To: OpDownload, In: "path", Param: "MediaId", SameBytes: true},
	}
}

// MessageIDs implements dialect.Explorer: the id of a send's answer
// {messages: [{id}]}.
func (d *Dialect) MessageIDs(operation string, answer []byte) []string {
	if operation != OpSend {
		return nil
	}
	if acc, err := d.ReadSend(dialect.Answer{Status: http.StatusCreated, Body: answer}); err == nil {
		return []string{acc.ID}
	}
	return nil
}

var _ dialect.Reconfigurer = (*Dialect)(nil)

// Reconfigures implements dialect.Reconfigurer: PATCH
// /settings/application sets the application's one webhook URL (and its
// callback settings); POST /users/login with a body sets a new password.
func (*Dialect) Reconfigures(operation string) (string, bool) {
	switch operation {
	case OpSetSettings:
		return "sets the one webhook URL", true
	case OpLogin:
		return "with a body, sets a new password", true
	}
	return "", false
}
