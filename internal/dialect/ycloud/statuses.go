package ycloud

import "github.com/wabcheck/wabcheck/internal/dialect"

// The statuses of WhatsappMessageStatus.
const (
	Accepted  = "accepted"
	Sent      = "sent"
	Delivered = "delivered"
	Read      = "read"
	Failed    = "failed"
)

// statusModel is YCloud's message statuses in the spec's enum order.
// accepted < sent < delivered < read; failed ranks with delivered (the
// outcome of delivery), so that of delivered and failed both reported (the
// recipient's devices differ) the failure is the latest, as a retrieve
// then reports it. YCloud gives no ordering guarantee and delivers events at
// least once ("delivered" before "sent", "delivered" and "failed" both for
// several devices, skipped steps), so the model is not Ordered: disorder
// and duplicates are counted, not reported.
func statusModel() *dialect.StatusModel {
	return dialect.NewStatusModel(dialect.StatusModel{
		Statuses: []dialect.Status{
			{Name: Accepted, Rank: 0},
			{Name: Failed, Rank: 2, Final: true, Failure: true},
			{Name: Sent, Rank: 1},
			{Name: Delivered, Rank: 2, Final: true},
			{Name: Read, Rank: 3, Final: true},
		},
		Accepted: Accepted,
		Ordered:  false,
	})
}
