package onpremsim

import (
	"encoding/json"
	"net/http"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
)

// contacts is POST /contacts: the status of each input number. Numbers of
// 8 to 15 digits are WhatsApp users (valid, with their wa_id), except the
// magic ones (MagicInvalid: invalid; MagicProcessing: processing) and
// those that cannot be one (notAUser: a leading 0); other inputs are
// invalid. The check is instant, so blocking wait and no_wait
// answer alike.
func (a *api) contacts(w http.ResponseWriter, r *http.Request, _ string) {
	val, ok := a.validJSON(w, r)
	if !ok {
		return
	}
	inputs, _ := asMap(val)["contacts"].([]any)
	out := make([]onprem.Contact, 0, len(inputs))
	for _, in := range inputs {
		s, _ := in.(string)
		out = append(out, checkContact(s))
	}
	body, _ := json.Marshal(struct {
		Contacts []onprem.Contact `json:"contacts"`
		Meta     json.RawMessage  `json:"meta"`
	}{out, json.RawMessage(metaJSON)})
	a.writeJSON(w, http.StatusOK, body)
}

// checkContact is one input's status.
func checkContact(input string) onprem.Contact {
	id := onprem.WAID(input)
	switch {
	case !plausible(input) || notAUser("+"+id):
		return onprem.Contact{Input: input, Status: "invalid"}
	case "+"+id == MagicProcessing:
		return onprem.Contact{Input: input, Status: "processing"}
	}
	return onprem.Contact{Input: input, Status: "valid", WAID: id}
}

// plausible reports whether input holds only what phone numbers are
// written with: digits, spaces, "+", "-", "(", ")" and ".".
func plausible(input string) bool {
	for i := 0; i < len(input); i++ {
		switch c := input[i]; {
		case c >= '0' && c <= '9', c == ' ', c == '+', c == '-', c == '(', c == ')', c == '.':
		default:
			return false
		}
	}
	return true
}
