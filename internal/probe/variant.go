package probe

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// variant is one way to change a base request: a negative variant breaks
// one rule, a positive one moves a value to a boundary the spec allows.
type variant struct {
	kind    Kind
	rule    string // "maxLength: 255"
	rulePtr string
	where   string // "body /text/body", "query id"
	name    string
	mut     mutation
	ecma    bool // a pattern violation, judged in ECMA-262
	noCheck bool // the validator cannot judge it (multipart fields)
}

// maxBoundary bounds the strings and arrays boundary cases build.
const maxBoundary = 1 << 20

// leafVariants are the variants of a string, number or enum value at
// where/ptr (ptr: body pointer, or "" for a parameter). typ is its type.
func (pl *planner) leafVariants(n node, where, ptr string) []variant {
	var out []variant
	switch typeOf(n) {
	case tString:
		out = append(out, pl.lengthVariants(n, where, ptr)...)
		out = append(out, pl.patternVariants(n, where, ptr)...)
		out = append(out, pl.formatVariants(n, where, ptr)...)
	case tInteger, tNumber:
		out = append(out, numberVariants(n, where, ptr)...)
	}
	return append(out, pl.enumVariants(n, where, ptr)...)
}

func (pl *planner) lengthVariants(n node, where, ptr string) []variant {
	if len(n.s.Enum) > 0 {
		return nil
	}
	var out []variant
	lo, hi := bounds(n)
	if hi >= 0 && hi < maxBoundary {
		rule := "maxLength: " + strconv.Itoa(hi)
		if s, ok := pl.lengthString(n, hi+1, true); ok {
			out = append(out, neg(rule, n.at("maxLength"), where, ptr, s, fmt.Sprintf("%d characters (maxLength %d + 1)", hi+1, hi)))
		}
		if s, ok := pl.lengthString(n, hi, false); ok {
			out = append(out, pos(rule, n.at("maxLength"), where, ptr, s, fmt.Sprintf("exactly %d characters (maxLength)", hi)))
		}
	}
	if lo > 0 {
		rule := "minLength: " + strconv.Itoa(lo)
		if s, ok := pl.lengthString(n, lo-1, true); ok {
			out = append(out, neg(rule, n.at("minLength"), where, ptr, s, fmt.Sprintf("%d characters (minLength %d - 1)", lo-1, lo)))
		}
		if s, ok := pl.lengthString(n, lo, false); ok {
			out = append(out, pos(rule, n.at("minLength"), where, ptr, s, fmt.Sprintf("exactly %d characters (minLength)", lo)))
		}
	}
	return out
}

// lengthString builds a string of exactly length characters: one the
// pattern matches when it can (so that only the length rule breaks), or,
// for an out-of-bounds length, any string when the pattern cannot match
// one that long.
func (pl *planner) lengthString(n node, length int, outside bool) (string, bool) {
	if length < 0 {
		return "", false
	}
	if n.s.Pattern == "" {
		if f, ok := pl.g.format(n.s.Format); ok && len(f) == length {
			return f, true
		}
		return strings.Repeat("a", length), true
	}
	p := pl.g.pats.get(n.s.Pattern)
	if p == nil {
		return "", false
	}
	if s, ok := p.match(pl.g.rnd, length, length, length, true); ok {
		return s, true
	}
	if outside {
		base, _ := p.match(pl.g.rnd, 0, -1, length, true)
		return fit(base, length, length), true
	}
	return "", false
}

func (pl *planner) patternVariants(n node, where, ptr string) []variant {
	if n.s.Pattern == "" || len(n.s.Enum) > 0 {
		return nil
	}
	p := pl.g.pats.get(n.s.Pattern)
	if p == nil {
		return nil
	}
	lo, hi := bounds(n)
	s, ok := p.mismatch(pl.g.rnd, lo, hi)
	if !ok {
		return nil
	}
	v := neg("pattern: "+n.s.Pattern, n.at("pattern"), where, ptr, s, fmt.Sprintf("%q, which the pattern does not match (ECMA-262)", s))
	v.ecma = true
	return []variant{v}
}

