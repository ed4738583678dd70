package speclint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
	"gopkg.in/yaml.v3"
)

// propInfo is one property definition, for cross-schema comparisons.
type propInfo struct {
	name, p    string // property name and pointer
	n          *yaml.Node
	np         string // pointer of the resolved definition
	deprecated bool
	desc       string
	pattern    string
}

// valueList is an enum, or a comma-separated media type list.
type valueList struct {
	p, name string
	vals    []string
	mime    bool
}

// consistency collects property definitions and value lists, and compares
// those that describe the same thing.
type consistency struct {
	props []propInfo
	lists []valueList
}

var comparedLimits = []string{"maxLength", "minLength", "pattern", "maximum", "minimum"}

func (c *consistency) addSchema(l *linter, n *yaml.Node, p string) {
	var local []propInfo
	each(get(n, "properties"), func(name string, ps *yaml.Node) {
		pp := join(p, "properties", name)
		r, rp := l.resolve(ps, pp)
		if r == nil {
			return
		}
		pi := propInfo{name: name, p: pp, n: r, np: rp,
			deprecated: isTrue(ps, "deprecated") || isTrue(r, "deprecated"),
			desc:       firstNonEmpty(str(ps, "description"), str(r, "description")),
			pattern:    str(r, "pattern")}
		local = append(local, pi)
	})
	c.props = append(c.props, local...)
	for _, d := range local {
		if !d.deprecated {
			continue
		}
		for _, s := range local {
			if !s.deprecated && sameThing(d, s) {
				c.compare(l, d, s, "its non-deprecated replacement")
			}
		}
	}
	var vals []string
	for _, e := range items(get(n, "enum")) {
		if jsonType(e) != "string" {
			return
		}
		vals = append(vals, e.Value)
	}
	if len(vals) > 0 {
		c.addList(join(p, "enum"), nameOf(p), vals, false)
	}
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return strings.TrimSpace(b)
}

// sameThing: two properties describe the same thing when they share a
// non-empty description or pattern and are not the same definition.
func sameThing(a, b propInfo) bool {
	if a.np == b.np {
		return false
	}
	return (a.desc != "" && a.desc == b.desc) || (a.pattern != "" && a.pattern == b.pattern)
}

// sameNamedThing is stricter, for properties that merely share a name: a
// shared pattern, or a shared description long enough to be specific.
func sameNamedThing(a, b propInfo) bool {
	if a.np == b.np {
		return false
	}
	return (a.pattern != "" && a.pattern == b.pattern) || (len(a.desc) >= 30 && a.desc == b.desc)
}

func why(a, b propInfo) string {
	var r []string
	if a.desc != "" && a.desc == b.desc {
		r = append(r, "same description")
	}
	if a.pattern != "" && a.pattern == b.pattern {
		r = append(r, "same pattern")
	}
	return strings.Join(r, " and ")
}

// compare reports limits on which a and b disagree, at a.
func (c *consistency) compare(l *linter, a, b propInfo, rel string) {
	for _, kw := range comparedLimits {
		va, vb := get(a.n, kw), get(b.n, kw)
		if va == nil || vb == nil || va.Value == vb.Value {
			continue
		}
		l.add("conflicting-limits", Warning, join(a.np, kw), join(b.np, kw),
			"%q has %s %s but %s %q (%s), which describes the same thing (%s), has %s %s",
			a.name, kw, va.Value, rel, b.name, b.np, why(a, b), kw, vb.Value)
	}
}

// nameOf names the thing a schema at p describes: its property name or
// component name.
func nameOf(p string) string {
	toks := spec.SplitPointer(p)
	for len(toks) > 1 && (toks[len(toks)-1] == "items" || toks[len(toks)-1] == "schema") {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return ""
	}
	return toks[len(toks)-1]
}

func (c *consistency) addList(p, name string, vals []string, fromEncoding bool) {
	mime := true
	for _, v := range vals {
		if t, s, ok := strings.Cut(v, "/"); !ok || t == "" || s == "" || strings.ContainsAny(v, " ,") {
			mime = false
		}
	}
	if fromEncoding && !mime {
		return
	}
	c.lists = append(c.lists, valueList{p: p, name: name, vals: vals, mime: mime})
}

// finish compares same-named properties and overlapping value lists.
func (c *consistency) finish(l *linter) {
	byName := map[string][]propInfo{}
	for _, p := range c.props {
		byName[p.name] = append(byName[p.name], p)
	}
	for _, group := range byName {
		for i := 0; i < len(group) && i < 300; i++ {
			for j := i + 1; j < len(group) && j < 300; j++ {
				if sameNamedThing(group[i], group[j]) {
					c.compare(l, group[j], group[i], "the same-named property")
				}
			}
		}
	}
	for i, a := range c.lists {
		for j := i + 1; j < len(c.lists) && j < i+2000; j++ {
			b := c.lists[j]
			if a.name == b.name || (a.mime && b.mime) {
				compareLists(l, b, a)
			}
		}
	}
}

// compareLists reports two lists that overlap mostly but differ, neither
// containing the other.
func compareLists(l *linter, a, b valueList) {
	inA, inB := set(a.vals), set(b.vals)
	var onlyA, onlyB []string
	common := 0
	for _, v := range a.vals {
		if inB[v] {
			common++
		} else {
			onlyA = append(onlyA, v)
		}
	}
	for _, v := range b.vals {
		if !inA[v] {
			onlyB = append(onlyB, v)
		}
	}
	small := min(len(inA), len(inB))
	if common == 0 || len(onlyA) == 0 || len(onlyB) == 0 || common*2 < small {
		return
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	what := fmt.Sprintf("`%s` enum", a.name)
	if a.mime {
		what = "media type list"
	}
	l.add("enum-mismatch", Warning, a.p, b.p, "%s differs from the list at %s that describes the same values: only here %s, only there %s",
		what, b.p, formatList(onlyA), formatList(onlyB))
}

func set(vals []string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}
