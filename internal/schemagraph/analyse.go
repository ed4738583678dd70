package schemagraph

import (
	"fmt"
	"sort"
	"strings"
)

// Problem codes; they double as `spec lint` rule codes.
const (
	// CodeUnsatisfiable: a schema on a cycle that no finite value
	// satisfies, because it needs itself with no way out.
	CodeUnsatisfiable = "schema-cycle-unsatisfiable"
	// CodeUnbounded: a schema that refers to itself on the same value, so
	// checking a value never ends.
	CodeUnbounded = "schema-cycle-unbounded"
)

// Problem is a schema cycle that breaks a spec.
type Problem struct {
	// Code is CodeUnsatisfiable or CodeUnbounded.
	Code string
	// Node is the schema reported: the cycle starts and ends there.
	Node int
	// Pointer is that schema's JSON pointer (no leading "#").
	Pointer string
	// Cycle is the way around: "#/components/schemas/Loop → allOf/0 →
	// #/components/schemas/Loop".
	Cycle string
	// Message says what is wrong on one line, without a location.
	Message string
}

// Problems returns the cycles that break the graph's schemas, one per
// cycle, ordered by pointer: first the schemas no finite value satisfies,
// then, among the other cycles, those that stay on the same value.
func (g *Graph) Problems() []Problem {
	out := g.unsatisfiable()
	skip := make([]bool, len(g.Nodes))
	for _, p := range out {
		skip[p.Node] = true
	}
	out = append(out, g.unbounded(skip)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

// unsatisfiable finds the schemas on a cycle that have no finite value
// although they would have one if the cycle could be followed forever:
// the least and greatest fixpoints of "types with a finite value" differ.
// Among the cycle's members it reports the first by pointer that lies on a
// cycle of needed edges.
func (g *Graph) unsatisfiable() []Problem {
	least := g.fixpoint(func(int) Types { return 0 })
	most := g.fixpoint(func(i int) Types { return g.Nodes[i].Types })
	comp, cyclic := g.sccs(func(int, Edge) bool { return true })
	bad := func(i int) bool { return least[i] == 0 && most[i] != 0 && cyclic[comp[i]] }
	needs := func(from int, e Edge) bool {
		return least[e.To] == 0 && comp[e.To] == comp[from] && (e.Kind != Same && (e.Kind != Part || e.Needed != 0))
	}
	var out []Problem
	for _, members := range g.groups(comp, bad) {
		start, path := g.firstCycle(members, needs)
		if path == nil {
			continue
		}
		cycle := g.render(start, path)
		out = append(out, Problem{Code: CodeUnsatisfiable, Node: start, Pointer: g.Nodes[start].Pointer, Cycle: cycle,
			Message: fmt.Sprintf("schema #%s has no finite value: it needs itself with no way out (%s)", g.Nodes[start].Pointer, cycle)})
	}
	return out
}

// unbounded finds cycles through edges that stay on the same value,
// skipping the components that hold a node already reported.
func (g *Graph) unbounded(skip []bool) []Problem {
	same := func(_ int, e Edge) bool { return e.Kind != Part }
	comp, cyclic := g.sccs(same)
	skipComp := make([]bool, len(cyclic))
	for i, s := range skip {
		if s {
			skipComp[comp[i]] = true
		}
	}
	in := func(i int) bool { return cyclic[comp[i]] && !skipComp[comp[i]] }
	within := func(from int, e Edge) bool { return same(from, e) && comp[e.To] == comp[from] }
	var out []Problem
	for _, members := range g.groups(comp, in) {
		start, path := g.firstCycle(members, within)
		if path == nil {
			continue
		}
		cycle := g.render(start, path)
		out = append(out, Problem{Code: CodeUnbounded, Node: start, Pointer: g.Nodes[start].Pointer, Cycle: cycle,
			Message: fmt.Sprintf("schema #%s refers to itself on the same value (%s): checking a value never ends, so validators loop forever or silently accept anything", g.Nodes[start].Pointer, cycle)})
	}
	return out
}

// groups collects the nodes ok accepts by component, each group sorted
// by pointer, groups in order of their first pointer.
func (g *Graph) groups(comp []int, ok func(int) bool) [][]int {
	by := map[int][]int{}
	for i := range g.Nodes {
		if ok(i) {
			by[comp[i]] = append(by[comp[i]], i)
		}
	}
	out := make([][]int, 0, len(by))
	for _, members := range by {
		sort.Slice(members, func(a, b int) bool { return g.Nodes[members[a]].Pointer < g.Nodes[members[b]].Pointer })
		out = append(out, members)
	}
	sort.Slice(out, func(a, b int) bool { return g.Nodes[out[a][0]].Pointer < g.Nodes[out[b][0]].Pointer })
	return out
}

// maxCycleTries bounds the members tried as the start of a cycle, so a
// huge component costs a bounded number of searches.
const maxCycleTries = 64

// firstCycle returns the first member (by pointer) that lies on a cycle of
// edges follow accepts, and the shortest such cycle from it.
func (g *Graph) firstCycle(members []int, follow func(from int, e Edge) bool) (int, []Edge) {
	for i, m := range members {
		if i == maxCycleTries {
			break
		}
		if path := g.shortestCycle(m, follow); path != nil {
			return m, path
		}
	}
	return -1, nil
}

// shortestCycle searches breadth first for the shortest way from start
// back to start.
func (g *Graph) shortestCycle(start int, follow func(from int, e Edge) bool) []Edge {
	type step struct {
		from int
		e    Edge
	}
	prev := map[int]step{}
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range g.Nodes[v].Edges {
			if !follow(v, e) {
				continue
			}
			if e.To == start {
				path := []Edge{e}
				for at := v; at != start; at = prev[at].from {
					path = append(path, prev[at].e)
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if _, seen := prev[e.To]; !seen {
				prev[e.To] = step{v, e}
				queue = append(queue, e.To)
			}
		}
	}
	return nil
}

// maxHops bounds the hops render writes; a longer cycle is shortened in
// the middle, so a message stays one readable line.
const maxHops = 8

// render writes a cycle as "#/a → allOf/0 → #/b → properties/x → #/a",
// leaving out the pointers of inline subschemas (those the keyword path
// already names).
func (g *Graph) render(start int, path []Edge) string {
	var b strings.Builder
	b.WriteString("#" + g.Nodes[start].Pointer)
	at := start
	for i, e := range path {
		if len(path) > maxHops && i == maxHops-2 {
			fmt.Fprintf(&b, " → … %d more steps … → #%s", len(path)-i, g.Nodes[start].Pointer)
			break
		}
		b.WriteString(" → " + e.Via)
		to := g.Nodes[e.To].Pointer
		if i == len(path)-1 || to != g.Nodes[at].Pointer+"/"+e.Via {
			b.WriteString(" → #" + to)
		}
		at = e.To
	}
	return b.String()
}

// fixpoint computes, per node, the types of value that have a finite
// instance, from start: all zeros gives the least fixpoint (values built
// bottom up), the nodes' own types the greatest (cycles assumed to hold).
func (g *Graph) fixpoint(start func(int) Types) []Types {
	fin := make([]Types, len(g.Nodes))
	queue := make([]int, len(g.Nodes))
	queued := make([]bool, len(g.Nodes))
	for i := range fin {
		fin[i], queue[i], queued[i] = start(i), i, true
	}
	parents := g.parents()
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		queued[i] = false
		if m := g.eval(i, fin); m != fin[i] {
			fin[i] = m
			for _, p := range parents[i] {
				if !queued[p] {
					queued[p] = true
					queue = append(queue, p)
				}
			}
		}
	}
	return fin
}

// eval is one step of the fixpoint: the types node i allows given what its
// subschemas allow.
func (g *Graph) eval(i int, fin []Types) Types {
	n := &g.Nodes[i]
	m := n.Types
	var anyOf, oneOf Types
	var hasAny, hasOne bool
	for _, e := range n.Edges {
		switch e.Kind {
		case AllOf:
			m &= fin[e.To]
		case AnyOf:
			anyOf, hasAny = anyOf|fin[e.To], true
		case OneOf:
			oneOf, hasOne = oneOf|fin[e.To], true
		case Part:
			if e.Needed != 0 && fin[e.To] == 0 {
				m &^= e.Needed
			}
		}
	}
	if hasAny {
		m &= anyOf
	}
	if hasOne {
		m &= oneOf
	}
	return m
}

// BareCycleReach reports, per node, whether kin-openapi's Schema.IsEmpty
// may recurse forever from it: the node is Bare and reaches, through Bare
// nodes only, a cycle of Bare nodes.
func (g *Graph) BareCycleReach() []bool {
	bare := func(from int, e Edge) bool { return g.Nodes[from].Bare && g.Nodes[e.To].Bare }
	comp, cyclic := g.sccs(bare)
	reach := make([]bool, len(g.Nodes))
	var queue []int
	for i, n := range g.Nodes {
		if n.Bare && cyclic[comp[i]] {
			reach[i] = true
			queue = append(queue, i)
		}
	}
	parents := g.parents()
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, p := range parents[v] {
			if !reach[p] && g.Nodes[p].Bare {
				reach[p] = true
				queue = append(queue, p)
			}
		}
	}
	return reach
}

// OnSameValueCycle reports, per node, whether it lies on a cycle of edges
// that stay on the same value (every kind but Part).
func (g *Graph) OnSameValueCycle() []bool {
	comp, cyclic := g.sccs(func(_ int, e Edge) bool { return e.Kind != Part })
	out := make([]bool, len(g.Nodes))
	for i := range out {
		out[i] = cyclic[comp[i]]
	}
	return out
}

// Reaching returns the marked nodes and every node with a path to one.
func (g *Graph) Reaching(marked []bool) []bool {
	out := append([]bool(nil), marked...)
	var queue []int
	for i, m := range marked {
		if m {
			queue = append(queue, i)
		}
	}
	parents := g.parents()
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, p := range parents[v] {
			if !out[p] {
				out[p] = true
				queue = append(queue, p)
			}
		}
	}
	return out
}
