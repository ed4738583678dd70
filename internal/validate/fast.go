package validate

import (
	"math"
	"reflect"
	"regexp"
	"sort"
	"unicode/utf16"

	"github.com/getkin/kin-openapi/openapi3"
)

// fastNode is a schema compiled for a yes/no answer. It mirrors
// kin-openapi's OpenAPI 3.0 validator (schema_3point0_validator.go in
// v0.152.0) for the keywords it supports, without allocating. A schema
// using anything else (discriminator, multipleOf, uniqueItems, 3.1
// keywords, same-value cycles, patterns Go cannot compile) gets no fastNode and is
// checked by kin-openapi alone. A fastNode's "valid" must imply kin's: the
// differential tests in fast_test.go hold them to it.
type fastNode struct {
	nullable, empty bool
	types           uint8 // bitmask of fast* types; allTypes when the schema has none
	enum            []any
	not             *fastNode
	oneOf           []*fastNode
	anyOf           []*fastNode
	allOf           []*fastNode

	requireInt       bool
	intFmt           openapi3.IntegerFormatValidator
	numFmt           openapi3.NumberFormatValidator
	min, max         *float64
	exclMin, exclMax *float64

	minLen uint64
	maxLen *uint64
	re     *regexp.Regexp
	strFmt openapi3.StringFormatValidator

	minItems uint64
	maxItems *uint64
	items    *fastNode

	minProps    uint64
	maxProps    *uint64
	props       map[string]*fastNode
	propList    []namedNode // props, for lookups by name
	addlAllowed bool
	addl        *fastNode
	required    []string
}

type namedNode struct {
	name string
	node *fastNode
}

const (
	fastNull uint8 = 1 << iota
	fastBool
	fastInt
	fastNum
	fastStr
	fastArr
	fastObj
	allTypes = fastNull | fastBool | fastInt | fastNum | fastStr | fastArr | fastObj
)

var typeBits = map[string]uint8{
	openapi3.TypeNull: fastNull, openapi3.TypeBoolean: fastBool, openapi3.TypeInteger: fastInt,
	openapi3.TypeNumber: fastNum, openapi3.TypeString: fastStr, openapi3.TypeArray: fastArr, openapi3.TypeObject: fastObj,
}

// fastCompiler compiles schemas once, sharing nodes between schemas that
// share sub-schemas. A schema that recurses through a part of the value
// (properties, items, additionalProperties) compiles to a cyclic node
// graph: each schema's node exists before its sub-schemas are compiled.
// A schema on a cycle that stays on the same value (allOf, anyOf, oneOf,
// not) is left to kin-openapi, which stops such cycles.
type fastCompiler struct {
	formats map[string]openapi3.StringFormatValidator
	done    map[*openapi3.Schema]*fastNode
	ok      map[*openapi3.Schema]bool // the schema and all it reaches compile
	empty   map[*openapi3.Schema]bool // kin-openapi's IsEmpty, answered without recursion
	re      map[*openapi3.Schema]*regexp.Regexp
}

func newFastCompiler(formats map[string]openapi3.StringFormatValidator) *fastCompiler {
	return &fastCompiler{formats: formats, done: map[*openapi3.Schema]*fastNode{}, ok: map[*openapi3.Schema]bool{},
		empty: map[*openapi3.Schema]bool{}, re: map[*openapi3.Schema]*regexp.Regexp{}}
}

// compile returns the node for s, or nil when s (or a sub-schema) is not
// supported.
func (c *fastCompiler) compile(s *openapi3.Schema) *fastNode {
	if s == nil {
		return nil
	}
	if _, known := c.ok[s]; !known {
		k := newKinGraph([]*openapi3.Schema{s}, nil)
		c.learn(k, k.empties())
	}
	if !c.ok[s] {
		return nil
	}
	return c.node(s)
}

// learn decides, for every schema of k not decided yet, whether it
// compiles: not when it uses a keyword the fast path lacks, has a pattern
// Go cannot compile or an unresolved $ref, lies on a same-value cycle, or
// reaches such a schema. empty is k.empties().
func (c *fastCompiler) learn(k *kinGraph, empty map[*openapi3.Schema]bool) {
	cyc := k.g.OnSameValueCycle()
	bad := make([]bool, len(k.list))
	for i, s := range k.list {
		if ok, known := c.ok[s]; known {
			bad[i] = !ok
			continue
		}
		bad[i] = cyc[i] || k.broken[i] || unsupported(s) || !c.pattern(s)
	}
	bad = k.g.Reaching(bad)
	for i, s := range k.list {
		if _, known := c.ok[s]; !known {
			c.ok[s], c.empty[s] = !bad[i], empty[s]
		}
	}
}

