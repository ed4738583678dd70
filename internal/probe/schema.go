package probe

import (
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/spec"
)

// node is a schema with the spec pointer it was declared at (the
// component's pointer when it was reached through a $ref), so that every
// rule a case breaks can be located in the spec file.
type node struct {
	s   *openapi3.Schema
	ptr string
}

// nodeOf resolves ref; fallback is the pointer of an inline schema.
func nodeOf(ref *openapi3.SchemaRef, fallback string) node {
	if ref == nil || ref.Value == nil {
		return node{}
	}
	return node{s: ref.Value, ptr: refPtr(ref.Ref, fallback)}
}

// refPtr is the spec pointer of a node reached through ref ("#/components/…"),
// or fallback for an inline one.
func refPtr(ref, fallback string) string {
	if strings.HasPrefix(ref, "#/") {
		return ref[1:]
	}
	return fallback
}

// at is the pointer of a keyword of n ("…/maxLength").
func (n node) at(keyword ...string) string {
	p := n.ptr
	for _, k := range keyword {
		p += "/" + spec.EscapeToken(k)
	}
	return p
}

// JSON types as the generator names them.
const (
	tString  = "string"
	tInteger = "integer"
	tNumber  = "number"
	tBoolean = "boolean"
	tArray   = "array"
	tObject  = "object"
)

// typeOf is the JSON type n's values have: its declared type, or the one
// its keywords imply; "" when anything goes or a oneOf/anyOf decides.
func typeOf(n node) string {
	s := n.s
	if s == nil {
		return ""
	}
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		return s.Type.Slice()[0]
	}
	switch {
	case len(s.Properties) > 0 || len(s.Required) > 0 || s.AdditionalProperties.Has != nil:
		return tObject
	case s.Items != nil:
		return tArray
	case len(s.Enum) > 0:
		return jsonType(s.Enum[0])
	}
	for _, m := range s.AllOf {
		if t := typeOf(nodeOf(m, "")); t != "" {
			return t
		}
	}
	return ""
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return tString
	case bool:
		return tBoolean
	case float64, int64, int:
		return tNumber
	case []any:
		return tArray
	case map[string]any:
		return tObject
	}
	return ""
}

// prop is one property of an object view.
type prop struct {
	name string
	n    node
}

// objView is an object schema with its allOf members merged: the union of
// properties (first declaration wins) and of required names, and the
// members that forbid undeclared properties.
type objView struct {
	props    []prop
	required []string
	reqPtr   map[string]string // required name → pointer of the listing `required`
	closed   []node            // members with additionalProperties: false
}

// flatten merges n and its allOf members into one object view.
func flatten(n node) objView {
	v := objView{reqPtr: map[string]string{}}
	seen := map[string]bool{}
	var walk func(n node, depth int)
	walk = func(n node, depth int) {
		if n.s == nil || depth > 8 {
			return
		}
		for _, name := range sortedKeys(n.s.Properties) {
			if !seen[name] {
				seen[name] = true
				v.props = append(v.props, prop{name: name, n: nodeOf(n.s.Properties[name], n.at("properties", name))})
			}
		}
		for i, r := range n.s.Required {
			if _, ok := v.reqPtr[r]; !ok {
				v.reqPtr[r] = n.at("required", strconv.Itoa(i))
				v.required = append(v.required, r)
			}
		}
		if ap := n.s.AdditionalProperties.Has; ap != nil && !*ap {
			v.closed = append(v.closed, n)
		}
		for i, m := range n.s.AllOf {
			walk(nodeOf(m, n.at("allOf", strconv.Itoa(i))), depth+1)
		}
	}
	walk(n, 0)
	sort.Strings(v.required)
	return v
}

// isRequired reports whether name is required.
func (v objView) isRequired(name string) bool {
	_, ok := v.reqPtr[name]
	return ok
}

// find returns the property called name.
func (v objView) find(name string) (prop, bool) {
	for _, p := range v.props {
		if p.name == name {
			return p, true
		}
	}
	return prop{}, false
}

// branches lists n's oneOf (or anyOf) alternatives, with the keyword.
//
// A branch of a schema that also has a shape of its own (properties or
// required beside the oneOf: the branches only add constraints, as
// YCloud's errata Y15 does to a send request) is that shape with the
// branch's constraints: allOf [branch, the schema without its oneOf], the
// branch first so that its narrower property schemas win in flatten.
func branches(n node) ([]node, string) {
	if n.s == nil {
		return nil, ""
	}
	list, kw := n.s.OneOf, "oneOf"
	if len(list) == 0 {
		list, kw = n.s.AnyOf, "anyOf"
	}
	out := make([]node, 0, len(list))
	for i, r := range list {
		if b := nodeOf(r, n.at(kw, strconv.Itoa(i))); b.s != nil {
			out = append(out, withShape(n, b))
		}
	}
	return out, kw
}

// withShape is branch b of n completed with n's own shape, when n has one
// (see branches); else b.
func withShape(n, b node) node {
	if len(n.s.Properties) == 0 && len(n.s.Required) == 0 {
		return b
	}
	shape := *n.s
	shape.OneOf, shape.AnyOf = nil, nil
	s := &openapi3.Schema{AllOf: openapi3.SchemaRefs{
		{Ref: "#" + b.ptr, Value: b.s},
		{Ref: "#" + n.ptr, Value: &shape},
	}}
	return node{s: s, ptr: b.ptr}
}

// items is the node of an array's items.
func items(n node) node { return nodeOf(n.s.Items, n.at("items")) }

func sortedKeys(m openapi3.Schemas) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// childAt walks from n along one value-pointer token: an object property,
// an array item, or, for a oneOf, the branch that declares the token.
func childAt(n node, tok string) (node, bool) {
	if bs, _ := branches(n); len(bs) > 0 {
		for _, b := range bs {
			if c, ok := childAt(b, tok); ok {
				return c, true
			}
		}
		return node{}, false
	}
	switch typeOf(n) {
	case tArray:
		if _, err := strconv.Atoi(tok); err == nil && n.s.Items != nil {
			return items(n), true
		}
	case tObject:
		if p, ok := flatten(n).find(tok); ok {
			return p.n, true
		}
	}
	return node{}, false
}
