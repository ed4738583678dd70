package schemagraph

// Types is a set of JSON types.
type Types uint8

// The JSON types; integer counts as Number.
const (
	Null Types = 1 << iota
	Boolean
	Number
	String
	Array
	Object
	// AnyType is every JSON type.
	AnyType = Null | Boolean | Number | String | Array | Object
)

// TypeOf maps an OpenAPI type name to its Types bit, 0 for an unknown name.
func TypeOf(name string) Types {
	switch name {
	case "null":
		return Null
	case "boolean":
		return Boolean
	case "integer", "number":
		return Number
	case "string":
		return String
	case "array":
		return Array
	case "object":
		return Object
	}
	return 0
}

// Kind says how an edge applies its target to a value.
type Kind uint8

// Edge kinds. Every kind but Part applies the target to the same value.
const (
	// AllOf: the value must match the target too (allOf; a $ref with
	// sibling keywords).
	AllOf Kind = iota
	// AnyOf: the value must match at least one of the node's AnyOf targets.
	AnyOf
	// OneOf: the value must match one of the node's OneOf targets.
	OneOf
	// Same: the target applies to the same value with no constraint this
	// package models (not, if, then, else, dependentSchemas).
	Same
	// Part: the target applies to a part of the value (a property, an
	// item, a key), so recursion through it ends with the value.
	Part
)

// Edge leads from a schema to one of its subschemas.
type Edge struct {
	To   int
	Kind Kind
	// Via is the keyword path from the schema: "allOf/0", "properties/next".
	Via string
	// Needed, on a Part edge, is the types of value that must have that
	// part: Object for a required property, Array for items under
	// minItems > 0; 0 when the part is optional.
	Needed Types
}

// Node is one schema.
type Node struct {
	// Pointer is the JSON pointer of the schema in its document, without
	// the leading "#".
	Pointer string
	// Types are the types its own `type` (and `nullable`) allow; AnyType
	// when it has no `type`.
	Types Types
	// Bare is set when the schema has none of the keywords kin-openapi's
	// Schema.IsEmpty checks before it recurses into subschemas.
	Bare  bool
	Edges []Edge
}

// Graph is a set of schemas and their subschema edges.
type Graph struct {
	Nodes []Node
}

// Add appends n and returns its index.
func (g *Graph) Add(n Node) int {
	g.Nodes = append(g.Nodes, n)
	return len(g.Nodes) - 1
}

// Link adds edge e from node from.
func (g *Graph) Link(from int, e Edge) {
	g.Nodes[from].Edges = append(g.Nodes[from].Edges, e)
}

// parents returns, per node, the nodes with an edge to it.
func (g *Graph) parents() [][]int {
	ps := make([][]int, len(g.Nodes))
	for i, n := range g.Nodes {
		for _, e := range n.Edges {
			ps[e.To] = append(ps[e.To], i)
		}
	}
	return ps
}

// tarjan is the state of one iterative run of Tarjan's algorithm.
type tarjan struct {
	g          *Graph
	keep       func(from int, e Edge) bool
	index, low []int // index 0: not visited yet
	onStack    []bool
	stack      []int
	next       int
	comp       []int
	cyclic     []bool
}

type frame struct{ v, e int }

// sccs labels every node with its strongly connected component over the
// edges keep accepts, and says which components hold a cycle (more than
// one node, or a node with a kept edge to itself). It keeps its own stack,
// so a deep graph cannot overflow the goroutine's.
func (g *Graph) sccs(keep func(from int, e Edge) bool) (comp []int, cyclic []bool) {
	n := len(g.Nodes)
	t := &tarjan{g: g, keep: keep, index: make([]int, n), low: make([]int, n), onStack: make([]bool, n),
		next: 1, comp: make([]int, n)}
	for v := range g.Nodes {
		if t.index[v] == 0 {
			t.run(v)
		}
	}
	for v, node := range g.Nodes {
		for _, e := range node.Edges {
			if e.To == v && keep(v, e) {
				t.cyclic[t.comp[v]] = true
			}
		}
	}
	return t.comp, t.cyclic
}

func (t *tarjan) visit(v int) {
	t.index[v], t.low[v] = t.next, t.next
	t.next++
	t.stack = append(t.stack, v)
	t.onStack[v] = true
}

func (t *tarjan) run(root int) {
	t.visit(root)
	call := []frame{{root, 0}}
	for len(call) > 0 {
		top := len(call) - 1
		v := call[top].v
		if edges := t.g.Nodes[v].Edges; call[top].e < len(edges) {
			e := edges[call[top].e]
			call[top].e++
			switch w := e.To; {
			case !t.keep(v, e):
			case t.index[w] == 0:
				t.visit(w)
				call = append(call, frame{w, 0})
			case t.onStack[w]:
				t.low[v] = min(t.low[v], t.index[w])
			}
			continue
		}
		call = call[:top]
		if top > 0 {
			p := call[top-1].v
			t.low[p] = min(t.low[p], t.low[v])
		}
		if t.low[v] == t.index[v] {
			t.pop(v)
		}
	}
}

// pop closes the component rooted at v.
func (t *tarjan) pop(v int) {
	id, size := len(t.cyclic), 0
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.onStack[w] = false
		t.comp[w] = id
		size++
		if w == v {
			break
		}
	}
	t.cyclic = append(t.cyclic, size > 1)
}