// pattern compiles s's pattern (if any) and says whether Go could.
func (c *fastCompiler) pattern(s *openapi3.Schema) bool {
	if s.Pattern == "" {
		return true
	}
	re, err := regexp.Compile(goPattern(s.Pattern))
	c.re[s] = re
	return err == nil
}

func unsupported(s *openapi3.Schema) bool {
	return s.Always != nil || s.Discriminator != nil || s.MultipleOf != nil || s.UniqueItems ||
		s.Const != nil || len(s.PrefixItems) > 0 || s.Contains != nil || len(s.PatternProperties) > 0 ||
		len(s.DependentSchemas) > 0 || s.PropertyNames != nil || s.UnevaluatedItems.Schema != nil ||
		s.UnevaluatedProperties.Schema != nil || s.If != nil || s.Then != nil || s.Else != nil ||
		len(s.DependentRequired) > 0 || s.ExclusiveMin.Value != nil || s.ExclusiveMax.Value != nil
}

// node returns the node of a supported schema, building it on first use.
// The node is registered before its sub-schemas are compiled, so a cycle
// back to it finds it.
func (c *fastCompiler) node(s *openapi3.Schema) *fastNode {
	if n := c.done[s]; n != nil {
		return n
	}
	n := &fastNode{nullable: s.Nullable || s.Type.IncludesNull(), empty: c.empty[s], types: allTypes, enum: s.Enum}
	c.done[s] = n
	if s.Type != nil {
		n.types = 0
		for _, t := range *s.Type {
			n.types |= typeBits[t]
		}
	}
	c.subs(n, s)
	c.number(n, s)
	c.str(n, s)
	return n
}

func (c *fastCompiler) ref(r *openapi3.SchemaRef) *fastNode {
	if r == nil {
		return nil
	}
	return c.node(r.Value)
}

func (c *fastCompiler) list(refs openapi3.SchemaRefs) []*fastNode {
	var out []*fastNode
	for _, r := range refs {
		out = append(out, c.node(r.Value))
	}
	return out
}

func (c *fastCompiler) subs(n *fastNode, s *openapi3.Schema) {
	n.not = c.ref(s.Not)
	n.oneOf, n.anyOf, n.allOf = c.list(s.OneOf), c.list(s.AnyOf), c.list(s.AllOf)
	// Check allOf members that require properties first: the result is the
	// same, and a oneOf branch that does not apply fails sooner.
	sort.SliceStable(n.allOf, func(i, j int) bool { return len(n.allOf[i].required) > 0 && len(n.allOf[j].required) == 0 })
	n.items = c.ref(s.Items)
	n.addl = c.ref(s.AdditionalProperties.Schema)
	n.minItems, n.maxItems = s.MinItems, s.MaxItems
	n.minProps, n.maxProps = s.MinProps, s.MaxProps
	n.addlAllowed = s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has
	n.required = s.Required
	if len(s.Properties) > 0 {
		n.props = make(map[string]*fastNode, len(s.Properties))
		for name, r := range s.Properties {
			p := c.node(r.Value)
			n.props[name] = p
			n.propList = append(n.propList, namedNode{name, p})
		}
	}
}

func (c *fastCompiler) number(n *fastNode, s *openapi3.Schema) {
	n.min, n.max = s.Min, s.Max
	if b := s.ExclusiveMin.Bool; b != nil && *b && s.Min != nil {
		n.exclMin = s.Min
	}
	if b := s.ExclusiveMax.Bool; b != nil && *b && s.Max != nil {
		n.exclMax = s.Max
	}
	n.requireInt = s.Type.Permits(openapi3.TypeInteger) && !s.Type.Permits(openapi3.TypeNumber)
	if s.Format != "" {
		n.intFmt = openapi3.SchemaIntegerFormats[s.Format]
		n.numFmt = openapi3.SchemaNumberFormats[s.Format]
	}
}

func (c *fastCompiler) str(n *fastNode, s *openapi3.Schema) {
	n.minLen, n.maxLen = s.MinLength, s.MaxLength
	if s.Format != "" {
		n.strFmt = c.formats[s.Format]
		if n.strFmt == nil {
			n.strFmt = openapi3.SchemaStringFormats[s.Format]
		}
	}
	n.re = c.re[s]
}

// goPattern mirrors kin-openapi's intoGoRegexp: \uXXXX → \x{XXXX}.
var codepointRe = regexp.MustCompile(`(\\u)([0-9A-F]{4})`)

func goPattern(p string) string { return codepointRe.ReplaceAllString(p, `\x{${2}}`) }

