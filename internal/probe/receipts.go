package probe

import (
	"context"
	"fmt"
	"slices"
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

// receipts follows the first FollowReceipts message ids of the accepted
// sends (found and registered with the receiver as they were answered:
// expect) until a final status (or ReceiptTimeout). Nothing happens
// without a receiver or a dialect that knows receipts.
func (r *runner) receipts(ctx context.Context, exs []*exchange) []*followed {
	if r.o.Receiver == nil || r.o.FollowReceipts <= 0 {
		return nil
	}
	var fs []*followed
	for _, x := range exs {
		if x == nil {
			continue
		}
		for _, id := range x.ids {
			if len(fs) < r.o.FollowReceipts {
				fs = append(fs, &followed{ex: x, id: id})
			}
		}
	}
	st := r.o.Dialect.Statuses()
	wctx, cancel := context.WithTimeout(ctx, r.o.ReceiptTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.events, f.err = r.o.Receiver.Wait(wctx, f.id, func(evs []callbacks.Event) bool {
				return slices.ContainsFunc(evs, func(e callbacks.Event) bool { return st.IsFinal(e.Status) })
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
		if e.Duplicate && r.o.Dialect.Statuses().Ordered {
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
