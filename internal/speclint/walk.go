package speclint

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func (l *linter) walkPaths(paths *yaml.Node, p string) {
	each(paths, func(tmpl string, item *yaml.Node) {
		l.pathItem(item, join(p, tmpl), tmpl)
	})
}

// pathItem checks a path item (tmpl is the path template; empty inside
// callbacks and webhooks).
func (l *linter) pathItem(n *yaml.Node, p, tmpl string) {
	n, rp := l.resolve(n, p)
	if n == nil || !l.once("pathItem", rp) {
		return
	}
	shared := l.parameters(get(n, "parameters"), join(rp, "parameters"))
	for _, m := range methods {
		if op := get(n, m); op != nil {
			l.operation(op, join(rp, m), opContext{tmpl: tmpl, method: m, shared: shared, pathSummary: str(n, "summary") != ""})
		}
	}
}

type opContext struct {
	tmpl, method string
	shared       map[string]bool // path parameters declared on the path item
	pathSummary  bool
}

// operation runs the per-operation rules and visits what it contains.
func (l *linter) operation(op *yaml.Node, p string, ctx opContext) {
	l.ops.operation(l, op, p, ctx)
	pathParams := l.parameters(get(op, "parameters"), join(p, "parameters"))
	for k := range ctx.shared {
		pathParams[k] = true
	}
	if ctx.tmpl != "" {
		l.checkPathParams(ctx.tmpl, pathParams, p)
	}
	if rb := get(op, "requestBody"); rb != nil {
		l.requestBody(rb, join(p, "requestBody"), true)
	}
	l.responses(get(op, "responses"), join(p, "responses"))
	each(get(op, "callbacks"), func(name string, cb *yaml.Node) {
		l.callback(cb, join(p, "callbacks", name))
	})
	l.checkSecurity(get(op, "security"), join(p, "security"))
}

var pathParamRe = regexp.MustCompile(`\{([^{}]+)\}`)

func (l *linter) checkPathParams(tmpl string, declared map[string]bool, p string) {
	inTmpl := map[string]bool{}
	for _, m := range pathParamRe.FindAllStringSubmatch(tmpl, -1) {
		inTmpl[m[1]] = true
		if !declared[m[1]] {
			l.add("path-param-undeclared", Error, p, "", "path %s has {%s} but the operation declares no `in: path` parameter %q", tmpl, m[1], m[1])
		}
	}
	for name := range declared {
		if !inTmpl[name] {
			l.add("path-param-unused", Error, join(p, "parameters"), "", "`in: path` parameter %q does not appear in path %s", name, tmpl)
		}
	}
}

// parameters visits a parameter list and returns the names of its path
// parameters.
func (l *linter) parameters(list *yaml.Node, p string) map[string]bool {
	path := map[string]bool{}
	for i, prm := range items(list) {
		r, rp := l.resolve(prm, join(p, strconv.Itoa(i)))
		if r == nil {
			continue
		}
		if str(r, "in") == "path" {
			path[str(r, "name")] = true
		}
		l.parameter(r, rp)
	}
	return path
}

// parameter checks a parameter or header definition once.
func (l *linter) parameter(n *yaml.Node, p string) {
	if !l.once("param", p) {
		return
	}
	if s := get(n, "schema"); s != nil {
		l.schema(s, join(p, "schema"))
		l.examples(n, p, s, join(p, "schema"))
	}
	each(get(n, "content"), func(mt string, m *yaml.Node) {
		l.mediaType(m, join(p, "content", mt))
	})
}

// requestBody checks a request body; used says it is reached from an
// operation (only those must be `required`).
func (l *linter) requestBody(n *yaml.Node, p string, used bool) {
	r, rp := l.resolve(n, p)
	if r == nil {
		return
	}
	if used && !isTrue(r, "required") && l.once("rbRequired", rp) {
		l.add("request-body-not-required", Warning, rp, "", "request body is not marked `required: true`, so an empty request body is valid")
	}
	if !l.once("requestBody", rp) {
		return
	}
	each(get(r, "content"), func(mt string, m *yaml.Node) {
		l.mediaType(m, join(rp, "content", mt))
	})
}

// responses checks a responses object of one operation.
func (l *linter) responses(n *yaml.Node, p string) {
	has4xx := false
	each(n, func(code string, resp *yaml.Node) {
		if code == "400" || code == "422" || strings.EqualFold(code, "4XX") || code == "default" {
			has4xx = true
		}
		rp := join(p, code)
		r, defp := l.resolve(resp, rp)
		if r == nil {
			return
		}
		l.response(r, defp)
		l.responseUse(r, defp, code)
	})
	if n != nil && !has4xx {
		l.add("missing-4xx-response", Warning, p, "", "operation declares no 400, 422, 4XX or default response: clients cannot know the shape of the error returned for an invalid request")
	}
}

// response checks a response definition once.
func (l *linter) response(n *yaml.Node, p string) {
	if !l.once("response", p) {
		return
	}
	each(get(n, "headers"), func(name string, h *yaml.Node) {
		if r, rp := l.resolve(h, join(p, "headers", name)); r != nil {
			l.parameter(r, rp)
		}
	})
	each(get(n, "content"), func(mt string, m *yaml.Node) {
		l.mediaType(m, join(p, "content", mt))
	})
}

// mediaType checks a media type object once.
func (l *linter) mediaType(n *yaml.Node, p string) {
	if !l.once("media", p) {
		return
	}
	s := get(n, "schema")
	if s != nil {
		l.schema(s, join(p, "schema"))
	}
	l.examples(n, p, s, join(p, "schema"))
	each(get(n, "encoding"), func(prop string, e *yaml.Node) {
		if ct := str(e, "contentType"); strings.Contains(ct, ",") {
			l.cons.addList(join(p, "encoding", prop, "contentType"), prop, splitList(ct), true)
		}
	})
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// callback checks a callback object: its runtime expressions and path
// items.
func (l *linter) callback(n *yaml.Node, p string) {
	r, rp := l.resolve(n, p)
	if r == nil || !l.once("callback", rp) {
		return
	}
	each(r, func(expr string, item *yaml.Node) {
		ep := join(rp, expr)
		if why := checkCallbackExpr(expr); why != "" {
			l.add("callback-expression-invalid", Error, ep, "", "callback URL %q is not a valid runtime expression: %s", expr, why)
		}
		l.pathItem(item, ep, "")
	})
}
