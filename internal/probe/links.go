package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/wabcheck/wabcheck/spec"
)

// linksPerLink is how many times each link is followed.
const linksPerLink = 2

// linkReserve is the part of the case budget kept for link follow-ups
// (links from outside the API are never followed).
func linkReserve(links []Link, budget int) int {
	n := 0
	for _, l := range links {
		if l.From != "" {
			n++
		}
	}
	return min(linksPerLink*n, budget/5)
}

// follow sends, for each link, requests built from the first positive
// cases whose 2XX answers hold the link's value, at most budget in all.
// Links to a DELETE go last, once the others are answered: deleting the
// resource first would make them fail.
func (r *runner) follow(ctx context.Context, exs []*exchange, budget int) []*exchange {
	var first, last []*Case
	for i := range r.links {
		l := &r.links[i]
		batch := &first
		if to := r.byID[l.To]; to != nil && to.method == http.MethodDelete {
			batch = &last
		}
		*batch = append(*batch, r.linkCases(l, exs, budget-len(first)-len(last))...)
	}
	for i, c := range append(first, last...) {
		c.ID = len(exs) + i // the index of its exchange
	}
	out := r.sendAll(ctx, first)
	if ctx.Err() != nil {
		return out
	}
	return append(out, r.sendAll(ctx, last)...)
}

// linkCases builds l's follow-ups from the first sources among exs, at
// most linksPerLink and budget.
func (r *runner) linkCases(l *Link, exs []*exchange, budget int) []*Case {
	var out []*Case
	for _, ex := range exs {
		if len(out) >= linksPerLink || len(out) >= budget {
			break
		}
		if c := r.linkedCase(l, ex); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// linkedCase builds the request l makes from ex's answer, or nil when ex
// is not a source of l (another operation, not positive, not 2XX, no
// value at the pointer) or the request would not be valid.
func (r *runner) linkedCase(l *Link, ex *exchange) *Case {
	if ex == nil || ex.c.Operation != l.From || ex.c.Kind != Positive || ex.limited || ex.status/100 != 2 {
		return nil
	}
	var answer any
	if json.Unmarshal(ex.answer, &answer) != nil {
		return nil
	}
	val, ok := spec.ValueAt(answer, l.Value)
	if !ok || val == nil {
		return nil
	}
	to := r.byID[l.To]
	c := r.pl.base(to, 0, typical)
	c.Phase, c.Kind, c.Rule, c.RulePtr, c.Where = PhaseStateful, Linked, "link: "+l.Label, to.ptr, l.In+" "+l.Param
	c.Name = fmt.Sprintf("%s: %v from case %d", l.Label, val, ex.c.ID)
	c.link, c.linkValue, c.linkFrom, c.unlinked = l, val, ex.c.upload, false
	if l.In == "body" {
		m := r.pl.media(to)
		if m == nil || !c.hasBody {
			return nil
		}
		body, ok := r.pl.g.ensure(c.body, m.n, 0, l.Param)
		if !ok {
			return nil
		}
		if c.body, ok = setAt(body, l.Param, val, false); !ok {
			return nil
		}
	} else {
		c.params[l.In+" "+l.Param] = paramString(val)
	}
	if !r.pl.valid(c) {
		return nil
	}
	return c
}
