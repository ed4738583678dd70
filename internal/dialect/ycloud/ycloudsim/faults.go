package ycloudsim

import (
	"fmt"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// The YCloud wire's faults, in catalogue order.
var catalogue = []sim.Fault{
	{Name: "bad-signature", Does: "events are signed with a secret other than the endpoint's", Conformant: "sign YCloud-Signature with the endpoint's secret"},
	{Name: "missing-signature", Does: "events carry no YCloud-Signature header", Conformant: "sign every event"},
	{Name: "stale-signature", Does: "events are signed with a timestamp 10 minutes old", Conformant: "sign with the time of sending"},
	{Name: "wrong-event-type", Does: "status events have type whatsapp.message.update (no such event type)", Conformant: "type whatsapp.message.updated"},
	{Name: "unknown-status", Does: "status events report status \"pending\"", Conformant: "use only the WhatsappMessageStatus values"},
	{Name: "wrong-to", Does: "status events name another recipient in whatsappMessage.to", Conformant: "name the message's recipient"},
	{Name: "stale-retrieve", Does: "GET /whatsapp/messages/{id} reports accepted, behind the events already sent", Conformant: "report the latest status and its time fields"},
	{Name: "missing-id", Does: "the send answer (enqueue and sendDirectly) has no id", Conformant: "return the new message's id"},
	{Name: "unwrapped-error-body", Does: "error answers are {status, code, message} without the \"error\" wrapper", Conformant: "answer {\"error\": {status, code, …}}"},
	{Name: "non-rfc3339-times", Does: "time fields of answers and events are \"2006-01-02 15:04:05\"", Conformant: "RFC 3339 times (2022-06-01T12:00:00.000Z)"},
	{Name: "no-events", Does: "no webhook event is sent at all", Conformant: "post every status change and inbound message to the subscribed endpoints"},
	// The core's status-callback faults, in YCloud's terms.
	{Name: "dlr-drop", Does: "a whatsapp.message.updated event is never sent (at ratio 1 no final status arrives)", Conformant: "post every status change"},
	{Name: "dlr-late", Does: "the final status event is held back for --late-dlr-delay (default 35s)", Conformant: "post status events promptly"},
	{Name: "dlr-unknown-id", Does: "a status event carries a message id that was never issued", Conformant: "use the id returned when the message was sent"},
	{Name: "callback-malformed-body", Does: "an event body (status or inbound) is truncated, invalid JSON", Conformant: "post an Event envelope valid against the spec"},
}

// faultIDs are the core's ids of the wire's faults.
type faultIDs struct {
	badSignature, missingSignature, staleSignature, wrongEventType, unknownStatus, wrongTo sim.FaultID
	staleRetrieve, missingID, unwrappedErrorBody, nonRFC3339Times, noEvents                sim.FaultID
}

// Faults implements sim.Wire.
func (*api) Faults() []sim.Fault { return append([]sim.Fault(nil), catalogue...) }

// lookupFaults asks the core for the ids of the wire's faults.
func (a *api) lookupFaults() error {
	for _, f := range []struct {
		name string
		dst  *sim.FaultID
	}{
		{"bad-signature", &a.f.badSignature}, {"missing-signature", &a.f.missingSignature},
		{"stale-signature", &a.f.staleSignature}, {"wrong-event-type", &a.f.wrongEventType},
		{"unknown-status", &a.f.unknownStatus}, {"wrong-to", &a.f.wrongTo}, {"stale-retrieve", &a.f.staleRetrieve},
		{"missing-id", &a.f.missingID}, {"unwrapped-error-body", &a.f.unwrappedErrorBody},
		{"non-rfc3339-times", &a.f.nonRFC3339Times}, {"no-events", &a.f.noEvents},
	} {
		id, ok := a.s.FaultID(f.name)
		if !ok {
			return fmt.Errorf("sim: fault %s is not in the catalogue", f.name)
		}
		*f.dst = id
	}
	return nil
}
