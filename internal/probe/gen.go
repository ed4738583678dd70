package probe

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// mode selects how full a generated value is.
type mode int

const (
	// minimal: required properties only, shortest values, fewest items.
	minimal mode = iota
	// typical: every property that is not deprecated, ordinary values.
	typical
	// random: a random subset of optional properties, random values
	// within bounds (the fuzzing phase).
	random
)

// maxDepth bounds recursion through self-referencing schemas.
const maxDepth = 10

// gen generates values from schemas. It is not safe for concurrent use:
// each planner has its own, seeded from the run's seed.
type gen struct {
	rnd  *rand.Rand
	now  time.Time
	pats *patterns
}

// value generates a value valid against n (false when it cannot: an
// unsatisfiable pattern, a depth limit). branch picks a top-level oneOf
// alternative; nested ones take their first.
func (g *gen) value(n node, m mode, branch int) (any, bool) {
	return g.at(n, m, branch, 0)
}

func (g *gen) at(n node, m mode, branch, depth int) (any, bool) {
	if n.s == nil {
		return "wabcheck", true
	}
	if depth > maxDepth {
		return nil, false
	}
	if bs, _ := branches(n); len(bs) > 0 {
		return g.at(bs[min(max(branch, 0), len(bs)-1)], m, 0, depth+1)
	}
	if len(n.s.Enum) > 0 {
		if m == random {
			return n.s.Enum[g.rnd.IntN(len(n.s.Enum))], true
		}
		return n.s.Enum[0], true
	}
	switch typeOf(n) {
	case tObject:
		return g.object(n, m, depth)
	case tArray:
		return g.array(n, m, depth)
	case tString:
		return g.str(n, m)
	case tInteger, tNumber:
		return g.number(n, m), true
	case tBoolean:
		return m == random && g.rnd.IntN(2) == 1, true
	}
	return "wabcheck", true
}

func (g *gen) object(n node, m mode, depth int) (any, bool) {
	v := flatten(n)
	out := map[string]any{}
	for _, p := range v.props {
		if !g.include(v, p, m) {
			continue
		}
		if val, ok := impliedEnum(v, p); ok {
			out[p.name] = val
			continue
		}
		val, ok := g.at(p.n, m, 0, depth+1)
		if !ok {
			if v.isRequired(p.name) {
				return nil, false
			}
			continue
		}
		out[p.name] = val
	}
	return out, true
}

// impliedEnum finds an implicit discriminator: a string enum property one
// of whose values names another property of the same object (Modica's
// `type: text` beside `text: {...}`). That value is used, so a generated
// message of the text branch says type text.
func impliedEnum(v objView, p prop) (any, bool) {
	if p.n.s == nil || len(p.n.s.Enum) == 0 {
		return nil, false
	}
	for _, e := range p.n.s.Enum {
		name, ok := e.(string)
		if !ok || name == p.name {
			continue
		}
		if _, declared := v.find(name); declared {
			return name, true
		}
	}
	return nil, false
}

// include decides whether an object value has property p.
func (g *gen) include(v objView, p prop, m mode) bool {
	switch {
	case v.isRequired(p.name):
		return true
	case m == minimal || p.n.s == nil || p.n.s.ReadOnly:
		return false
	}
	// typical and random: every property but deprecated ones. Specs
	// under-declare `required` (Modica's file upload and recipients), so
	// a request without an optional property is not a fair positive case.
	return !p.n.s.Deprecated
}

func (g *gen) array(n node, m mode, depth int) (any, bool) {
	count := int(n.s.MinItems)
	if m != minimal {
		count = max(count, 1)
	}
	if m == random {
		count += g.rnd.IntN(3)
	}
	if mx := n.s.MaxItems; mx != nil {
		count = min(count, int(*mx))
	}
	return g.items(n, m, count, depth)
}

// items generates count valid items (distinct when the array asks).
func (g *gen) items(n node, m mode, count, depth int) ([]any, bool) {
	out := make([]any, 0, count)
	seen := map[string]bool{}
	for try := 0; len(out) < count && try < 4*count+8; try++ {
		im := m
		if try > 0 {
			im = random
		}
		v, ok := g.at(items(n), im, 0, depth+1)
		if !ok {
			return nil, false
		}
		key := fmt.Sprint(v)
		if seen[key] && (n.s.UniqueItems || isRecipientLike(v)) {
			continue
		}
		seen[key] = true
		out = append(out, v)
	}
	return out, len(out) == count
}

