package probe

import (
	"context"
	"fmt"
	"sync"

	"github.com/wabcheck/wabcheck/internal/callbacks"
)

// followed is one accepted send whose receipts were followed.
type followed struct {
	ex     *exchange
	id     string
	events []callbacks.Event
	err    error // no final receipt in time
}

// receipts registers every accepted send's message ids with the receiver
// and follows the first FollowReceipts of them until a final status (or
// ReceiptTimeout). Nothing happens without a receiver or a dialect that
// knows receipts.
func (r *runner) receipts(ctx context.Context, exs []*exchange) []*followed {
	rc, ok := r.o.Dialect.(Receipts)
	if !ok || r.o.Receiver == nil || r.o.FollowReceipts <= 0 {
		return nil
	}
	var fs []*followed
	for _, ex := range exs {
		if ex == nil || ex.c.Kind != Positive || ex.status/100 != 2 {
			continue
		}
		for _, id := range rc.MessageIDs(ex.c.Operation, ex.answer) {
			r.o.Receiver.Expect(id, "", r.o.Now())
			if len(fs) < r.o.FollowReceipts {
				fs = append(fs, &followed{ex: ex, id: id})
			}
		}
	}
	wctx, cancel := context.WithTimeout(ctx, r.o.ReceiptTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.events, f.err = r.o.Receiver.Wait(wctx, f.id, func(evs []callbacks.Event) bool {
				return len(evs) > 0 && rc.FinalStatus(evs[len(evs)-1].Status)
			})
		}()
	}
	wg.Wait()
	return fs
}

// receiptFailures checks one followed send: a final status in time, every
// receipt valid against the spec's callback, legal, and not repeated.
func (r *runner) receiptFailures(f *followed) []failure {
	base := failure{check: CheckDeliveryReceipts, loc: r.o.Doc.Locate(f.ex.c.op.ptr + "/callbacks"), where: "receipts"}
	var out []failure
	if f.err != nil {
		x := base
		x.rule = "receipts: a final status"
		x.message = fmt.Sprintf("message %s: no final delivery status within %v (%d receipts: %s)", f.id, r.o.ReceiptTimeout, len(f.events), statuses(f.events))
		out = append(out, x)
	}
	for _, e := range f.events {
		for _, fd := range e.Findings {
			x := base
			x.rule, x.loc, x.where = fd.Code+" "+fd.Where+" "+fd.Pointer, fd.Spec, "receipt "+fd.Where+fd.Pointer
			x.message = fmt.Sprintf("message %s, receipt %q: %s", f.id, e.Status, fd.Message)
			out = append(out, x)
		}
		if e.Duplicate {
			x := base
			x.rule, x.message = "receipts: no duplicates", fmt.Sprintf("message %s: receipt %q arrived twice", f.id, e.Status)
			out = append(out, x)
		}
	}
	return out
}

func statuses(evs []callbacks.Event) string {
	s := ""
	for i, e := range evs {
		if i > 0 {
			s += " → "
		}
		s += e.Status
	}
	if s == "" {
		return "none"
	}
	return s
}
