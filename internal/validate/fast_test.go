package validate

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// mutations returns val and variants of it: every value in the tree
// replaced by values of other types and edge values, every object key
// removed, and an extra key added to every object.
func mutations(val any) []any {
	repl := []any{nil, "", "x", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "+64211234567", strings.Repeat("é", 300),
		0.0, 1.5, -1.0, 3e9, true, []any{}, []any{"a"}, map[string]any{}}
	holder := []any{deepCopy(val)}
	out := []any{deepCopy(val)}
	snapshot := func() { out = append(out, deepCopy(holder[0])) }
	var walk func(v any, set func(any))
	walk = func(v any, set func(any)) {
		for _, r := range repl {
			set(r)
			snapshot()
		}
		set(v)
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				walk(child, func(n any) { x[k] = n })
				delete(x, k)
				snapshot()
				x[k] = child
			}
			x["zz_extra"] = 1.0
			snapshot()
			delete(x, "zz_extra")
		case []any:
			for i, child := range x {
				walk(child, func(n any) { x[i] = n })
			}
		}
	}
	walk(holder[0], func(n any) { holder[0] = n })
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, c := range x {
			m[k] = deepCopy(c)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, c := range x {
			s[i] = deepCopy(c)
		}
		return s
	}
	return v
}

// TestFastAgreesWithKin holds the compiled fast path to kin-openapi's
// verdict over every spec example and thousands of mutations of them.
func TestFastAgreesWithKin(t *testing.T) {
	v := modica(t)
	checked, invalid := 0, 0
	forEachExample(v.doc.T, func(where string, s *openapi3.Schema, example any) {
		n := v.fastNodes[s]
		if n == nil {
			t.Errorf("%s: expected the Modica schema to compile to a fast node", where)
			return
		}
		for _, m := range mutations(example) {
			fast := n.valid(m)
			kin := s.VisitJSON(m, v.fast...) == nil
			checked++
			if !kin {
				invalid++
			}
			if fast != kin {
				t.Errorf("%s: fast=%v kin=%v for %s", where, fast, kin, shortValue(m))
			}
		}
	})
	t.Logf("%d values checked, %d invalid", checked, invalid)
	if checked < 1000 || invalid < checked/4 {
		t.Fatalf("expected a corpus of >= 1000 values with many invalid ones, got %d (%d invalid)", checked, invalid)
	}
}

func TestFastHeadersAgreeWithKin(t *testing.T) {
	v := modica(t)
	values := []any{0.0, 10.0, 100.0, 101.0, 1000.0, 1001.0, -1.0, 1.5, "frame-ancestors 'none'", "max-age=1; preload", "max-age=x", "", nil, true}
	for name, h := range v.doc.T.Components.Headers {
		s := h.Value.Schema.Value
		n := v.fastNodes[s]
		if n == nil {
			t.Fatalf("header %s: expected a fast node", name)
		}
		for _, val := range values {
			if fast, kin := n.valid(val), s.VisitJSON(val, v.fast...) == nil; fast != kin {
				t.Errorf("header %s: fast=%v kin=%v for %v", name, fast, kin, val)
			}
		}
	}
}

func TestUnsupportedSchemasFallBackToKin(t *testing.T) {
	c := newFastCompiler(nil)
	m := 2.0
	for name, s := range map[string]*openapi3.Schema{
		"multipleOf":    {MultipleOf: &m},
		"uniqueItems":   {UniqueItems: true},
		"discriminator": {Discriminator: &openapi3.Discriminator{PropertyName: "t"}},
		"bad pattern":   {Pattern: "(?<=x)"},
		"nested":        {Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"a": {Value: &openapi3.Schema{UniqueItems: true}}}},
	} {
		if c.compile(s) != nil {
			t.Errorf("%s: expected no fast node", name)
		}
	}
	// A cycle through a part of the value compiles (to a cyclic node
	// graph); one that stays on the same value is left to kin-openapi,
	// which stops it.
	tree := &openapi3.Schema{Type: &openapi3.Types{"object"}}
	tree.Properties = openapi3.Schemas{"self": {Value: tree}}
	if n := c.compile(tree); n == nil || n.props["self"] != n {
		t.Error("cycle through properties: expected a fast node that refers to itself")
	}
	same := &openapi3.Schema{Type: &openapi3.Types{"object"}}
	same.AnyOf = openapi3.SchemaRefs{{Value: same}, {Value: &openapi3.Schema{}}}
	holder := &openapi3.Schema{Items: &openapi3.SchemaRef{Value: same}}
	if c.compile(same) != nil || c.compile(holder) != nil {
		t.Error("cycle through anyOf: expected no fast node for the schema or what holds it")
	}
}