// valid mirrors Schema.visitJSON.
func (n *fastNode) valid(v any) bool {
	switch x := v.(type) {
	case nil:
		if n.nullable {
			return true
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	if n.empty {
		return v != nil || n.nullable
	}
	if n.not != nil && n.not.valid(v) {
		return false
	}
	ok, run := n.xof(v)
	if !ok || !run {
		return ok
	}
	if len(n.enum) > 0 && !inEnum(n.enum, v) {
		return false
	}
	return n.typed(v)
}

func (n *fastNode) xof(v any) (ok, run bool) {
	visited := false
	if len(n.oneOf) > 0 {
		matched := 0
		for _, b := range n.oneOf {
			if b.valid(v) {
				matched++
			}
		}
		if matched != 1 {
			return false, false
		}
		visited = true
	}
	if len(n.anyOf) > 0 {
		any := false
		for _, b := range n.anyOf {
			if b.valid(v) {
				any = true
				break
			}
		}
		if !any {
			return false, false
		}
		visited = true
	}
	for _, b := range n.allOf {
		if !b.valid(v) {
			return false, false
		}
		visited = true
	}
	return true, !(visited && v == nil)
}

func (n *fastNode) typed(v any) bool {
	switch x := v.(type) {
	case nil:
		return n.nullable
	case bool:
		return n.types&fastBool != 0
	case float64:
		return n.number(x)
	case string:
		return n.str(x)
	case []any:
		return n.array(x)
	case map[string]any:
		return n.object(x)
	}
	return false // values encoding/json never produces: leave them to kin-openapi
}

func (n *fastNode) number(x float64) bool {
	if n.requireInt {
		if x != math.Trunc(x) {
			return false
		}
		if n.intFmt != nil && !intFormatOK(n.intFmt, x) {
			return false
		}
	} else if n.types&(fastInt|fastNum) == 0 {
		return false
	} else if n.numFmt != nil && n.numFmt.Validate(x) != nil {
		return false
	}
	if n.exclMin != nil && !(x > *n.exclMin) || n.exclMax != nil && !(x < *n.exclMax) {
		return false
	}
	return (n.min == nil || *n.min <= x) && (n.max == nil || *n.max >= x)
}

func intFormatOK(f openapi3.IntegerFormatValidator, x float64) bool {
	switch {
	case x == float64(math.MaxInt64):
		return f.Validate(math.MaxInt64) == nil
	case x >= float64(math.MinInt64) && x < float64(math.MaxInt64):
		return f.Validate(int64(x)) == nil
	}
	return false
}

func (n *fastNode) str(x string) bool {
	if n.types&fastStr == 0 {
		return false
	}
	if n.minLen != 0 || n.maxLen != nil {
		l := utf16Len(x)
		if l < n.minLen || n.maxLen != nil && l > *n.maxLen {
			return false
		}
	}
	if n.re != nil && !n.re.MatchString(x) {
		return false
	}
	return n.strFmt == nil || n.strFmt.Validate(x) == nil
}

func utf16Len(s string) uint64 {
	var l uint64
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			l++
			continue
		}
		for _, r := range s[i:] {
			if utf16.IsSurrogate(r) {
				l += 2
			} else {
				l++
			}
		}
		return l
	}
	return l
}

func (n *fastNode) array(x []any) bool {
	if n.types&fastArr == 0 {
		return false
	}
	l := uint64(len(x))
	if l < n.minItems || n.maxItems != nil && l > *n.maxItems {
		return false
	}
	if n.items != nil {
		for _, item := range x {
			if !n.items.valid(item) {
				return false
			}
		}
	}
	return true
}

func (n *fastNode) object(x map[string]any) bool {
	if n.types&fastObj == 0 {
		return false
	}
	l := uint64(len(x))
	if l < n.minProps || n.maxProps != nil && l > *n.maxProps {
		return false
	}
	// Cheap and discriminating first: a oneOf branch that does not apply
	// usually misses a required property.
	for _, k := range n.required {
		if _, ok := x[k]; !ok {
			return false
		}
	}
	for _, p := range n.propList {
		if v, ok := x[p.name]; ok && !p.node.valid(v) {
			return false
		}
	}
	if n.addlAllowed && n.addl == nil {
		return true
	}
	for k, v := range x {
		if n.props[k] != nil {
			continue
		}
		if !n.addlAllowed || !n.addl.valid(v) {
			return false
		}
	}
	return true
}

// inEnum mirrors kin-openapi's equalJSONValues for decoded JSON values.
func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if equalJSON(e, v) {
			return true
		}
	}
	return false
}

func equalJSON(a, b any) bool {
	if x, ok := asFloat(a); ok {
		y, ok := asFloat(b)
		return ok && x == y
	}
	if s, ok := a.(string); ok {
		t, ok := b.(string)
		return ok && s == t
	}
	switch a := a.(type) {
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalJSON(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok || !equalJSON(av, bv) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}
