package speclint

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

func (v *validator) checkNumber(inst *yaml.Node, ip string, s *yaml.Node, sp string) []violation {
	x, err := strconv.ParseFloat(strings.ReplaceAll(inst.Value, "_", ""), 64)
	if err != nil {
		return nil
	}
	var out []violation
	bad := func(kw, format string, a ...any) {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, kw), msg: fmt.Sprintf(format, a...)})
	}
	if m, ok := num(s, "maximum"); ok {
		if x > m || (x == m && isTrue(s, "exclusiveMaximum")) {
			bad("maximum", "value %s is above maximum %v", inst.Value, m)
		}
	}
	if m, ok := num(s, "minimum"); ok {
		if x < m || (x == m && isTrue(s, "exclusiveMinimum")) {
			bad("minimum", "value %s is below minimum %v", inst.Value, m)
		}
	}
	if m, ok := num(s, "exclusiveMaximum"); ok && x >= m {
		bad("exclusiveMaximum", "value %s is not below exclusiveMaximum %v", inst.Value, m)
	}
	if m, ok := num(s, "exclusiveMinimum"); ok && x <= m {
		bad("exclusiveMinimum", "value %s is not above exclusiveMinimum %v", inst.Value, m)
	}
	if m, ok := num(s, "multipleOf"); ok && m > 0 {
		if q := x / m; math.Abs(q-math.Round(q)) > 1e-9 {
			bad("multipleOf", "value %s is not a multiple of %v", inst.Value, m)
		}
	}
	switch f := str(s, "format"); f {
	case "int32", "int64":
		lim := float64(math.MaxInt32)
		if f == "int64" {
			lim = math.MaxInt64
		}
		if x != math.Trunc(x) || x > lim || x < -lim-1 {
			bad("format", "value %s is not a valid %s", inst.Value, f)
		}
	}
	return out
}

func (v *validator) checkObject(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int) []violation {
	var out []violation
	for _, r := range items(get(s, "required")) {
		if get(inst, r.Value) == nil {
			out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "required"),
				msg: fmt.Sprintf("required property %q is missing", r.Value)})
		}
	}
	props := get(s, "properties")
	addl := get(s, "additionalProperties")
	each(inst, func(k string, val *yaml.Node) {
		kp := join(ip, k)
		if ps := get(props, k); ps != nil {
			out = append(out, v.validate(val, kp, ps, join(sp, "properties", k), depth+1)...)
			return
		}
		if matchesPatternProperty(v.l, s, k) {
			return
		}
		switch {
		case addl == nil:
		case addl.Kind == yaml.ScalarNode && addl.Value == "false":
			out = append(out, violation{code: "example-invalid", inst: kp, schema: join(sp, "additionalProperties"),
				msg: fmt.Sprintf("property %q is not allowed (additionalProperties: false)", k)})
		case addl.Kind == yaml.MappingNode:
			out = append(out, v.validate(val, kp, addl, join(sp, "additionalProperties"), depth+1)...)
		}
	})
	n := float64(len(deref(inst).Content) / 2)
	if m, ok := num(s, "maxProperties"); ok && n > m {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "maxProperties"), msg: fmt.Sprintf("object has %v properties, more than maxProperties %v", n, m)})
	}
	if m, ok := num(s, "minProperties"); ok && n < m {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "minProperties"), msg: fmt.Sprintf("object has %v properties, fewer than minProperties %v", n, m)})
	}
	return out
}

func matchesPatternProperty(l *linter, s *yaml.Node, k string) bool {
	found := false
	each(get(s, "patternProperties"), func(pat string, _ *yaml.Node) {
		if pi := l.pats.get(pat); pi.goRe != nil && pi.goRe.MatchString(k) {
			found = true
		}
	})
	return found
}

func (v *validator) checkArray(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int) []violation {
	var out []violation
	elems := items(inst)
	if is := get(s, "items"); is != nil && is.Kind == yaml.MappingNode {
		for i, e := range elems {
			out = append(out, v.validate(e, join(ip, strconv.Itoa(i)), is, join(sp, "items"), depth+1)...)
		}
	}
	n := float64(len(elems))
	if m, ok := num(s, "maxItems"); ok && n > m {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "maxItems"), msg: fmt.Sprintf("array has %v items, more than maxItems %v", n, m)})
	}
	if m, ok := num(s, "minItems"); ok && n < m {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "minItems"), msg: fmt.Sprintf("array has %v items, fewer than minItems %v", n, m)})
	}
	if isTrue(s, "uniqueItems") {
		for i := range elems {
			for j := i + 1; j < len(elems); j++ {
				if equalNodes(elems[i], elems[j]) {
					out = append(out, violation{code: "example-invalid", inst: join(ip, strconv.Itoa(j)), schema: join(sp, "uniqueItems"),
						msg: fmt.Sprintf("items %d and %d are equal (uniqueItems)", i, j)})
				}
			}
		}
	}
	return out
}

