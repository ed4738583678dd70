package schemagraph

import (
	"strings"
	"testing"
)

// build makes a graph from "name: types" nodes and "from -kind/via-> to"
// edges; kinds: allOf anyOf oneOf same part need(object) need(array).
type spec struct {
	nodes map[string]Types
	bare  map[string]bool
	edges [][4]string // from, kind, via, to
}

func (s spec) build(t *testing.T) (*Graph, map[string]int) {
	t.Helper()
	g := &Graph{}
	ids := map[string]int{}
	names := make([]string, 0, len(s.nodes))
	for n := range s.nodes {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		ids[n] = g.Add(Node{Pointer: "/components/schemas/" + n, Types: s.nodes[n], Bare: s.bare[n]})
	}
	kinds := map[string]Edge{"allOf": {Kind: AllOf}, "anyOf": {Kind: AnyOf}, "oneOf": {Kind: OneOf}, "same": {Kind: Same},
		"part": {Kind: Part}, "needObject": {Kind: Part, Needed: Object}, "needArray": {Kind: Part, Needed: Array}}
	for _, e := range s.edges {
		k, ok := kinds[e[1]]
		if !ok {
			t.Fatalf("unknown kind %q", e[1])
		}
		k.To, k.Via = ids[e[3]], e[2]
		g.Link(ids[e[0]], k)
	}
	return g, ids
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func codesAt(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code+" "+p.Pointer)
	}
	return out
}

func TestProblems(t *testing.T) {
	const (
		loop  = "/components/schemas/Loop"
		a     = "/components/schemas/A"
		chain = "/components/schemas/Chain"
	)
	for _, tt := range []struct {
		name string
		spec spec
		want []string
	}{
		{"allOf self", spec{nodes: map[string]Types{"Loop": AnyType}, edges: [][4]string{{"Loop", "allOf", "allOf/0", "Loop"}}},
			[]string{CodeUnsatisfiable + " " + loop}},
		{"allOf pair", spec{nodes: map[string]Types{"A": AnyType, "B": AnyType},
			edges: [][4]string{{"A", "allOf", "allOf/0", "B"}, {"B", "allOf", "allOf/0", "A"}}},
			[]string{CodeUnsatisfiable + " " + a}},
		{"anyOf with a base case", spec{nodes: map[string]Types{"A": AnyType, "S": String},
			edges: [][4]string{{"A", "anyOf", "anyOf/0", "S"}, {"A", "anyOf", "anyOf/1", "A"}}},
			[]string{CodeUnbounded + " " + a}},
		{"not self", spec{nodes: map[string]Types{"A": AnyType}, edges: [][4]string{{"A", "same", "not", "A"}}},
			[]string{CodeUnbounded + " " + a}},
		{"required chain", spec{nodes: map[string]Types{"Chain": Object}, edges: [][4]string{{"Chain", "needObject", "properties/next", "Chain"}}},
			[]string{CodeUnsatisfiable + " " + chain}},
		{"required chain, untyped", spec{nodes: map[string]Types{"Chain": AnyType}, edges: [][4]string{{"Chain", "needObject", "properties/next", "Chain"}}},
			nil},
		{"non-empty array of itself", spec{nodes: map[string]Types{"A": Array}, edges: [][4]string{{"A", "needArray", "items", "A"}}},
			[]string{CodeUnsatisfiable + " " + a}},
		{"tree", spec{nodes: map[string]Types{"Tree": Object, "Kids": Array},
			edges: [][4]string{{"Tree", "part", "properties/kids", "Kids"}, {"Kids", "part", "items", "Tree"}}},
			nil},
		{"required chain with an alternative", spec{nodes: map[string]Types{"A": Object, "B": AnyType, "S": String},
			edges: [][4]string{{"A", "needObject", "properties/b", "B"}, {"B", "oneOf", "oneOf/0", "A"}, {"B", "oneOf", "oneOf/1", "S"}}},
			nil},
		{"unsatisfiable for another reason", spec{nodes: map[string]Types{"A": String, "I": Number},
			edges: [][4]string{{"A", "allOf", "allOf/0", "I"}, {"A", "part", "properties/x", "A"}}},
			nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := tt.spec.build(t)
			got := codesAt(g.Problems())
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("expected %q, got %q", tt.want, got)
			}
		})
	}
}

