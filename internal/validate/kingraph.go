package validate

import (
	"maps"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/internal/schemagraph"
	"github.com/wabcheck/wabcheck/spec"
)

// kinChild is one subschema slot of a kin-openapi Schema.
type kinChild struct {
	via    string
	kind   schemagraph.Kind
	needed schemagraph.Types
	ref    *openapi3.SchemaRef
}

// kinChildren lists every subschema of s that kin-openapi's IsEmpty or
// VisitJSON may visit ($defs are neither: they are reached through $refs).
// kinRewire must rewrite the same slots; TestKinSlotsCoverEverySchemaField
// holds both to the fields of openapi3.Schema.
func kinChildren(s *openapi3.Schema) []kinChild {
	var out []kinChild
	add := func(via string, kind schemagraph.Kind, needed schemagraph.Types, r *openapi3.SchemaRef) {
		if r != nil {
			out = append(out, kinChild{via, kind, needed, r})
		}
	}
	list := func(key string, kind schemagraph.Kind, rs openapi3.SchemaRefs) {
		for i, r := range rs {
			add(key+"/"+strconv.Itoa(i), kind, 0, r)
		}
	}
	named := func(key string, kind schemagraph.Kind, m openapi3.Schemas, needed func(string) schemagraph.Types) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			add(key+"/"+spec.EscapeToken(k), kind, needed(k), m[k])
		}
	}
	list("allOf", schemagraph.AllOf, s.AllOf)
	list("anyOf", schemagraph.AnyOf, s.AnyOf)
	list("oneOf", schemagraph.OneOf, s.OneOf)
	for via, r := range map[string]*openapi3.SchemaRef{"not": s.Not, "if": s.If, "then": s.Then, "else": s.Else} {
		add(via, schemagraph.Same, 0, r)
	}
	req, undeclared := requiredSet(s)
	named("properties", schemagraph.Part, s.Properties, func(k string) schemagraph.Types { return typeIf(req[k], schemagraph.Object) })
	named("patternProperties", schemagraph.Part, s.PatternProperties, noNeed)
	named("dependentSchemas", schemagraph.Same, s.DependentSchemas, noNeed)
	add("additionalProperties", schemagraph.Part, typeIf(undeclared, schemagraph.Object), s.AdditionalProperties.Schema)
	add("items", schemagraph.Part, typeIf(s.MinItems > 0, schemagraph.Array), s.Items)
	list("prefixItems", schemagraph.Part, s.PrefixItems)
	add("contains", schemagraph.Part, typeIf(s.MinContains == nil || *s.MinContains > 0, schemagraph.Array), s.Contains)
	add("propertyNames", schemagraph.Part, 0, s.PropertyNames)
	add("unevaluatedItems", schemagraph.Part, 0, s.UnevaluatedItems.Schema)
	add("unevaluatedProperties", schemagraph.Part, 0, s.UnevaluatedProperties.Schema)
	add("contentSchema", schemagraph.Part, 0, s.ContentSchema)
	return out
}

func noNeed(string) schemagraph.Types { return 0 }

func typeIf(ok bool, t schemagraph.Types) schemagraph.Types {
	if ok {
		return t
	}
	return 0
}

// requiredSet returns s.Required as a set, and whether a required name is
// missing from s.Properties (additionalProperties must then supply it).
func requiredSet(s *openapi3.Schema) (map[string]bool, bool) {
	req := make(map[string]bool, len(s.Required))
	undeclared := false
	for _, r := range s.Required {
		req[r] = true
		if s.Properties[r] == nil {
			undeclared = true
		}
	}
	return req, undeclared
}

