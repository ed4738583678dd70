package modicasim

import (
	"fmt"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// The Modica wire's faults, in catalogue order.
var catalogue = []sim.Fault{
	{Name: "wrong-success-status", Does: "POST /messages and /messages/broadcast answer 200 instead of 202", Conformant: "answer 202 Accepted"},
	{Name: "missing-message-id", Does: "the 202 body of POST /messages has no message_id", Conformant: "return the new message's message_id"},
	{Name: "non-uuid-message-id", Does: "message_id in the 202 body is 32 hex digits without dashes", Conformant: "return a lower-case UUID (spec Uuid pattern)"},
	{Name: "unknown-status-value", Does: "status is \"queued\" in the 202 body and \"delivered\" in GET /messages", Conformant: "use only the spec's status enums"},
	{Name: "missing-security-header", Does: "responses lack Content-Security-Policy and Strict-Transport-Security", Conformant: "send both headers on every response"},
	{Name: "retry-after-missing", Does: "429 responses have no Retry-After", Conformant: "send Retry-After (10..1000 s) with every 429"},
	{Name: "retry-after-out-of-range", Does: "429 responses say Retry-After: 1", Conformant: "send a Retry-After within the spec's 10..1000 s"},
	{Name: "missing-ratelimit-header", Does: "responses lack X-RateLimit-Limit", Conformant: "send X-RateLimit-Limit on every response"},
	{Name: "broadcast-short-results", Does: "a broadcast answer lacks the last destination's item", Conformant: "one result item per destination"},
	{Name: "accept-invalid-e164", Does: "a send to a destination that is not E.164 is accepted (202)", Conformant: "reject it with a 4XX naming the destination"},
	// The core's status-callback faults, in Modica's terms.
	{Name: "dlr-out-of-order", Does: "the received DLR is sent before the sent DLR", Conformant: "send statuses in lifecycle order"},
	{Name: "dlr-late", Does: "the final DLR is held back for --late-dlr-delay (default 35s)", Conformant: "send DLRs promptly"},
	{Name: "dlr-unknown-id", Does: "a status callback carries an id that was never issued", Conformant: "use the message_id returned in the 202"},
	{Name: "callback-malformed-body", Does: "a callback body (DLR or MO) is truncated, invalid JSON", Conformant: "post a body valid against the callback schema"},
	{Name: "dlr-illegal-transition", Does: "a read DLR is sent before sent and received", Conformant: "never report read before received"},
}

// faultIDs are the core's ids of the wire's faults.
type faultIDs struct {
	wrongSuccessStatus, missingMessageID, nonUUIDMessageID, unknownStatusValue sim.FaultID
	missingSecurityHeader, retryAfterMissing, retryAfterOutOfRange             sim.FaultID
	missingRateLimitHeader, broadcastShortResults, acceptInvalidE164           sim.FaultID
}

// Faults implements sim.Wire.
func (*api) Faults() []sim.Fault { return append([]sim.Fault(nil), catalogue...) }

// lookupFaults asks the core for the ids of the wire's faults.
func (a *api) lookupFaults() error {
	for _, f := range []struct {
		name string
		dst  *sim.FaultID
	}{
		{"wrong-success-status", &a.f.wrongSuccessStatus}, {"missing-message-id", &a.f.missingMessageID},
		{"non-uuid-message-id", &a.f.nonUUIDMessageID}, {"unknown-status-value", &a.f.unknownStatusValue},
		{"missing-security-header", &a.f.missingSecurityHeader}, {"retry-after-missing", &a.f.retryAfterMissing},
		{"retry-after-out-of-range", &a.f.retryAfterOutOfRange}, {"missing-ratelimit-header", &a.f.missingRateLimitHeader},
		{"broadcast-short-results", &a.f.broadcastShortResults}, {"accept-invalid-e164", &a.f.acceptInvalidE164},
	} {
		id, ok := a.s.FaultID(f.name)
		if !ok {
			return fmt.Errorf("sim: fault %s is not in the catalogue", f.name)
		}
		*f.dst = id
	}
	return nil
}
