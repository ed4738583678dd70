package validate

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/internal/schemagraph"
	"github.com/wabcheck/wabcheck/spec"
)

// kinGraph is the schema graph of (part of) a kin-openapi model.
type kinGraph struct {
	g          schemagraph.Graph
	ids        map[*openapi3.Schema]int
	list       []*openapi3.Schema // by node index
	broken     []bool             // the schema has a subschema $ref with no value
	unresolved []unresolvedRef
}

// unresolvedRef is a $ref kin-openapi left without a value.
type unresolvedRef struct{ at, ref string }

// newKinGraph walks every schema reachable from roots, without recursion.
// ptrs names schemas by their canonical pointers; a schema it does not
// name is named by the path it was first reached by.
func newKinGraph(roots []*openapi3.Schema, ptrs map[*openapi3.Schema]string) *kinGraph {
	k := &kinGraph{ids: map[*openapi3.Schema]int{}}
	var queue []int
	for _, r := range roots {
		if id, fresh := k.add(r, ptrs[r], ptrs); fresh {
			queue = append(queue, id)
		}
	}
	for len(queue) > 0 {
		i := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, c := range kinChildren(k.list[i]) {
			at := k.g.Nodes[i].Pointer + "/" + c.via
			if c.ref.Value == nil {
				k.broken[i] = true
				k.unresolved = append(k.unresolved, unresolvedRef{at, c.ref.Ref})
				continue
			}
			to, fresh := k.add(c.ref.Value, at, ptrs)
			if fresh {
				queue = append(queue, to)
			}
			k.g.Link(i, schemagraph.Edge{To: to, Kind: c.kind, Via: c.via, Needed: c.needed})
		}
	}
	return k
}

func (k *kinGraph) add(s *openapi3.Schema, fallback string, ptrs map[*openapi3.Schema]string) (int, bool) {
	if id, ok := k.ids[s]; ok {
		return id, false
	}
	p, ok := ptrs[s]
	if !ok {
		p = fallback
	}
	id := k.g.Add(schemagraph.Node{Pointer: p, Types: kinTypes(s), Bare: !kinShortCircuits(s)})
	k.ids[s] = id
	k.list = append(k.list, s)
	k.broken = append(k.broken, false)
	return id, true
}

// check returns the first defect that leaves the model unusable, on one
// line: a $ref kin-openapi could not resolve (extra lists those the
// builder met), or a schema cycle (see schemagraph).
func (k *kinGraph) check(extra []unresolvedRef, locate func(string) spec.Location) error {
	if u := append(extra, k.unresolved...); len(u) > 0 {
		return fmt.Errorf("validate: %s: $ref %q at #%s is unresolved: it resolves to nothing (a $ref loop, or a target that could not be loaded)",
			locate(u[0].at), u[0].ref, u[0].at)
	}
	if ps := k.g.Problems(); len(ps) > 0 {
		return fmt.Errorf("validate: %s: %s", locate(ps[0].Pointer), ps[0].Message)
	}
	return nil
}

// empties answers kin-openapi's Schema.IsEmpty for every schema without
// recursing: a schema is empty when neither it nor any schema it reaches
// has a keyword of its own. That is IsEmpty's answer wherever IsEmpty
// returns at all; on a cycle of schemas without one, IsEmpty never returns
// and this says empty.
func (k *kinGraph) empties() map[*openapi3.Schema]bool {
	own := make([]bool, len(k.list))
	for i, s := range k.list {
		own[i] = kinOwnKeywords(s)
	}
	notEmpty := k.g.Reaching(own)
	out := make(map[*openapi3.Schema]bool, len(k.list))
	for i, s := range k.list {
		out[s] = !notEmpty[i]
	}
	return out
}

// safeCopies returns a copy of every schema of the graph, wired to each
// other, on which kin-openapi's Schema.IsEmpty answers what it would on
// the original without ever recursing, so VisitJSON cannot overflow the
// stack on a cycle:
//   - an empty schema loses its subschemas: VisitJSON never visits them
//     (it accepts any non-null value there), and IsEmpty then sees none;
//   - any other schema without a keyword IsEmpty tests first gets
//     AllowEmptyValue, which IsEmpty tests and validation never reads, so
//     IsEmpty answers false at once instead of after a (maybe endless)
//     walk.
func (k *kinGraph) safeCopies(empty map[*openapi3.Schema]bool) map[*openapi3.Schema]*openapi3.Schema {
	out := make(map[*openapi3.Schema]*openapi3.Schema, len(k.list))
	for _, s := range k.list {
		c := *s
		out[s] = &c
	}
	wire := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil || out[r.Value] == nil {
			return r
		}
		c := *r
		c.Value = out[r.Value]
		return &c
	}
	for _, s := range k.list {
		if c := out[s]; empty[s] {
			kinClear(c)
		} else {
			c.AllowEmptyValue = c.AllowEmptyValue || !kinShortCircuits(s)
			kinRewire(c, wire)
		}
	}
	return out
}
