package modica

import "github.com/wabcheck/wabcheck/internal/dialect"

// The statuses of StatusCallback.status.
const (
	Accepted  = "accepted"
	Submitted = "submitted"
	Sent      = "sent"
	Received  = "received"
	Read      = "read"
	Frozen    = "frozen"
	Rejected  = "rejected"
	Failed    = "failed"
	Dead      = "dead"
	Expired   = "expired"
)

// statusModel is Modica's DLR statuses in the spec's order. The happy
// path ranks accepted < submitted < frozen < sent < received < read
// (frozen: held by the carrier, may still be sent); the failures
// (rejected, failed, dead, expired) are final. Received is the delivery
// outcome (final), read may still follow it.
func statusModel() *dialect.StatusModel {
	return dialect.NewStatusModel(dialect.StatusModel{
		Statuses: []dialect.Status{
			{Name: Accepted, Rank: 0}, {Name: Submitted, Rank: 1}, {Name: Sent, Rank: 3},
			{Name: Received, Rank: 4, Final: true}, {Name: Read, Rank: 5, Final: true},
			{Name: Frozen, Rank: 2}, {Name: Rejected, Rank: 1, Final: true, Failure: true},
			{Name: Failed, Rank: 3, Final: true, Failure: true}, {Name: Dead, Rank: 3, Final: true, Failure: true},
			{Name: Expired, Rank: 4, Final: true, Failure: true},
		},
		Accepted: Accepted,
		Ordered:  true,
		Legal:    legal,
	})
}

// legal reports whether a DLR with status next may follow one with status
// prev for the same message: intermediate statuses may be skipped but
// never reversed; nothing follows a failure or read; only read follows
// received; a failure may follow anything before received.
func legal(prev, next dialect.Status) bool {
	if prev.Failure || prev.Name == Read {
		return false
	}
	if next.Failure {
		return prev.Name != Received
	}
	return next.Rank > prev.Rank
}
