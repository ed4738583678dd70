package probe

import (
	"context"
	"sort"
	"strings"
)

// How a raw-body case's bytes derive from its base body, so shrinking can
// rebuild them from a smaller one.
const (
	rawFixed = iota // bytes unrelated to the base (a broken multipart body)
	rawCut          // the base body's JSON cut short by one byte
	rawWhole        // the base body's JSON, sent with another Content-Type
)

// shrink looks for a smaller request that fails check f the same way:
// first the same change on the smallest valid base (required properties,
// shortest values), then without each optional property in turn. Every
// candidate is judged like a planned case (a positive one must stay valid,
// a negative one keep its violation) and costs one request, at most
// MaxShrink per finding.
func (r *runner) shrink(ctx context.Context, ex *exchange, f failure) (*exchange, bool) {
	best, budget := ex, r.o.MaxShrink
	try := func(c *Case) bool {
		if budget <= 0 || c == nil || !r.pl.valid(c) {
			return false
		}
		budget--
		nx := r.send(ctx, c)
		if r.reproduces(nx, f) {
			best = nx
			return true
		}
		return false
	}
	if ex.c.Kind != Positive {
		// A positive case is shrunk one property at a time only: jumping to
		// the smallest base could hide the property the target refuses.
		try(r.pl.minimalOf(best.c))
	}
	for progress := true; progress && budget > 0; {
		progress = false
		for _, p := range r.pl.optionalPointers(best.c) {
			c := best.c.clone()
			c.body, _ = setAt(c.body, p, nil, true)
			r.pl.rederive(c)
			if try(c) {
				progress = true
				break
			}
		}
	}
	return best, best != ex
}

// reproduces reports whether ex fails f's check for f's rule.
func (r *runner) reproduces(ex *exchange, f failure) bool {
	_, fails := r.evaluate(ex)
	for _, g := range fails {
		if g.check == f.check && g.rule == f.rule {
			return true
		}
	}
	return false
}

// valid: admitted against the target, and of the kind it claims.
func (pl *planner) valid(c *Case) bool {
	if pl.admit(c) != "" {
		return false
	}
	body, ct, err := encode(c)
	return err == nil && pl.judge(c, body, ct)
}

// minimalOf rebuilds c on the smallest base of its branch: the same
// change, the same credentials, the same raw-body derivation.
func (pl *planner) minimalOf(c *Case) *Case {
	if c.link != nil || c.op.body == nil || c.Kind == Method || !c.hasBody {
		return nil
	}
	base := pl.base(c.op, c.branch, minimal)
	base.auth, base.Phase = c.auth, c.Phase
	if c.mut != nil {
		v := variant{kind: c.Kind, rule: c.Rule, rulePtr: c.RulePtr, where: c.Where, name: c.Name, mut: *c.mut, ecma: c.ecma, noCheck: c.noCheck}
		d := base.clone()
		d.Phase, d.Kind, d.Rule, d.RulePtr, d.Where, d.Name = c.Phase, v.kind, v.rule, v.rulePtr, v.where, v.name
		d.ecma, d.noCheck, d.mut = v.ecma, v.noCheck, &v.mut
		if !pl.apply(d, v.mut) {
			return nil
		}
		d.itemPtr = c.itemPtr
		return d
	}
	d := c.clone()
	d.body, d.params, d.unlinked = base.body, base.params, base.unlinked
	pl.rederive(d)
	return d
}

// rederive recomputes a raw body from the case's (changed) body value.
func (pl *planner) rederive(c *Case) {
	if !c.useRaw || c.rawKind == rawFixed {
		return
	}
	d := c.clone()
	d.useRaw, d.contentType = false, ""
	body, _, err := encode(d)
	if err != nil || len(body) < 2 {
		return
	}
	if c.rawKind == rawCut {
		body = body[:len(body)-1]
	}
	c.raw = body
}

// optionalPointers lists the body's properties the schema does not
// require, outermost first, leaving out the case's own change and the
// recipients of a send.
func (pl *planner) optionalPointers(c *Case) []string {
	m := pl.media(c.op)
	if m == nil || !c.hasBody {
		return nil
	}
	keep := []string{}
	if c.mut != nil && c.mut.in == "body" && c.mut.mixWith < 0 {
		keep = append(keep, c.mut.ptr)
	}
	if rps, ok := pl.o.sends(c.Operation); ok {
		keep = append(keep, rps...)
	}
	var out []string
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		n, ok := schemaAt(m.n, c.branch, ptr)
		if !ok {
			return
		}
		view := flatten(n)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := ptr + "/" + escapeTok(k)
			if !view.isRequired(k) && !related(p, keep) {
				out = append(out, p)
			}
		}
		for _, k := range keys {
			walk(obj[k], ptr+"/"+escapeTok(k))
		}
	}
	walk(c.body, "")
	return out
}

// related reports whether p is one of ptrs, inside one, or holds one.
func related(p string, ptrs []string) bool {
	for _, q := range ptrs {
		if p == q || strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
			return true
		}
	}
	return false
}
