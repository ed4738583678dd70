package speclint

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// opIndex collects what the operation rules compare across the document.
type opIndex struct {
	ids          map[string][]string // operationId → operation pointers
	idOrder      []string
	tagsDeclared map[string]string // tag → pointer of its declaration
	declOrder    []string
	tagsUsed     map[string]string // tag → first use
	usedOrder    []string
	schemesUsed  map[string]bool
}

func newOpIndex() opIndex {
	return opIndex{ids: map[string][]string{}, tagsDeclared: map[string]string{}, tagsUsed: map[string]string{}, schemesUsed: map[string]bool{}}
}

// operation runs the rules on one operation's own fields.
func (x *opIndex) operation(l *linter, op *yaml.Node, p string, ctx opContext) {
	if id := str(op, "operationId"); id == "" {
		l.add("operation-id-missing", Warning, p, "", "%s operation has no operationId; code generators and reports invent unstable names for it", strings.ToUpper(ctx.method))
	} else {
		if len(x.ids[id]) == 0 {
			x.idOrder = append(x.idOrder, id)
		}
		x.ids[id] = append(x.ids[id], join(p, "operationId"))
	}
	if str(op, "summary") == "" && ctx.pathSummary {
		l.add("operation-summary-missing", Warning, p, "", "the path item has a summary but this %s operation has none; most renderers show only operation summaries", strings.ToUpper(ctx.method))
	} else if str(op, "summary") == "" && str(op, "description") == "" {
		l.add("operation-summary-missing", Info, p, "", "%s operation has neither summary nor description", strings.ToUpper(ctx.method))
	}
	for i, t := range items(get(op, "tags")) {
		if _, ok := x.tagsUsed[t.Value]; !ok {
			x.tagsUsed[t.Value] = join(p, "tags", strconv.Itoa(i))
			x.usedOrder = append(x.usedOrder, t.Value)
		}
	}
}

