package onprem

import (
	"strconv"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// The statuses of Webhook-Status.status (with erratum E3's warning).
const (
	Sent      = "sent"
	Delivered = "delivered"
	Read      = "read"
	Failed    = "failed"
	Deleted   = "deleted"
	Warning   = "warning"
)

// statusModel is the on-premises client's statuses in the spec's order.
// The way to the recipient ranks sent < delivered < read; failed ends the
// delivery step. deleted (the message was deleted) and warning (a catalog
// item in it is unavailable) are side notes that say nothing about
// delivery: rank 0, never final, so they never stand for a message's
// outcome. The send answer reports no status (no Accepted). The client
// promises no order: a read may come before (or without) its delivered.
func statusModel() *dialect.StatusModel {
	return dialect.NewStatusModel(dialect.StatusModel{
		Statuses: []dialect.Status{
			{Name: Sent, Rank: 1}, {Name: Delivered, Rank: 2, Final: true}, {Name: Read, Rank: 3, Final: true},
			{Name: Failed, Rank: 2, Final: true, Failure: true}, {Name: Deleted, Rank: 0}, {Name: Warning, Rank: 0},
		},
		Ordered: false,
	})
}

// LateRefusal implements dialect.LateRefuser: the client takes a send to a
// number it cannot deliver to (since v2.39 no contacts check is needed
// first; since v2.43 the check calls every number valid) and fails the
// message with a failed status carrying error 131026, Message
// Undeliverable ("the recipient phone number is not a WhatsApp phone
// number", Meta's Cloud API error codes, which the client shares).
func (*Dialect) LateRefusal() (code, how string) {
	return strconv.Itoa(CodeUndeliverable), "a failed status with error 131026 (" + Title(CodeUndeliverable) + ")"
}
