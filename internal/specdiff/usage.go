package specdiff

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// methods are the operation keys of a path item, in report order.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"}

const schemaRefPrefix = "#/components/schemas/"

// usage records where one component schema is used.
type usage struct {
	request, response bool
	ops               map[Direction]map[string]bool // operations by direction of use
}

// directions lists the data flows the schema is used in.
func (u *usage) directions() []Direction {
	var ds []Direction
	if u != nil && u.request {
		ds = append(ds, Request)
	}
	if u != nil && u.response {
		ds = append(ds, Response)
	}
	return ds
}

// operations lists the operations that use the schema in direction d.
func (u *usage) operations(d Direction) []string {
	if u == nil {
		return nil
	}
	ops := make([]string, 0, len(u.ops[d]))
	for op := range u.ops[d] {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}

// usages maps component schema names to where operations use them,
// directly or through other schemas and components.
type usages map[string]*usage

// collect adds the uses found in t.
func (us usages) collect(t *tree) {
	if t.root == nil {
		return
	}
	if paths := mapValue(t.root, "paths"); paths != nil && paths.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(paths.Content); i += 2 {
			p := paths.Content[i].Value
			us.pathItem(t, paths.Content[i+1], p, p, false)
		}
	}
	if hooks := mapValue(t.root, "webhooks"); hooks != nil && hooks.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(hooks.Content); i += 2 {
			name := hooks.Content[i].Value
			us.pathItem(t, hooks.Content[i+1], "webhook "+name, "webhook "+name, true)
		}
	}
}

// pathItem records the uses of one path item; flipped is set inside
// callbacks and webhooks, where the API sends the request.
func (us usages) pathItem(t *tree, item *yaml.Node, label, path string, flipped bool) {
	item = t.deref(item)
	req, resp := flow(flipped)
	for _, m := range methods {
		op := t.deref(mapValue(item, m))
		if op == nil {
			continue
		}
		opLabel := strings.ToUpper(m) + " " + path
		if label != path {
			opLabel = label + " " + opLabel
		}
		us.mark(t, mapValue(item, "parameters"), req, opLabel, map[string]bool{})
		us.mark(t, mapValue(op, "parameters"), req, opLabel, map[string]bool{})
		us.mark(t, mapValue(op, "requestBody"), req, opLabel, map[string]bool{})
		us.mark(t, mapValue(op, "responses"), resp, opLabel, map[string]bool{})
		cbs := t.deref(mapValue(op, "callbacks"))
		if cbs == nil || cbs.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(cbs.Content); i += 2 {
			cb := t.deref(cbs.Content[i+1])
			if cb == nil || cb.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(cb.Content); j += 2 {
				expr := cb.Content[j].Value
				us.pathItem(t, cb.Content[j+1], opLabel+" callback "+cbs.Content[i].Value, expr, !flipped)
			}
		}
	}
}

// flow returns the request and response directions of a path item.
func flow(flipped bool) (req, resp Direction) {
	if flipped {
		return Response, Request
	}
	return Request, Response
}

// mark records every component schema reachable from n as used in dir by op.
func (us usages) mark(t *tree, n *yaml.Node, dir Direction, op string, seen map[string]bool) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.AliasNode:
		us.mark(t, n.Alias, dir, op, seen)
	case yaml.SequenceNode:
		for _, c := range n.Content {
			us.mark(t, c, dir, op, seen)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch k {
			case "example", "examples":
				continue
			case "$ref":
				us.ref(t, v.Value, dir, op, seen)
			default:
				us.mark(t, v, dir, op, seen)
			}
		}
	}
}

func (us usages) ref(t *tree, ref string, dir Direction, op string, seen map[string]bool) {
	if !strings.HasPrefix(ref, "#/") || seen[ref] {
		return
	}
	seen[ref] = true
	if name, ok := strings.CutPrefix(ref, schemaRefPrefix); ok && !strings.Contains(name, "/") {
		u := us[name]
		if u == nil {
			u = &usage{ops: map[Direction]map[string]bool{Request: {}, Response: {}}}
			us[name] = u
		}
		u.request = u.request || dir == Request
		u.response = u.response || dir == Response
		u.ops[dir][op] = true
	}
	us.mark(t, t.pointer(ref), dir, op, seen)
}
