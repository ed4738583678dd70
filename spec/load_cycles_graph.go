package spec

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/internal/schemagraph"
)

// schema returns the graph node of the schema n at ptr, or -1 when n is
// not a schema (or a $ref that resolves to none). A new node's edges are
// added later, by drain, so deep or long-chained schemas never deepen the
// stack.
func (s *scan) schema(n *yaml.Node, ptr string) int {
	n = derefNode(n)
	if n != nil && refOf(n) != "" && !(s.v31 && hasSiblings(n)) {
		n, ptr = s.follow(n, ptr)
		n = derefNode(n)
	}
	if n == nil {
		return -1
	}
	if id, ok := s.ids[n]; ok {
		return id
	}
	node, ok := s.node(n, ptr)
	if !ok {
		return -1
	}
	id := s.g.Add(node)
	s.ids[n] = id
	s.pending = append(s.pending, pendingSchema{id, n, ptr})
	return id
}

// node describes schema n; false when n is no schema.
func (s *scan) node(n *yaml.Node, ptr string) (schemagraph.Node, bool) {
	switch {
	case n.Kind == yaml.MappingNode:
		sib := s.v31 && refOf(n) != ""
		return schemagraph.Node{Pointer: ptr, Types: types(n), Bare: !hasEmptinessKeyword(n, sib)}, true
	case s.v31 && n.Kind == yaml.ScalarNode && n.Value == "true":
		return schemagraph.Node{Pointer: ptr, Types: schemagraph.AnyType}, true
	case s.v31 && n.Kind == yaml.ScalarNode && n.Value == "false":
		return schemagraph.Node{Pointer: ptr}, true
	}
	return schemagraph.Node{}, false
}

// drain adds the edges of every schema found, finding more on the way.
func (s *scan) drain() {
	for len(s.pending) > 0 {
		p := s.pending[len(s.pending)-1]
		s.pending = s.pending[:len(s.pending)-1]
		if p.n.Kind == yaml.MappingNode {
			s.edges(p)
		}
	}
}

// single-schema keywords and how they apply.
var singleKeys = []struct {
	key  string
	kind schemagraph.Kind
}{
	{"not", schemagraph.Same}, {"if", schemagraph.Same}, {"then", schemagraph.Same}, {"else", schemagraph.Same},
	{"items", schemagraph.Part}, {"additionalProperties", schemagraph.Part}, {"additionalItems", schemagraph.Part},
	{"contains", schemagraph.Part}, {"propertyNames", schemagraph.Part}, {"unevaluatedItems", schemagraph.Part},
	{"unevaluatedProperties", schemagraph.Part}, {"contentSchema", schemagraph.Part},
}

// list keywords and how they apply.
var listKeys = []struct {
	key  string
	kind schemagraph.Kind
}{
	{"allOf", schemagraph.AllOf}, {"anyOf", schemagraph.AnyOf}, {"oneOf", schemagraph.OneOf},
	{"prefixItems", schemagraph.Part}, {"items", schemagraph.Part},
}

// edges links schema p to its subschemas.
func (s *scan) edges(p pendingSchema) {
	s.count31(p.n)
	if s.v31 && refOf(p.n) != "" {
		s.siblings = append(s.siblings, p.id)
		t, tp := s.follow(p.n, p.ptr)
		s.link(p, "$ref", schemagraph.AllOf, 0, t, tp)
	}
	required := requiredNames(p.n)
	eachEntry(get(p.n, "properties"), func(k string, v *yaml.Node) {
		s.link(p, "properties/"+EscapeToken(k), schemagraph.Part, neededIf(required[k] > 0, schemagraph.Object), v, "")
		delete(required, k)
	})
	for _, sk := range singleKeys {
		if v := get(p.n, sk.key); v != nil && v.Kind != yaml.SequenceNode {
			s.link(p, sk.key, sk.kind, s.needed(p.n, sk.key, len(required) > 0), v, "")
		}
	}
	for _, lk := range listKeys {
		if v := get(p.n, lk.key); v != nil && v.Kind == yaml.SequenceNode {
			for i, c := range v.Content {
				s.link(p, lk.key+"/"+strconv.Itoa(i), lk.kind, 0, c, "")
			}
		}
	}
	for key, kind := range map[string]schemagraph.Kind{"patternProperties": schemagraph.Part, "dependentSchemas": schemagraph.Same} {
		eachEntry(get(p.n, key), func(k string, v *yaml.Node) { s.link(p, key+"/"+EscapeToken(k), kind, 0, v, "") })
	}
}

// link adds an edge from p through via to the schema v (whose pointer is
// ptr, or p's pointer plus via when ptr is empty).
func (s *scan) link(p pendingSchema, via string, kind schemagraph.Kind, needed schemagraph.Types, v *yaml.Node, ptr string) {
	if ptr == "" {
		ptr = p.ptr + "/" + via
	}
	if to := s.schema(v, ptr); to >= 0 {
		s.g.Link(p.id, schemagraph.Edge{To: to, Kind: kind, Via: via, Needed: needed})
	}
}

