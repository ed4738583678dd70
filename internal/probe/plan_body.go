package probe

import (
	"fmt"
	"strconv"
)

// undeclaredName is the property negative cases add where the schema
// forbids undeclared properties.
const undeclaredName = "wabcheck_undeclared"

// bodyVariants walks a body schema (branch resolved) and lists every
// variant: per object, each required property missing, an undeclared
// property where additionalProperties is false, each optional property
// set; per array, one item past maxItems and one short of minItems; per
// value, a wrong JSON type and the leaf variants.
func (pl *planner) bodyVariants(m *media, branch int) []variant {
	var out []variant
	pl.walk(resolve(m.n, branch), "", 0, m.isMultipart(), &out)
	if m.isMultipart() {
		for i := range out {
			out[i].noCheck = true
		}
	}
	return out
}

func (pl *planner) walk(n node, ptr string, depth int, multipart bool, out *[]variant) {
	if n.s == nil || depth > maxDepth {
		return
	}
	where := "body " + ptr
	if ptr == "" {
		where = "body"
	}
	if !multipart {
		if val, rulePtr, ok := wrongType(n); ok && typeOf(n) != "" {
			*out = append(*out, neg("type: "+typeOf(n), rulePtr, where, ptr, val, fmt.Sprintf("a %s instead of a %s", jsonType(val), typeOf(n))))
		}
	}
	if bs, _ := branches(n); len(bs) > 0 {
		pl.walk(bs[0], ptr, depth+1, multipart, out)
		return
	}
	switch typeOf(n) {
	case tObject:
		pl.objectVariants(n, ptr, where, multipart, out)
		for _, p := range flatten(n).props {
			pl.walk(p.n, ptr+"/"+escapeTok(p.name), depth+1, multipart, out)
		}
	case tArray:
		if !multipart {
			*out = append(*out, pl.arrayVariants(n, ptr, where)...)
			pl.walk(items(n), ptr+"/0", depth+1, multipart, out)
		}
	default:
		*out = append(*out, pl.leafVariants(n, where, ptr)...)
	}
}

func (pl *planner) objectVariants(n node, ptr, where string, multipart bool, out *[]variant) {
	v := flatten(n)
	for _, name := range v.required {
		if !multipart {
			*out = append(*out, variant{kind: Negative, rule: "required: " + name, rulePtr: v.reqPtr[name],
				where: "body " + ptr + "/" + escapeTok(name), name: "without required " + name,
				mut: mutation{in: "body", ptr: ptr + "/" + escapeTok(name), del: true, mixWith: -1}})
		}
	}
	for _, c := range v.closed {
		if _, declared := v.find(undeclaredName); !declared && !multipart {
			*out = append(*out, neg("additionalProperties: false", c.at("additionalProperties"), where, ptr+"/"+undeclaredName,
				"x", "an undeclared property "+undeclaredName))
			break
		}
	}
	for _, p := range v.props {
		if !v.isRequired(p.name) && p.n.s != nil {
			val, ok := pl.g.value(p.n, typical, 0)
			if ok {
				*out = append(*out, pos("optional: "+p.name, p.n.ptr, "body "+ptr+"/"+escapeTok(p.name), ptr+"/"+escapeTok(p.name), val,
					"optional "+p.name+" set"))
			}
		}
	}
}

func (pl *planner) arrayVariants(n node, ptr, where string) []variant {
	var out []variant
	if mx := n.s.MaxItems; mx != nil && *mx < maxBoundary {
		rule := "maxItems: " + strconv.FormatUint(*mx, 10)
		for _, c := range []struct {
			kind  Kind
			count int
			name  string
		}{{Negative, int(*mx) + 1, fmt.Sprintf("%d items (maxItems %d + 1)", *mx+1, *mx)}, {Positive, int(*mx), fmt.Sprintf("exactly %d items (maxItems)", *mx)}} {
			if items, ok := pl.g.items(n, typical, c.count, 0); ok {
				out = append(out, variant{kind: c.kind, rule: rule, rulePtr: n.at("maxItems"), where: where, name: c.name,
					mut: mutation{in: "body", ptr: ptr, val: items, mixWith: -1, count: true}})
			}
		}
	}
	if mn := n.s.MinItems; mn > 0 {
		rule := "minItems: " + strconv.FormatUint(mn, 10)
		if items, ok := pl.g.items(n, typical, int(mn)-1, 0); ok {
			out = append(out, variant{kind: Negative, rule: rule, rulePtr: n.at("minItems"), where: where,
				name: fmt.Sprintf("%d items (minItems %d - 1)", mn-1, mn), mut: mutation{in: "body", ptr: ptr, val: items, mixWith: -1, count: true}})
		}
	}
	return out
}

// mixVariants: for a body whose top level is a oneOf, the typical value of
// each branch merged with each other branch's, so that it matches more
// than one (a oneOf violation).
func (pl *planner) mixVariants(m *media) []branchVariant {
	bs, kw := branches(m.n)
	if kw != "oneOf" || len(bs) < 2 {
		return nil
	}
	var out []branchVariant
	for i := range bs {
		for j := range bs {
			if i == j {
				continue
			}
			out = append(out, branchVariant{branch: i, v: variant{kind: Negative, rule: "oneOf", rulePtr: m.n.at("oneOf"), where: "body",
				name: fmt.Sprintf("branch %d (%s) mixed with branch %d (%s)", i, branchName(bs[i]), j, branchName(bs[j])),
				mut:  mutation{in: "body", mixWith: j}}})
		}
	}
	return out
}

// branchName is a branch's component name, or its pointer.
func branchName(n node) string {
	if t := lastToken(n.ptr); t != "" {
		return t
	}
	return n.ptr
}

func escapeTok(s string) string { return pointerOf([]string{s})[1:] }