// isRecipientLike: strings in an array are kept distinct anyway, so a
// broadcast never names the same number twice.
func isRecipientLike(v any) bool {
	_, ok := v.(string)
	return ok
}

// bounds returns a string schema's length bounds (hi -1: none).
func bounds(n node) (lo, hi int) {
	lo, hi = int(n.s.MinLength), -1
	if n.s.MaxLength != nil {
		hi = int(min(*n.s.MaxLength, math.MaxInt32))
	}
	return lo, hi
}

func (g *gen) str(n node, m mode) (any, bool) {
	lo, hi := bounds(n)
	if n.s.Pattern != "" {
		p := g.pats.get(n.s.Pattern)
		if p == nil {
			return nil, false
		}
		want := lo
		if m == random {
			want = lo + g.rnd.IntN(8)
		}
		return p.match(g.rnd, lo, hi, want, m != random)
	}
	if s, ok := g.format(n.s.Format); ok && fits(s, lo, hi) {
		return s, true
	}
	switch m {
	case minimal:
		return strings.Repeat("a", lo), true
	case random:
		return g.letters(lo + g.rnd.IntN(clampSpan(lo, hi, 16)+1)), true
	}
	return fit("wabcheck", lo, hi), true
}

// clampSpan is how far above lo a random length may go.
func clampSpan(lo, hi, span int) int {
	if hi >= 0 {
		return max(min(span, hi-lo), 0)
	}
	return span
}

func fits(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(s)
	return n >= lo && (hi < 0 || n <= hi)
}

// fit pads (with 'a') or cuts s into [lo, hi].
func fit(s string, lo, hi int) string {
	for utf8.RuneCountInString(s) < lo {
		s += "a"
	}
	if hi >= 0 && len(s) > hi {
		s = s[:hi]
	}
	return s
}

func (g *gen) letters(n int) string {
	const abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = abc[g.rnd.IntN(len(abc))]
	}
	return string(b)
}

// format returns a typical value of a string format the probe knows.
func (g *gen) format(f string) (string, bool) {
	switch f {
	case "uuid":
		return g.uuid(), true
	case "date-time":
		return g.now.UTC().Truncate(time.Second).Format(time.RFC3339), true
	case "date":
		return g.now.UTC().Format("2006-01-02"), true
	case "email":
		return "probe@example.com", true
	case "uri", "url":
		return "https://example.com/wabcheck.png", true
	case "byte", "base64":
		return "d2FiY2hlY2s=", true
	}
	return "", false
}

func (g *gen) uuid() string {
	const hex = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[g.rnd.IntN(16)]
		}
	}
	b[14] = '4'
	return string(b)
}

// number returns a value within n's bounds: 0 clamped into them, or a
// random one.
func (g *gen) number(n node, m mode) any {
	lo, hi := numBounds(n)
	v := 0.0
	if m == random {
		v = float64(g.rnd.IntN(1000))
	}
	v = math.Max(v, lo)
	v = math.Min(v, hi)
	if typeOf(n) == tInteger {
		return int64(math.Ceil(v))
	}
	return v
}

// numBounds are the inclusive bounds of a number schema (exclusive bounds
// moved in by one).
func numBounds(n node) (lo, hi float64) {
	lo, hi = -1e9, 1e9
	if n.s.Min != nil {
		lo = *n.s.Min
		if n.s.ExclusiveMin.IsTrue() {
			lo++
		}
	}
	if n.s.ExclusiveMin.Value != nil {
		lo = *n.s.ExclusiveMin.Value + 1
	}
	if n.s.Max != nil {
		hi = *n.s.Max
		if n.s.ExclusiveMax.IsTrue() {
			hi--
		}
	}
	if n.s.ExclusiveMax.Value != nil {
		hi = *n.s.ExclusiveMax.Value - 1
	}
	return lo, hi
}