func TestProblemNamesTheCycle(t *testing.T) {
	g := &Graph{}
	chain := g.Add(Node{Pointer: "/components/schemas/Chain", Types: Object})
	next := g.Add(Node{Pointer: "/components/schemas/Chain/properties/next", Types: AnyType})
	g.Link(chain, Edge{To: next, Kind: Part, Via: "properties/next", Needed: Object})
	g.Link(next, Edge{To: chain, Kind: AllOf, Via: "allOf/0"})
	ps := g.Problems()
	if len(ps) != 1 {
		t.Fatalf("expected one problem, got %v", ps)
	}
	want := "#/components/schemas/Chain → properties/next → allOf/0 → #/components/schemas/Chain"
	if ps[0].Cycle != want || !strings.Contains(ps[0].Message, want) || !strings.Contains(ps[0].Message, "no finite value") {
		t.Errorf("expected cycle %q, got %+v", want, ps[0])
	}
}

// TestDeepGraphDoesNotRecurse: a ring of 100,000 schemas is analysed
// with the goroutine's stack untouched by its depth.
func TestDeepGraphDoesNotRecurse(t *testing.T) {
	g := &Graph{}
	const n = 100_000
	for i := 0; i < n; i++ {
		g.Add(Node{Pointer: "/x", Types: AnyType, Bare: true})
		if i > 0 {
			g.Link(i-1, Edge{To: i, Kind: AllOf, Via: "allOf/0"})
		}
	}
	g.Link(n-1, Edge{To: 0, Kind: AllOf, Via: "allOf/0"})
	ps := g.Problems()
	if len(ps) != 1 || ps[0].Code != CodeUnsatisfiable {
		t.Fatalf("expected one unsatisfiable cycle, got %d problems", len(ps))
	}
	if len(ps[0].Message) > 500 || !strings.Contains(ps[0].Cycle, "more steps") {
		t.Errorf("expected a short message for a long cycle, got %d bytes: %.200s", len(ps[0].Message), ps[0].Message)
	}
	if r := g.BareCycleReach(); !r[0] || !r[n-1] {
		t.Error("expected every node of a bare cycle to be exposed")
	}
}

func TestBareCycleReach(t *testing.T) {
	g, ids := spec{
		nodes: map[string]Types{"Root": AnyType, "Loop": AnyType, "Typed": Object, "Entry": AnyType, "Leaf": AnyType},
		bare:  map[string]bool{"Root": true, "Loop": true, "Entry": true, "Leaf": true},
		edges: [][4]string{
			{"Root", "part", "properties/l", "Loop"}, {"Loop", "part", "additionalProperties", "Loop"},
			{"Entry", "part", "items", "Typed"}, {"Typed", "part", "properties/e", "Entry"},
			{"Leaf", "part", "not", "Typed"},
		},
	}.build(t)
	r := g.BareCycleReach()
	for name, want := range map[string]bool{"Root": true, "Loop": true, "Typed": false, "Entry": false, "Leaf": false} {
		if r[ids[name]] != want {
			t.Errorf("%s: expected exposed=%v", name, want)
		}
	}
}

func TestTypeOf(t *testing.T) {
	if TypeOf("integer") != Number || TypeOf("object") != Object || TypeOf("nope") != 0 {
		t.Error("TypeOf")
	}
}

func TestOnSameValueCycleAndReaching(t *testing.T) {
	g, ids := spec{
		nodes: map[string]Types{"Root": AnyType, "A": AnyType, "B": AnyType, "Tree": Object, "Leaf": String},
		edges: [][4]string{
			{"Root", "part", "properties/a", "A"}, {"A", "oneOf", "oneOf/0", "B"}, {"B", "allOf", "allOf/0", "A"},
			{"Tree", "part", "properties/t", "Tree"}, {"Tree", "part", "properties/l", "Leaf"},
		},
	}.build(t)
	on := g.OnSameValueCycle()
	for name, want := range map[string]bool{"Root": false, "A": true, "B": true, "Tree": false, "Leaf": false} {
		if on[ids[name]] != want {
			t.Errorf("OnSameValueCycle %s: expected %v", name, want)
		}
	}
	marked := make([]bool, len(g.Nodes))
	marked[ids["Leaf"]] = true
	r := g.Reaching(marked)
	for name, want := range map[string]bool{"Root": false, "A": false, "B": false, "Tree": true, "Leaf": true} {
		if r[ids[name]] != want {
			t.Errorf("Reaching %s: expected %v", name, want)
		}
	}
}