// checkComposition applies allOf, anyOf, oneOf and not.
func (v *validator) checkComposition(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int) []violation {
	var out []violation
	for i, b := range items(get(s, "allOf")) {
		out = append(out, v.validate(inst, ip, b, join(sp, "allOf", strconv.Itoa(i)), depth+1)...)
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		bs := items(get(s, kw))
		if len(bs) == 0 {
			continue
		}
		var matched []string
		var best []violation
		for i, b := range bs {
			vs := v.validate(inst, ip, b, join(sp, kw, strconv.Itoa(i)), depth+1)
			if len(vs) == 0 {
				matched = append(matched, branchName(b, i))
			} else if best == nil || len(vs) < len(best) {
				best = vs
			}
		}
		switch {
		case len(matched) == 0:
			out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, kw),
				msg: fmt.Sprintf("value matches none of the %d %s alternatives (closest: %s)", len(bs), kw, best[0].msg)})
		case kw == "oneOf" && len(matched) > 1 && get(s, "discriminator") == nil:
			out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, kw),
				msg: fmt.Sprintf("value matches %d oneOf alternatives (%s); oneOf needs exactly one", len(matched), strings.Join(matched, ", "))})
		}
	}
	if nb := get(s, "not"); nb != nil && len(v.validate(inst, ip, nb, join(sp, "not"), depth+1)) == 0 {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "not"), msg: "value matches the `not` schema"})
	}
	return out
}

func branchName(b *yaml.Node, i int) string {
	if ref := str(b, "$ref"); ref != "" {
		return ref[strings.LastIndexByte(ref, '/')+1:]
	}
	return "#" + strconv.Itoa(i)
}

// softIssue is a warning about a valid instance.
type softIssue struct {
	code, inst, schema, msg string
	sev                     Severity
}

// soft reports properties of a valid instance that the schema does not
// declare (where it does not forbid them) and deprecated properties set.
func (v *validator) soft(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int, out *[]softIssue) {
	inst = deref(inst)
	if depth > maxDepth || v.budget < 0 {
		return
	}
	switch jsonType(inst) {
	case "object":
		d := declaredProps{props: map[string]propRef{}}
		v.declared(inst, ip, s, sp, depth, &d)
		var undeclared []string
		each(inst, func(k string, val *yaml.Node) {
			kp := join(ip, k)
			pr, ok := d.props[k]
			switch {
			case ok && isTrue(pr.n, "deprecated"):
				*out = append(*out, softIssue{"example-uses-deprecated", kp, pr.p, fmt.Sprintf("example sets %q, which the schema marks deprecated", k), Info})
			case ok:
				v.soft(val, kp, pr.n, pr.p, depth+1, out)
			case !d.open && len(d.props) > 0:
				undeclared = append(undeclared, k)
			}
		})
		switch {
		case len(undeclared) == 0:
		case len(undeclared) == len(deref(inst).Content)/2:
			*out = append(*out, softIssue{"example-contradicts-schema", ip, sp,
				fmt.Sprintf("example has none of the schema's properties (example: %s; schema: %s): it documents a different body shape", strings.Join(undeclared, ", "), d.names()), Error})
		default:
			*out = append(*out, softIssue{"example-undeclared-property", ip, sp,
				fmt.Sprintf("example sets %s, which the schema does not declare (declared: %s); generated clients drop undeclared fields", strings.Join(undeclared, ", "), d.names()), Warning})
		}
	case "array":
		t, tp := v.l.resolve(s, sp)
		if is := get(t, "items"); is != nil {
			for i, e := range items(inst) {
				if i >= 50 {
					break
				}
				v.soft(e, join(ip, strconv.Itoa(i)), is, join(tp, "items"), depth+1, out)
			}
		}
	}
}

type propRef struct {
	n *yaml.Node
	p string
}

type declaredProps struct {
	props map[string]propRef
	order []string
	open  bool
}

func (d *declaredProps) names() string {
	if len(d.order) > 8 {
		return strings.Join(d.order[:8], ", ") + ", ..."
	}
	return strings.Join(d.order, ", ")
}

// declared collects the properties s declares for inst, through $ref,
// allOf and the anyOf/oneOf branches inst matches.
func (v *validator) declared(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int, d *declaredProps) {
	s, sp = v.l.resolve(s, sp)
	if s == nil || depth > maxDepth {
		d.open = true
		return
	}
	if a := get(s, "additionalProperties"); (a != nil && a.Value != "false") || get(s, "patternProperties") != nil {
		d.open = true
	}
	each(get(s, "properties"), func(k string, ps *yaml.Node) {
		if _, dup := d.props[k]; !dup {
			d.order = append(d.order, k)
			d.props[k] = propRef{ps, join(sp, "properties", k)}
		}
	})
	for i, b := range items(get(s, "allOf")) {
		v.declared(inst, ip, b, join(sp, "allOf", strconv.Itoa(i)), depth+1, d)
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		for i, b := range items(get(s, kw)) {
			bp := join(sp, kw, strconv.Itoa(i))
			if len(v.validate(inst, ip, b, bp, depth+1)) == 0 {
				v.declared(inst, ip, b, bp, depth+1, d)
			}
		}
	}
}