// kinRewire replaces every subschema slot of s (a copy) with f of it; lists
// and maps are new, so the original keeps its own.
func kinRewire(s *openapi3.Schema, f func(*openapi3.SchemaRef) *openapi3.SchemaRef) {
	refs := func(rs openapi3.SchemaRefs) openapi3.SchemaRefs {
		if rs == nil {
			return nil
		}
		out := make(openapi3.SchemaRefs, len(rs))
		for i, r := range rs {
			out[i] = f(r)
		}
		return out
	}
	named := func(m openapi3.Schemas) openapi3.Schemas {
		if m == nil {
			return nil
		}
		out := make(openapi3.Schemas, len(m))
		for k, r := range m {
			out[k] = f(r)
		}
		return out
	}
	s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems = refs(s.AllOf), refs(s.AnyOf), refs(s.OneOf), refs(s.PrefixItems)
	s.Not, s.If, s.Then, s.Else = f(s.Not), f(s.If), f(s.Then), f(s.Else)
	s.Properties, s.PatternProperties, s.DependentSchemas = named(s.Properties), named(s.PatternProperties), named(s.DependentSchemas)
	s.AdditionalProperties.Schema, s.Items, s.Contains = f(s.AdditionalProperties.Schema), f(s.Items), f(s.Contains)
	s.PropertyNames, s.ContentSchema = f(s.PropertyNames), f(s.ContentSchema)
	s.UnevaluatedItems.Schema, s.UnevaluatedProperties.Schema = f(s.UnevaluatedItems.Schema), f(s.UnevaluatedProperties.Schema)
}

// kinClear empties every subschema slot kinRewire rewrites.
func kinClear(s *openapi3.Schema) {
	s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems = nil, nil, nil, nil
	s.Not, s.If, s.Then, s.Else = nil, nil, nil, nil
	s.Properties, s.PatternProperties, s.DependentSchemas = nil, nil, nil
	s.AdditionalProperties.Schema, s.Items, s.Contains, s.PropertyNames, s.ContentSchema = nil, nil, nil, nil, nil
	s.UnevaluatedItems.Schema, s.UnevaluatedProperties.Schema = nil, nil
}

// kinShortCircuits reports whether s has a keyword kin-openapi's
// Schema.IsEmpty tests before it recurses (the first test in schema.go):
// with one, IsEmpty answers false at once.
func kinShortCircuits(s *openapi3.Schema) bool {
	return s.Type != nil || s.Format != "" || len(s.Enum) != 0 ||
		s.UniqueItems || s.ExclusiveMin.IsSet() || s.ExclusiveMax.IsSet() ||
		s.Nullable || s.ReadOnly || s.WriteOnly || s.AllowEmptyValue ||
		s.Min != nil || s.Max != nil || s.MultipleOf != nil ||
		s.MinLength != 0 || s.MaxLength != nil || s.Pattern != "" ||
		s.MinItems != 0 || s.MaxItems != nil || len(s.Required) != 0 ||
		s.MinProps != 0 || s.MaxProps != nil || s.Const != nil
}

// kinOwnKeywords reports whether s itself (not its subschemas) has a
// keyword that makes kin-openapi's Schema.IsEmpty answer false.
func kinOwnKeywords(s *openapi3.Schema) bool {
	return kinShortCircuits(s) ||
		s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has ||
		s.MinContains != nil || s.MaxContains != nil ||
		s.UnevaluatedItems.Has != nil && !*s.UnevaluatedItems.Has ||
		s.UnevaluatedProperties.Has != nil && !*s.UnevaluatedProperties.Has ||
		len(s.Examples) != 0 || len(s.DependentRequired) != 0 || len(s.Defs) != 0 ||
		s.SchemaDialect != "" || s.Comment != "" || s.SchemaID != "" || s.Anchor != "" ||
		s.DynamicRef != "" || s.DynamicAnchor != "" || s.ContentMediaType != "" || s.ContentEncoding != "" ||
		s.Always != nil
}

// kinTypes are the JSON types s's own `type` and `nullable` allow.
func kinTypes(s *openapi3.Schema) schemagraph.Types {
	switch {
	case s.Always != nil && !*s.Always:
		return 0
	case s.Type == nil || len(*s.Type) == 0:
		return schemagraph.AnyType
	}
	var m schemagraph.Types
	for _, t := range *s.Type {
		m |= schemagraph.TypeOf(t)
	}
	if s.Nullable {
		m |= schemagraph.Null
	}
	return m
}
