package probe

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// runner is the machinery of one run.
type runner struct {
	o     Options
	v     *validate.Validator
	pl    *planner
	byID  map[string]*operation
	ops   []*operation // the probed ones
	links []Link
	notes []string
}

// Run plans the cases, sends them, follows links and receipts, checks
// every answer and returns the result. An error means the run could not
// go on (bad options, no answer at all from the target); failures of the
// target are findings in the result.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.resolve()
	r, err := newRunner(o)
	if err != nil {
		return nil, err
	}
	if err := r.preflight(ctx); err != nil {
		return nil, err
	}
	started := o.Now()
	reserve := linkReserve(r.links, o.MaxCases)
	cases := r.pl.plan(o.MaxCases - reserve)
	fmt.Fprintf(o.Progress, "probe: %d cases for %d operations (seed %d), planned in %v\n", len(cases), len(r.ops), o.Seed, o.Now().Sub(started).Round(time.Millisecond))
	exs := r.sendAll(ctx, cases)
	fmt.Fprintf(o.Progress, "probe: cases sent in %v\n", o.Now().Sub(started).Round(time.Millisecond))
	var fs []*followed
	if ctx.Err() == nil { // an interrupted run follows nothing: waits would end as false findings
		exs = append(exs, r.follow(ctx, exs, reserve)...)
		fs = r.receipts(ctx, exs)
	}
	fmt.Fprintf(o.Progress, "probe: links and receipts followed at %v\n", o.Now().Sub(started).Round(time.Millisecond))
	res := r.collect(ctx, exs, fs)
	res.Started, res.Duration = started, o.Now().Sub(started)
	res.Interrupted = ctx.Err() != nil
	return res, nil
}

func newRunner(o Options) (*runner, error) {
	v := o.Validator
	if v == nil {
		var err error
		if v, err = validate.New(o.Doc, validate.Dialect(o.Dialect)); err != nil {
			return nil, fmt.Errorf("probe: %w", err)
		}
	}
	r := &runner{o: o, v: v, byID: map[string]*operation{}}
	all := operations(o.Doc)
	var fromSpec []Link
	var unserved, reconfig []string
	for _, op := range all {
		r.byID[op.id] = op
		fromSpec = append(fromSpec, op.links...)
		what, reconfigures := o.reconfigures(op.id)
		switch {
		case len(o.Operations) > 0 && !slices.Contains(o.Operations, op.id):
		case o.Serves != nil && !o.Serves(op.method, op.path):
			unserved = append(unserved, op.id)
		case reconfigures:
			reconfig = append(reconfig, op.id+" ("+what+")")
		default:
			r.ops = append(r.ops, op)
		}
	}
	r.links, r.notes = resolveLinks(r.byID, fromSpec, o.dialectLinks())
	if len(unserved) > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%d operations left out: the simulator does not implement them (%s)", len(unserved), strings.Join(unserved, ", ")))
	}
	if len(reconfig) > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%d operations left out: they reconfigure the account for everyone using it (%s)", len(reconfig), strings.Join(reconfig, ", ")))
	}
	r.pl = newPlanner(o, v, r.ops, r.links)
	if o.explores() && o.Receiver == nil {
		r.notes = append(r.notes, "delivery receipts not followed: no callback receiver (the in-process simulator has one; for a real target see docs/probe.md)")
	}
	return r, nil
}

// collect checks every exchange, counts, de-duplicates and shrinks the
// findings and computes coverage.
func (r *runner) collect(ctx context.Context, exs []*exchange, fs []*followed) *Result {
	res := &Result{Target: redact.URL(r.o.Target), Simulated: r.o.Simulated, Spec: r.o.Doc.Name, Errata: r.o.Doc.Errata.Summary(),
		Seed: r.o.Seed, MaxCases: r.o.MaxCases, Positive: r.o.Positive, Links: r.links, Notes: r.notes}
	for _, op := range r.ops {
		res.Operations = append(res.Operations, op.id)
	}
	t := newTally()
	for _, ex := range exs {
		if ex == nil {
			continue
		}
		applied, fails := r.evaluate(ex)
		res.Cases = append(res.Cases, caseResult(ex, fails))
		t.add(r, ex, applied, fails)
	}
	for _, f := range fs {
		t.add(r, f.ex, []string{CheckDeliveryReceipts}, r.receiptFailures(f))
	}
	res.Counts, res.Findings = t.list(), r.finish(ctx, t)
	res.Skipped = r.skips()
	res.Coverage = report.CoverageOf(report.Universe(r.o.Doc, r.v.CallbackKinds()), append(r.hits(exs), receiptHits(fs)...))
	return res
}

func caseResult(ex *exchange, fails []failure) CaseResult {
	cr := CaseResult{Case: *ex.c, Status: ex.status, Duration: ex.dur, RateLimited: ex.limited}
	if ex.err != nil {
		cr.Error = redact.String(ex.err.Error())
	}
	for _, f := range fails {
		if !slices.Contains(cr.Failed, f.check) {
			cr.Failed = append(cr.Failed, f.check)
		}
	}
	return cr
}

// hits are the answers counted into spec coverage (undeclared methods
// belong to no operation).
func (r *runner) hits(exs []*exchange) []report.Hit {
	var out []report.Hit
	for _, ex := range exs {
		if ex == nil || ex.err != nil || ex.c.Kind == Method {
			continue
		}
		fs := r.v.Response(ex.c.Method, r.specPath(ex), ex.status, ex.header, ex.answer)
		out = append(out, report.Hit{Operation: ex.c.Operation, Method: ex.c.Method, Path: ex.c.op.path, Status: ex.status, Invalid: len(fs) > 0})
	}
	return out
}

// receiptHits counts the followed sends' receipts into coverage.
func receiptHits(fs []*followed) []report.Hit {
	var out []report.Hit
	for _, f := range fs {
		for _, e := range f.events {
			out = append(out, report.Hit{Callback: string(e.Kind), Invalid: len(e.Findings) > 0})
		}
	}
	return out
}

func (r *runner) skips() []Skip {
	var out []Skip
	for k, n := range r.pl.skipped {
		out = append(out, Skip{Operation: k.op, Reason: k.reason, Count: n})
	}
	slices.SortFunc(out, func(a, b Skip) int {
		if a.Operation != b.Operation {
			return compareStrings(a.Operation, b.Operation)
		}
		return compareStrings(a.Reason, b.Reason)
	})
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
