package probe

// fuzz fills the budget with random cases (Schemathesis's fuzzing phase):
// a third positive (random branch, random optional properties and values
// within bounds), two thirds negative (a random variant of the operation
// on a random base). Against a real target, sends get no random positive
// cases: each would be another real message.
func (pl *planner) fuzz(n int) []*Case {
	if n <= 0 || len(pl.ops) == 0 {
		return nil
	}
	negs := make([][]branchVariant, len(pl.ops))
	for i, op := range pl.ops {
		for _, bv := range pl.variants(op) {
			if bv.v.kind == Negative && !big(bv.v.mut.val) {
				negs[i] = append(negs[i], bv)
			}
		}
	}
	total := 0
	for i := range negs {
		total += len(negs[i]) + 1
	}
	var out []*Case
	for try := 0; len(out) < n && try < 4*n+16; try++ {
		i := pickWeighted(pl.g.rnd.IntN(total), negs)
		c, ok := pl.fuzzCase(pl.ops[i], negs[i])
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// pickWeighted maps r in [0, Σ(len+1)) to an operation: operations with
// more rules to break get more random cases.
func pickWeighted(r int, negs [][]branchVariant) int {
	for i := range negs {
		if r -= len(negs[i]) + 1; r < 0 {
			return i
		}
	}
	return len(negs) - 1
}

// big reports a mutation value too large to repeat on random bases (a
// megabyte file, a thousand recipients): the coverage phase sends it once.
func big(v any) bool {
	switch x := v.(type) {
	case string:
		return len(x) > 4096
	case []any:
		return len(x) > 64
	}
	return false
}

func (pl *planner) fuzzCase(op *operation, negs []branchVariant) (*Case, bool) {
	branches := 1
	if m := pl.media(op); m != nil {
		branches = max(len(firstBranches(m)), 1)
	}
	if pl.g.rnd.IntN(3) == 0 || len(negs) == 0 {
		if _, sends := pl.o.sends(op.id); sends && !pl.o.Simulated {
			return nil, false
		}
		c := pl.base(op, pl.g.rnd.IntN(branches), random)
		c.Phase, c.Name, c.Rule, c.RulePtr, c.Where = PhaseFuzzing, "a random valid request", "random valid", op.ptr, "request"
		return c, pl.keep(c)
	}
	bv := negs[pl.g.rnd.IntN(len(negs))]
	return pl.compose(pl.base(op, bv.branch, random), bv.v, PhaseFuzzing)
}
