package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// specHost is the host of the requests the planner validates: only the
// path matters to the validator.
const specHost = "http://probe.invalid"

// planner turns operations into cases. It owns a seeded generator and is
// used by one goroutine.
type planner struct {
	o        Options
	v        *validate.Validator
	g        *gen
	ops      []*operation
	targets  map[string]map[string]bool // link targets per operationId
	specBase string
	skipped  map[skipKey]int
	seen     map[string]bool // request signatures already planned
}

// skipKey counts planned cases left out, by operation and reason.
type skipKey struct{ op, reason string }

func newPlanner(o Options, v *validate.Validator, ops []*operation, links []Link) *planner {
	seed := o.Seed
	g := &gen{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: o.Now(), pats: newPatterns()}
	return &planner{o: o, v: v, g: g, ops: ops, targets: linkTargets(links),
		specBase: specHost + o.Doc.BasePath(), skipped: map[skipKey]int{}, seen: map[string]bool{}}
}

// plan returns at most budget cases: each operation's examples, coverage
// and request-level cases, interleaved across operations so a small
// budget still reaches every one, then fuzzing cases up to the budget.
func (pl *planner) plan(budget int) []*Case {
	per := make([][]*Case, len(pl.ops))
	for i, op := range pl.ops {
		per[i] = pl.opCases(op)
	}
	cases := interleave(per, budget)
	cases = append(cases, pl.fuzz(budget-len(cases))...)
	for i, c := range cases {
		c.ID = i
	}
	return cases
}

// interleave takes one case from each list in turn, up to limit.
func interleave(lists [][]*Case, limit int) []*Case {
	var out []*Case
	for i := 0; len(out) < limit; i++ {
		took := false
		for _, l := range lists {
			if i < len(l) && len(out) < limit {
				out = append(out, l[i])
				took = true
			}
		}
		if !took {
			break
		}
	}
	return out
}

// opCases plans one operation: request-level cases first, then examples,
// one positive case per oneOf branch, and negative and positive variants
// alternating.
func (pl *planner) opCases(op *operation) []*Case {
	first := append(pl.authCases(op), pl.requestCases(op)...)
	first = append(first, pl.exampleCases(op)...)
	first = append(first, pl.branchCases(op)...)
	var negs, poss []*Case
	for _, bv := range pl.variants(op) {
		c, ok := pl.compose(pl.base(op, bv.branch, typical), bv.v, PhaseCoverage)
		if !ok {
			continue
		}
		if c.Kind == Negative {
			negs = append(negs, c)
		} else {
			poss = append(poss, c)
		}
	}
	out := append(first, interleave([][]*Case{negs, poss}, len(negs)+len(poss))...)
	return append(out, pl.methodCases(op)...)
}

// branchVariant is a variant and the oneOf branch whose base it applies to.
type branchVariant struct {
	branch int
	v      variant
}

// variants lists an operation's body and parameter variants, each rule
// at each place once (branches share components such as MessageCommon).
func (pl *planner) variants(op *operation) []branchVariant {
	var out []branchVariant
	seen := map[string]bool{}
	add := func(branch int, vs []variant) {
		for _, v := range vs {
			key := fmt.Sprint(v.kind, v.where, v.rulePtr, v.mut.del, v.mut.mixWith, v.name)
			if v.mut.mixWith < 0 && !seen[key] {
				seen[key] = true
				out = append(out, branchVariant{branch, v})
			} else if v.mut.mixWith >= 0 {
				out = append(out, branchVariant{branch, v})
			}
		}
	}
	add(0, pl.paramVariants(op))
	if m := pl.media(op); m != nil {
		for b := range max(len(firstBranches(m)), 1) {
			add(b, pl.bodyVariants(m, b))
		}
		for _, bv := range pl.mixVariants(m) {
			add(bv.branch, []variant{bv.v})
		}
	}
	return out
}

func firstBranches(m *media) []node {
	bs, _ := branches(m.n)
	return bs
}

// media is the request body media type cases use, nil for none.
func (pl *planner) media(op *operation) *media {
	if op.body == nil {
		return nil
	}
	return op.body.primary()
}

// base is the request every variant of an operation starts from: typical
// parameters and a body of the given branch (m: typical, minimal or
// random).
func (pl *planner) base(op *operation, branch int, m mode) *Case {
	c := &Case{Operation: op.id, Method: op.method, Path: op.path, op: op, branch: branch, Kind: Positive,
		params: pl.params(op, m), auth: authValid}
	if md := pl.media(op); md != nil {
		v, ok := pl.g.value(md.n, m, branch)
		if !ok && m != typical {
			v, ok = pl.g.value(md.n, typical, branch)
		}
		c.body, c.hasBody, c.genFailed = v, ok, !ok
	}
	pl.ensureRecipient(c)
	c.unlinked = pl.unlinked(op, c)
	return c
}

