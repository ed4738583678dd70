package onpremsim

import (
	"fmt"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// The on-premises wire's faults, in catalogue order, then the core's
// faults reworded in the client's terms.
var catalogue = []sim.Fault{
	{Name: "webhook-unsigned", Does: "cloud webhooks come without X-Hub-Signature-256 (webhook-format cloud)", Conformant: "sign every Cloud API webhook with the app secret"},
	{Name: "webhook-bad-signature", Does: "cloud webhooks carry an X-Hub-Signature-256 made with another key (webhook-format cloud)", Conformant: "sign the raw body with HMAC-SHA256 under the app secret"},
	{Name: "batch-malformed-item", Does: "a status item of a batch lacks timestamp and recipient_id", Conformant: "every statuses[] item has id, status, timestamp and recipient_id"},
	{Name: "failed-without-errors", Does: "a failed status comes without errors[]", Conformant: "say why a message failed in errors[] (code and title)"},
	{Name: "wrong-recipient-id", Does: "a status names a recipient_id other than the number the message was sent to", Conformant: "recipient_id is the recipient's WhatsApp id"},
	{Name: "token-accepted-after-expiry", Does: "a login token is still accepted after its expires_after", Conformant: "answer 401 to an expired token"},
	{Name: "throughput-error-body-missing", Does: "a send over the throughput limit is answered 400 without errors[] (no code 130429)", Conformant: "answer with the error body naming code 130429"},
	{Name: "unknown-status-value", Does: "a status notification has status \"seen\"", Conformant: "use only the statuses the spec lists"},
	{Name: "dlr-drop", Does: "a status notification is never sent", Conformant: "notify every status change (a read may stand for its delivered)"},
	{Name: "dlr-late", Does: "the final status notification is held back for --late-dlr-delay (default 35s)", Conformant: "notify status changes promptly"},
	{Name: "dlr-unknown-id", Does: "a status notification carries a message id that was never issued", Conformant: "use the messages[0].id returned when the message was sent"},
	{Name: "callback-malformed-body", Does: "a webhook body (a batch) is truncated, invalid JSON", Conformant: "post a body valid against the webhook schema"},
}

// faultIDs are the core's ids of the wire's faults.
type faultIDs struct {
	unsigned, badSignature, malformedItem, failedNoErrors, wrongRecipient sim.FaultID
	tokenAfterExpiry, throughputNoBody, unknownStatus                     sim.FaultID
}

// Faults implements sim.Wire.
func (*api) Faults() []sim.Fault { return append([]sim.Fault(nil), catalogue...) }

// CoreFaults implements sim.Wire: the core's faults that are defects
// here. Duplicates and reorders (dlr-duplicate, dlr-out-of-order) and a
// read before delivered (dlr-illegal-transition) are lawful: the client
// promises no order and delivers at least once.
func (*api) CoreFaults() []string {
	return []string{"server-error-burst", "latency-spike", "dlr-drop", "dlr-late", "dlr-unknown-id", "callback-malformed-body"}
}

// lookupFaults asks the core for the ids of the wire's faults.
func (a *api) lookupFaults() error {
	for _, f := range []struct {
		name string
		dst  *sim.FaultID
	}{
		{"webhook-unsigned", &a.f.unsigned}, {"webhook-bad-signature", &a.f.badSignature},
		{"batch-malformed-item", &a.f.malformedItem}, {"failed-without-errors", &a.f.failedNoErrors},
		{"wrong-recipient-id", &a.f.wrongRecipient}, {"token-accepted-after-expiry", &a.f.tokenAfterExpiry},
		{"throughput-error-body-missing", &a.f.throughputNoBody}, {"unknown-status-value", &a.f.unknownStatus},
	} {
		id, ok := a.s.FaultID(f.name)
		if !ok {
			return fmt.Errorf("sim: fault %s is not in the catalogue", f.name)
		}
		*f.dst = id
	}
	return nil
}