var idStyles = []struct {
	name string
	re   *regexp.Regexp
}{
	{"camelCase", regexp.MustCompile(`^[a-z]+(?:[A-Z0-9][a-z0-9]*)+$`)},
	{"PascalCase", regexp.MustCompile(`^(?:[A-Z][a-z0-9]*)+$`)},
	{"snake_case", regexp.MustCompile(`^[a-z0-9]+(?:_[a-z0-9]+)+$`)},
	{"kebab-case", regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)+$`)},
}

func idStyle(id string) string {
	for _, s := range idStyles {
		if s.re.MatchString(id) {
			return s.name
		}
	}
	return "other"
}

// finish reports duplicate ids, id style outliers and tag mismatches.
func (x *opIndex) finish(l *linter) {
	styles := map[string]int{}
	for _, id := range x.idOrder {
		ps := x.ids[id]
		for _, dup := range ps[1:] {
			l.add("operation-id-duplicate", Error, dup, ps[0], "operationId %q is also used at %s; operationIds must be unique", id, ps[0])
		}
		styles[idStyle(id)]++
	}
	major, n := "", 0
	for s, c := range styles {
		if c > n || (c == n && s < major) {
			major, n = s, c
		}
	}
	if major != "other" && len(x.idOrder) >= 3 && n*3 >= len(x.idOrder)*2 {
		for _, id := range x.idOrder {
			if st := idStyle(id); st != major {
				l.add("operation-id-style", Info, x.ids[id][0], "", "operationId %q is %s; %d of %d operationIds are %s", id, st, n, len(x.idOrder), major)
			}
		}
	}
	for _, t := range x.usedOrder {
		if _, ok := x.tagsDeclared[t]; !ok {
			l.add("tag-undeclared", Warning, x.tagsUsed[t], "", "tag %q is used but not declared in the top-level `tags` list (no description, no order in docs)", t)
		}
	}
	for _, t := range x.declOrder {
		if _, ok := x.tagsUsed[t]; !ok {
			l.add("tag-unused", Info, x.tagsDeclared[t], "", "tag %q is declared but no operation uses it", t)
		}
	}
}

// checkTop checks servers, top-level security and the tag list.
func (l *linter) checkTop() {
	if len(items(get(l.root, "servers"))) == 0 {
		l.add("servers-missing", Warning, "/servers", "", "the spec declares no servers, so clients and tools default to the host serving the spec file")
	}
	for i, t := range items(get(l.root, "tags")) {
		name, tp := str(t, "name"), join("/tags", strconv.Itoa(i))
		if _, dup := l.ops.tagsDeclared[name]; dup {
			l.add("tag-duplicate", Warning, tp, l.ops.tagsDeclared[name], "tag %q is declared twice", name)
			continue
		}
		l.ops.tagsDeclared[name] = tp
		l.ops.declOrder = append(l.ops.declOrder, name)
	}
	l.checkSecurity(get(l.root, "security"), "/security")
}

// checkSecurity checks that security requirements name defined schemes.
func (l *linter) checkSecurity(list *yaml.Node, p string) {
	schemes := get(get(l.root, "components"), "securitySchemes")
	for i, req := range items(list) {
		each(req, func(name string, _ *yaml.Node) {
			l.ops.schemesUsed[name] = true
			if get(schemes, name) == nil {
				l.add("security-scheme-undefined", Error, join(p, strconv.Itoa(i), name), "", "security requirement names %q, which components.securitySchemes does not define", name)
			}
		})
	}
}

// walkComponents checks every component definition, used or not.
func (l *linter) walkComponents() {
	c := get(l.root, "components")
	visit := map[string]func(v *yaml.Node, p string){
		"schemas":       l.schema,
		"responses":     func(v *yaml.Node, p string) { l.responseDef(v, p) },
		"parameters":    func(v *yaml.Node, p string) { l.paramDef(v, p) },
		"headers":       func(v *yaml.Node, p string) { l.paramDef(v, p) },
		"requestBodies": func(v *yaml.Node, p string) { l.requestBody(v, p, false) },
		"callbacks":     l.callback,
		"pathItems":     func(v *yaml.Node, p string) { l.pathItem(v, p, "") },
	}
	for _, sec := range []string{"schemas", "responses", "parameters", "headers", "requestBodies", "callbacks", "pathItems"} {
		each(get(c, sec), func(name string, v *yaml.Node) { visit[sec](v, join("/components", sec, name)) })
	}
	each(get(c, "securitySchemes"), func(name string, v *yaml.Node) {
		if r, rp := l.resolve(v, join("/components/securitySchemes", name)); r != nil && strings.TrimSpace(str(r, "description")) == "" {
			l.add("security-scheme-no-description", Warning, rp, "", "security scheme %q has no description: readers are not told how to get credentials or what the realm/scopes are", name)
		}
	})
}

func (l *linter) responseDef(v *yaml.Node, p string) {
	if r, rp := l.resolve(v, p); r != nil {
		l.response(r, rp)
	}
}

func (l *linter) paramDef(v *yaml.Node, p string) {
	if r, rp := l.resolve(v, p); r != nil {
		l.parameter(r, rp)
	}
}

// checkUnusedComponents reports components nothing refers to.
func (l *linter) checkUnusedComponents() {
	c := get(l.root, "components")
	secs := []string{"schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks", "pathItems"}
	for _, sec := range secs {
		each(get(c, sec), func(name string, _ *yaml.Node) {
			p := join("/components", sec, name)
			if l.refs[p] == 0 {
				l.add("component-unused", Info, p, "", "components.%s.%s is never referenced", sec, name)
			}
		})
	}
	var unused []string
	each(get(c, "securitySchemes"), func(name string, _ *yaml.Node) {
		if !l.ops.schemesUsed[name] {
			unused = append(unused, name)
		}
	})
	sort.Strings(unused)
	for _, name := range unused {
		l.add("component-unused", Info, join("/components/securitySchemes", name), "", "security scheme %q is not used by any security requirement", name)
	}
}
