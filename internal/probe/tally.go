package probe

import (
	"context"
	"fmt"
)

// tally counts cases per operation × check and collects the findings,
// one per operation × check × rule, in the order they were first seen.
type tally struct {
	counts   map[[2]string]*Count
	findings map[string]*pending
	order    []string
}

// pending is a finding with the first exchange that showed it.
type pending struct {
	f    Finding
	ex   *exchange
	fail failure
}

func newTally() *tally {
	return &tally{counts: map[[2]string]*Count{}, findings: map[string]*pending{}}
}

func (t *tally) count(op, check string) *Count {
	k := [2]string{op, check}
	if t.counts[k] == nil {
		t.counts[k] = &Count{Operation: op, Check: check}
	}
	return t.counts[k]
}

func (t *tally) add(r *runner, ex *exchange, applied []string, fails []failure) {
	c := ex.c
	for _, check := range applied {
		t.count(c.Operation, check).Cases++
	}
	failed := map[string]bool{}
	for _, f := range fails {
		if !failed[f.check] {
			failed[f.check] = true
			t.count(c.Operation, f.check).Failed++
		}
		fd := Finding{Check: f.check, Operation: c.Operation, Method: c.op.method, Path: c.op.path, Kind: c.Kind, Phase: c.Phase,
			Rule: f.rule, Spec: f.loc, Where: f.where, Message: f.message, CaseID: c.ID, Occurrences: 1}
		key := fd.Key()
		if p := t.findings[key]; p != nil {
			p.f.Occurrences++
			continue
		}
		t.findings[key] = &pending{f: fd, ex: ex, fail: f}
		t.order = append(t.order, key)
	}
}

func (t *tally) list() []Count {
	out := make([]Count, 0, len(t.counts))
	for _, c := range t.counts {
		out = append(out, *c)
	}
	sortCounts(out)
	return out
}

// finish shrinks each finding's request and renders it (curl line,
// answer).
func (r *runner) finish(ctx context.Context, t *tally) []Finding {
	out := make([]Finding, 0, len(t.order))
	for i, key := range t.order {
		p := t.findings[key]
		ex := p.ex
		if shrinkable(p) {
			if sx, ok := r.shrink(ctx, ex, p.fail); ok {
				ex, p.f.Shrunk = sx, true
			}
		}
		r.describe(&p.f, ex, i+1)
		out = append(out, p.f)
	}
	return out
}

// shrinkable: findings about the request's content; not latency (the
// request does not cause it), receipts or links (they depend on state).
func shrinkable(p *pending) bool {
	switch p.fail.check {
	case CheckMaxResponseTime, CheckDeliveryReceipts, CheckResourceAvailability, CheckResourceConsistency:
		return false
	}
	return p.ex.err == nil && p.ex.c.Kind != Linked && p.ex.c.Kind != Method
}

// describe fills the request and answer of finding number n.
func (r *runner) describe(f *Finding, ex *exchange, n int) {
	f.Case, f.Status, f.Answer = ex.c.Name, ex.status, answerText(ex)
	file := fmt.Sprintf("finding-%d.body", n)
	line, inline := r.curl(ex, file)
	f.Curl = line
	if !inline {
		f.BodyFile, f.Body = file, ex.reqBody
	}
}
