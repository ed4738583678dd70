package onprem

import "github.com/wabcheck/wabcheck/internal/dialect"

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