// needed says which values must have the part a single-schema keyword
// applies to: arrays under minItems > 0 (items) or minContains > 0
// (contains), objects with a required property that `properties` does
// not declare (additionalProperties).
func (s *scan) needed(n *yaml.Node, key string, undeclaredRequired bool) schemagraph.Types {
	switch key {
	case "items":
		return neededIf(positive(get(n, "minItems")), schemagraph.Array)
	case "contains":
		mc := get(n, "minContains")
		return neededIf(mc == nil || positive(mc), schemagraph.Array)
	case "additionalProperties":
		return neededIf(undeclaredRequired, schemagraph.Object)
	}
	return 0
}

func neededIf(ok bool, t schemagraph.Types) schemagraph.Types {
	if ok {
		return t
	}
	return 0
}

func positive(v *yaml.Node) bool {
	f, err := strconv.ParseFloat(scalarOf(v), 64)
	return err == nil && f > 0
}

func scalarOf(v *yaml.Node) string {
	if v = derefNode(v); v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		return ""
	}
	return v.Value
}

// get returns the value of key in mapping n (aliases followed), or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n = derefNode(n); n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	_, v := child(n, key)
	return derefNode(v)
}

// requiredNames counts the names in `required`.
func requiredNames(n *yaml.Node) map[string]int {
	out := map[string]int{}
	if r := get(n, "required"); r != nil && r.Kind == yaml.SequenceNode {
		for _, c := range r.Content {
			out[scalarOf(c)]++
		}
	}
	return out
}

// types are the JSON types a schema's own `type` and `nullable` allow.
func types(n *yaml.Node) schemagraph.Types {
	t := get(n, "type")
	var m schemagraph.Types
	switch {
	case t == nil || t.ShortTag() == "!!null" || t.Kind == yaml.SequenceNode && len(t.Content) == 0:
		m = schemagraph.AnyType
	case t.Kind == yaml.SequenceNode:
		for _, c := range t.Content {
			m |= schemagraph.TypeOf(scalarOf(c))
		}
	default:
		m = schemagraph.TypeOf(t.Value)
	}
	if scalarOf(get(n, "nullable")) == "true" {
		m |= schemagraph.Null
	}
	return m
}

// refAnnotations are the keywords kin-openapi takes next to a 3.1 $ref as
// annotations of the referenced schema (loader.go refSiblingAnnotations);
// the others are assertions, checked as one more allOf member.
var refAnnotations = map[string]bool{"$comment": true, "allowEmptyValue": true, "default": true, "deprecated": true,
	"description": true, "discriminator": true, "example": true, "examples": true, "externalDocs": true,
	"nullable": true, "readOnly": true, "title": true, "writeOnly": true, "xml": true}

// hasSiblings reports whether a 3.1 $ref has assertion keywords next to it.
func hasSiblings(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k != "$ref" && !refAnnotations[k] && !strings.HasPrefix(k, "x-") {
			return true
		}
	}
	return false
}

// hasEmptinessKeyword reports whether mapping n has a keyword that makes
// kin-openapi's Schema.IsEmpty answer false before it recurses (schema.go,
// the first test of IsEmpty). In doubt it answers false: a schema taken for
// bare only makes the checks around IsEmpty more careful. siblings: n is a
// 3.1 $ref with siblings, whose annotations kin-openapi sets aside.
func hasEmptinessKeyword(n *yaml.Node, siblings bool) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, scalarOrSeq(n.Content[i+1])
		if v == nil || siblings && refAnnotations[k] {
			continue
		}
		if emptinessKeyword(k, v) {
			return true
		}
	}
	return false
}

func scalarOrSeq(v *yaml.Node) *yaml.Node {
	if v = derefNode(v); v == nil || v.ShortTag() == "!!null" {
		return nil
	}
	return v
}

func emptinessKeyword(k string, v *yaml.Node) bool {
	switch k {
	case "type", "minimum", "maximum", "multipleOf", "maxLength", "maxItems", "maxProperties", "const":
		return true
	case "format", "pattern":
		return v.Kind == yaml.ScalarNode && v.Value != ""
	case "enum", "required":
		return v.Kind == yaml.SequenceNode && len(v.Content) > 0
	case "uniqueItems", "nullable", "readOnly", "writeOnly", "allowEmptyValue", "exclusiveMinimum", "exclusiveMaximum":
		return v.Kind == yaml.ScalarNode && v.Value != "false"
	case "minLength", "minItems", "minProperties":
		return positive(v)
	}
	return false
}

// count31 counts the unchecked 3.1 keywords of schema n.
func (s *scan) count31(n *yaml.Node) {
	for _, k := range Unchecked31Keywords {
		if get(n, k) != nil {
			s.kw31[k]++
		}
	}
}

// hazards lists the 3.1 $refs whose assertion siblings are bare and lead
// into a bare cycle (reach is BareCycleReach).
func (s *scan) hazards(reach []bool) []SiblingHazard {
	var out []SiblingHazard
	for _, id := range s.siblings {
		n := s.g.Nodes[id]
		if !n.Bare {
			continue
		}
		for _, e := range n.Edges {
			if e.Via != "$ref" && reach[e.To] {
				out = append(out, SiblingHazard{Pointer: n.Pointer, Via: e.Via, Into: s.g.Nodes[e.To].Pointer})
				break
			}
		}
	}
	return out
}