// formatVariants break the formats validators check (the validator must
// agree, or the case is dropped).
func (pl *planner) formatVariants(n node, where, ptr string) []variant {
	switch n.s.Format {
	case "uuid", "date-time", "date", "email", "ipv4", "ipv6":
	default:
		return nil
	}
	if n.s.Pattern != "" || len(n.s.Enum) > 0 {
		return nil
	}
	lo, hi := bounds(n)
	s := fit("not-a-"+n.s.Format, lo, hi)
	return []variant{neg("format: "+n.s.Format, n.at("format"), where, ptr, s, fmt.Sprintf("%q, not a %s", s, n.s.Format))}
}

func (pl *planner) enumVariants(n node, where, ptr string) []variant {
	if len(n.s.Enum) == 0 {
		return nil
	}
	rule := "enum: " + enumText(n.s.Enum)
	var out []variant
	if bad, ok := outsideEnum(n); ok {
		out = append(out, neg(rule, n.at("enum"), where, ptr, bad, fmt.Sprintf("%v, not one of the enum values", bad)))
	}
	for _, e := range n.s.Enum {
		out = append(out, pos(rule, n.at("enum"), where, ptr, e, fmt.Sprintf("enum value %v", e)))
	}
	return out
}

// outsideEnum is a value of the enum's type that is not in it.
func outsideEnum(n node) (any, bool) {
	in := func(v any) bool {
		for _, e := range n.s.Enum {
			if fmt.Sprint(e) == fmt.Sprint(v) {
				return true
			}
		}
		return false
	}
	if typeOf(n) == tString || typeOf(n) == "" {
		lo, hi := bounds(n)
		for _, s := range []string{"wabcheck-not-in-enum", "x", "zz", "unknown"} {
			if s = fit(s, lo, hi); !in(s) {
				return s, true
			}
		}
		return nil, false
	}
	for v := int64(999999); v < 1000010; v++ {
		if !in(float64(v)) && !in(v) {
			return v, true
		}
	}
	return nil, false
}

func enumText(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// numberVariants: one past each bound (negative), each bound (positive).
func numberVariants(n node, where, ptr string) []variant {
	lo, hi := numBounds(n)
	isInt := typeOf(n) == tInteger
	num := func(f float64) (any, bool) {
		if math.Abs(f) > 1<<53 {
			return nil, false
		}
		if isInt {
			return int64(f), true
		}
		return f, true
	}
	var out []variant
	add := func(declared bool, kw string, bound, past float64) {
		if !declared {
			return
		}
		rule := kw + ": " + strconv.FormatFloat(bound, 'f', -1, 64)
		if v, ok := num(past); ok {
			out = append(out, neg(rule, n.at(kw), where, ptr, v, fmt.Sprintf("%v (%s)", v, rule)))
		}
		if v, ok := num(bound); ok {
			out = append(out, pos(rule, n.at(kw), where, ptr, v, fmt.Sprintf("%v (at %s)", v, kw)))
		}
	}
	add(n.s.Min != nil || n.s.ExclusiveMin.Value != nil, "minimum", lo, lo-1)
	add(n.s.Max != nil || n.s.ExclusiveMax.Value != nil, "maximum", hi, hi+1)
	return out
}

// wrongType is a value of another JSON type than n's, and the rule.
func wrongType(n node) (any, string, bool) {
	t := typeOf(n)
	ptr := n.ptr
	if n.s != nil && n.s.Type != nil {
		ptr = n.at("type")
	}
	switch t {
	case tString:
		return int64(12345), ptr, true
	case tInteger, tNumber, tBoolean, tArray, tObject:
		return "wabcheck", ptr, true
	}
	return nil, "", false
}

// neg and pos build variants; ptr "" means a parameter (the value goes in
// the mutation's val, where names it).
func neg(rule, rulePtr, where, ptr string, val any, name string) variant {
	return variant{kind: Negative, rule: rule, rulePtr: rulePtr, where: where, name: name, mut: mutAt(where, ptr, val)}
}

func pos(rule, rulePtr, where, ptr string, val any, name string) variant {
	return variant{kind: Positive, rule: rule, rulePtr: rulePtr, where: where, name: name, mut: mutAt(where, ptr, val)}
}

func mutAt(where, ptr string, val any) mutation {
	if strings.HasPrefix(where, "body") {
		return mutation{in: "body", ptr: ptr, val: val, mixWith: -1}
	}
	return mutation{in: where, val: val, mixWith: -1}
}
