package spec

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/internal/schemagraph"
)

// SchemaScan is what ScanSchemas found in a document's YAML: the defects
// that stop wabcheck from checking messages against it, and what kin-openapi
// cannot load or validate safely.
type SchemaScan struct {
	// RefLoops are $refs that lead back to themselves: A: {$ref: B},
	// B: {$ref: A}. Nothing that uses them resolves.
	RefLoops []RefLoop
	// Cycles are schema cycles that leave a schema without a finite value
	// or that refer to a schema on the same value (see schemagraph).
	Cycles []schemagraph.Problem
	// SiblingHazards are OpenAPI 3.1 $refs whose sibling keywords lead into
	// a cycle of schemas without `type` or other constraints: kin-openapi's
	// loader recurses forever on them.
	SiblingHazards []SiblingHazard
	// BareCycles says some schema lies on or leads into a cycle of such
	// schemas: kin-openapi must not check values (defaults) against it.
	BareCycles bool
	// Schemas counts the schemas found; ComponentSchemas the entries of
	// components.schemas.
	Schemas, ComponentSchemas int
	// V31 says the document is OpenAPI 3.1.
	V31 bool
	// Keywords31 counts the OpenAPI 3.1 (JSON Schema 2020-12) keywords the
	// schemas use that wabcheck does not check.
	Keywords31 map[string]int
}

// RefLoop is one $ref loop.
type RefLoop struct {
	// Chain lists the pointers of the loop in order, starting with the
	// first by pointer; the loop closes back to Chain[0].
	Chain []string
}

// String renders the loop: "#/a → #/b → #/a".
func (r RefLoop) String() string {
	return "#" + strings.Join(append(append([]string(nil), r.Chain...), r.Chain[0]), " → #")
}

// SiblingHazard is a 3.1 $ref with sibling keywords that lead into a cycle
// of schemas kin-openapi's Schema.IsEmpty never finishes on.
type SiblingHazard struct {
	// Pointer is the schema holding the $ref and its siblings.
	Pointer string
	// Via is the sibling keyword path that leads into the cycle.
	Via string
	// Into is the pointer of the schema it leads to.
	Into string
}

// Unchecked31Keywords are the OpenAPI 3.1 / JSON Schema 2020-12 schema
// keywords wabcheck's validation and lint do not check.
var Unchecked31Keywords = []string{"const", "contains", "dependentRequired", "dependentSchemas", "$dynamicRef",
	"else", "if", "maxContains", "minContains", "patternProperties", "prefixItems", "propertyNames", "then",
	"unevaluatedItems", "unevaluatedProperties"}

// ScanSchemas builds the schema graph of a parsed document (root is its
// document or top mapping node) and looks for the defects SchemaScan
// lists. It never recurses on the document's $refs and follows each
// $ref chain once, so its cost is linear in the size of the document.
func ScanSchemas(root *yaml.Node) *SchemaScan {
	s := newScan(root)
	s.walk(s.root, "")
	s.drain()
	out := &SchemaScan{RefLoops: s.loops, Cycles: s.g.Problems(), V31: s.v31, Keywords31: s.kw31,
		Schemas: len(s.g.Nodes), ComponentSchemas: s.components}
	reach := s.g.BareCycleReach()
	for _, r := range reach {
		out.BareCycles = out.BareCycles || r
	}
	out.SiblingHazards = s.hazards(reach)
	return out
}

// scan is the state of one ScanSchemas.
type scan struct {
	root       *yaml.Node
	v31        bool
	g          schemagraph.Graph
	ids        map[*yaml.Node]int
	walked     map[*yaml.Node]bool
	resolved   map[*yaml.Node]target
	keys       map[*yaml.Node]map[string]*yaml.Node // index of large mappings
	loops      []RefLoop
	loopSeen   map[string]bool
	pending    []pendingSchema
	siblings   []int // 3.1 $ref schemas with sibling keywords
	components int
	kw31       map[string]int
}

type target struct {
	n   *yaml.Node
	ptr string
}

type pendingSchema struct {
	id  int
	n   *yaml.Node
	ptr string
}

func newScan(root *yaml.Node) *scan {
	root = derefNode(root)
	s := &scan{root: root, ids: map[*yaml.Node]int{}, walked: map[*yaml.Node]bool{},
		resolved: map[*yaml.Node]target{}, keys: map[*yaml.Node]map[string]*yaml.Node{}, loopSeen: map[string]bool{}, kw31: map[string]int{}}
	if root != nil {
		_, v := child(root, "openapi")
		s.v31 = v != nil && strings.HasPrefix(v.Value, "3.1")
	}
	return s
}

// derefNode follows aliases and unwraps a document node.
func derefNode(n *yaml.Node) *yaml.Node {
	for n != nil && (n.Kind == yaml.AliasNode || n.Kind == yaml.DocumentNode) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) > 0 {
			n = n.Content[0]
		} else {
			return nil
		}
	}
	return n
}

// skipKeys hold values, not OpenAPI objects: a key named "schema" inside
// them is data.
var skipKeys = map[string]bool{"example": true, "examples": true, "default": true, "enum": true, "const": true}

// walk visits the document outside schemas: every `schema` value and every
// entry of components.schemas is a schema; every $ref chain is followed
// once to find loops.
func (s *scan) walk(n *yaml.Node, ptr string) {
	n = derefNode(n)
	if n == nil || s.walked[n] {
		return
	}
	s.walked[n] = true
	switch n.Kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			s.walk(c, ptr+"/"+strconv.Itoa(i))
		}
	case yaml.MappingNode:
		if refOf(n) != "" {
			s.follow(n, ptr)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			s.walkEntry(n.Content[i].Value, n.Content[i+1], ptr)
		}
	}
}