// params generates every parameter's value.
func (pl *planner) params(op *operation, m mode) map[string]string {
	out := map[string]string{}
	for _, p := range op.params {
		if !p.required && m == minimal {
			continue
		}
		v, ok := pl.g.value(p.n, m, 0)
		if ok && p.in == "path" && paramString(v) == "" {
			// A path segment cannot be empty: the request would name
			// another path. The typical value stands in.
			v, ok = pl.g.value(p.n, typical, 0)
		}
		if ok {
			out[p.where()] = paramString(v)
		}
	}
	return out
}

// paramString renders a value as parameter text.
func paramString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = paramString(e)
		}
		return strings.Join(parts, ",")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// unlinked reports whether a generated value sits where a link puts a
// resource id, or in a path parameter (a path names a resource by it:
// /media/{MediaId}): its answer may honestly be 404.
func (pl *planner) unlinked(op *operation, c *Case) bool {
	for _, p := range op.params {
		if _, ok := c.params[p.where()]; ok && p.in == "path" {
			return true
		}
	}
	for t := range pl.targets[op.id] {
		in, name, _ := strings.Cut(t, " ")
		if in == "body" {
			if _, ok := spec.ValueAt(c.body, name); ok {
				return true
			}
		} else if _, ok := c.params[t]; ok {
			return true
		}
	}
	return false
}

// compose applies a variant to a copy of base and keeps the result when
// the policy admits it, the validator agrees with its kind, and no case
// with the same request was planned before.
func (pl *planner) compose(base *Case, v variant, phase string) (*Case, bool) {
	c := base.clone()
	c.Phase, c.Kind, c.Rule, c.RulePtr, c.Where, c.Name = phase, v.kind, v.rule, v.rulePtr, v.where, v.name
	c.ecma, c.noCheck = v.ecma, v.noCheck
	mut := v.mut
	c.mut = &mut
	if !pl.apply(c, mut) {
		return nil, false
	}
	if strings.HasPrefix(v.where, "body /") && pl.isItem(c, mut.ptr) {
		c.itemPtr = mut.ptr
	}
	return c, pl.keep(c)
}

// keep runs the admission policy, the validator and the duplicate check.
func (pl *planner) keep(c *Case) bool {
	if c.genFailed {
		return false
	}
	if reason := pl.admit(c); reason != "" {
		pl.skipped[skipKey{c.Operation, reason}]++
		return false
	}
	body, ct, err := encode(c)
	if err != nil || !pl.judge(c, body, ct) {
		return false
	}
	sig := signature(c, body, ct)
	if pl.seen[sig] {
		return false
	}
	pl.seen[sig] = true
	return true
}

// apply changes c as mut says: a body value, a oneOf mix or a parameter.
func (pl *planner) apply(c *Case, mut mutation) bool {
	if mut.in != "body" {
		if mut.del {
			delete(c.params, mut.in)
		} else {
			c.params[mut.in] = paramString(mut.val)
		}
		return true
	}
	m := pl.media(c.op)
	if m == nil || !c.hasBody {
		return false
	}
	if mut.mixWith >= 0 {
		other, ok := pl.g.value(m.n, typical, mut.mixWith)
		c.body = merge(c.body, other)
		return ok
	}
	body, ok := pl.g.ensure(c.body, m.n, c.branch, mut.ptr)
	if !ok {
		return false
	}
	c.body, ok = setAt(body, mut.ptr, clone(mut.val), mut.del)
	return ok
}

// merge adds b's keys a lacks (objects only).
func merge(a, b any) any {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return a
	}
	for k, v := range bm {
		if _, ok := am[k]; !ok {
			am[k] = v
		}
	}
	return am
}

// isItem reports whether ptr is inside an item of an array in the body.
func (pl *planner) isItem(c *Case, ptr string) bool {
	parent, ok := spec.ValueAt(c.body, parentPointer(ptr))
	_, isArr := parent.([]any)
	return ok && isArr
}

// judge asks the validator whether a case is what its kind says: a
// positive case must be valid, a negative one invalid (a pattern
// violation is judged in ECMA-262, multipart fields by the generator).
func (pl *planner) judge(c *Case, body []byte, ct string) bool {
	req, err := request(context.Background(), pl.specBase, c, body, ct)
	if err != nil {
		return false
	}
	fs := pl.v.Request(req, body)
	switch c.Kind {
	case Positive, Linked:
		return len(fs) == 0
	case Negative:
		return len(fs) > 0 || c.ecma || c.noCheck
	}
	return true
}

// signature identifies a case's request (a hash: bodies may be large).
func signature(c *Case, body []byte, ct string) string {
	keys := make([]string, 0, len(c.params))
	for k, v := range c.params {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	h := fnv.New128a()
	fmt.Fprint(h, c.Operation, c.Method, c.Kind, c.auth, ct, c.hasBody, strings.Join(keys, "&"))
	h.Write(body)
	return string(h.Sum(nil))
}