func (s *scan) walkEntry(k string, v *yaml.Node, ptr string) {
	kp := ptr + "/" + EscapeToken(k)
	switch {
	case skipKeys[k] || strings.HasPrefix(k, "x-") || k == "$ref":
	case k == "schema":
		s.schema(v, kp)
	case k == "schemas" && ptr == "/components":
		eachEntry(v, func(name string, sn *yaml.Node) {
			s.components++
			s.schema(sn, kp+"/"+EscapeToken(name))
		})
	default:
		s.walk(v, kp)
	}
}

func eachEntry(n *yaml.Node, fn func(string, *yaml.Node)) {
	n = derefNode(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, n.Content[i+1])
	}
}

// refOf returns the $ref of mapping n, or "".
func refOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	_, v := child(n, "$ref")
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// follow resolves the local $ref chain from n (at ptr) and returns the node
// it ends on, or nil when the chain loops, dangles or leaves the file.
// Every node on the chain remembers the answer, so each chain is walked
// once.
func (s *scan) follow(n *yaml.Node, ptr string) (*yaml.Node, string) {
	var chain []target
	pos := map[*yaml.Node]int{}
	for {
		if t, ok := s.resolved[n]; ok {
			return s.settle(chain, t)
		}
		ref := refOf(n)
		if ref == "" {
			return s.settle(chain, target{n, ptr})
		}
		if i, seen := pos[n]; seen {
			s.addLoop(chain[i:])
			return s.settle(chain, target{})
		}
		pos[n] = len(chain)
		chain = append(chain, target{n, ptr})
		if !strings.HasPrefix(ref, "#") {
			return s.settle(chain, target{})
		}
		n, ptr = s.lookup(ref), strings.TrimPrefix(ref, "#")
		if n == nil {
			return s.settle(chain, target{})
		}
	}
}

// lookup returns the node a local $ref points at, or nil. Large mappings
// (components.schemas) are indexed on first use, so resolving every $ref
// of a document costs linear time, not the number of refs times the
// number of components.
func (s *scan) lookup(ref string) *yaml.Node {
	n := s.root
	for _, tok := range SplitPointer(ref) {
		n = derefNode(n)
		switch {
		case n == nil:
			return nil
		case n.Kind == yaml.MappingNode && len(n.Content) > 32:
			n = s.index(n)[tok]
		default:
			_, n = child(n, tok)
		}
	}
	return derefNode(n)
}

func (s *scan) index(n *yaml.Node) map[string]*yaml.Node {
	if m, ok := s.keys[n]; ok {
		return m
	}
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if _, dup := m[n.Content[i].Value]; !dup { // the first wins, as in child
			m[n.Content[i].Value] = n.Content[i+1]
		}
	}
	s.keys[n] = m
	return m
}

func (s *scan) settle(chain []target, t target) (*yaml.Node, string) {
	for _, c := range chain {
		s.resolved[c.n] = t
	}
	return t.n, t.ptr
}

func (s *scan) addLoop(chain []target) {
	start := 0
	for i, c := range chain {
		if c.ptr < chain[start].ptr {
			start = i
		}
	}
	loop := RefLoop{}
	for i := range chain {
		loop.Chain = append(loop.Chain, chain[(start+i)%len(chain)].ptr)
	}
	if key := strings.Join(loop.Chain, "\x00"); !s.loopSeen[key] {
		s.loopSeen[key] = true
		s.loops = append(s.loops, loop)
	}
}

// checkSchemas scans the document kin-openapi is about to load and turns
// what would break it into a one-line error located in the published file
// (locate maps a pointer there).
func checkSchemas(data []byte, locate func(string) Location) (*SchemaScan, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML or JSON: %s", locate("").File, oneLine(err.Error()))
	}
	sc := ScanSchemas(&root)
	more := func(n int) string {
		if n <= 1 {
			return ""
		}
		return fmt.Sprintf(" (and %d more: run `wabcheck spec lint`)", n-1)
	}
	switch {
	case len(sc.RefLoops) > 0:
		l := sc.RefLoops[0]
		return nil, fmt.Errorf("%s: $ref loop %s: it resolves to nothing, so nothing that uses it can be checked%s",
			locate(l.Chain[0]+"/$ref"), l, more(len(sc.RefLoops)))
	case len(sc.Cycles) > 0:
		p := sc.Cycles[0]
		return nil, fmt.Errorf("%s: %s%s", locate(p.Pointer), p.Message, more(len(sc.Cycles)))
	case len(sc.SiblingHazards) > 0:
		h := sc.SiblingHazards[0]
		return nil, fmt.Errorf("%s: schema #%s: the keywords next to its $ref lead through %s into a cycle of schemas that have no `type` (#%s); kin-openapi, which loads OpenAPI 3.1 for wabcheck, never finishes on that: give one schema on the cycle a `type`",
			locate(h.Pointer), h.Pointer, h.Via, h.Into)
	}
	return sc, nil
}

// Unchecked31 says, for an OpenAPI 3.1 document, what wabcheck leaves
// unchecked in it: "wabcheck checks it with OpenAPI 3.0 rules, so the
// 3.1-only schema keywords (...) are not checked; it uses const (2)".
func (sc *SchemaScan) Unchecked31() string {
	var used []string
	for _, k := range Unchecked31Keywords {
		if n := sc.Keywords31[k]; n > 0 {
			used = append(used, fmt.Sprintf("%s (%d)", k, n))
		}
	}
	what := "it uses none of them"
	if len(used) > 0 {
		what = "it uses " + strings.Join(used, ", ")
	}
	return "wabcheck checks it with OpenAPI 3.0 rules, so the 3.1-only schema keywords (" +
		strings.Join(Unchecked31Keywords, ", ") + ") are not checked; " + what
}
