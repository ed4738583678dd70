package speclint

import (
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
	"gopkg.in/yaml.v3"
)

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 32; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return deref(n.Content[0])
	}
	return n
}

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	_, v := getKV(n, key)
	return v
}

// getKV returns the key and value nodes of key in mapping n.
func getKV(n *yaml.Node, key string) (k, v *yaml.Node) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], deref(n.Content[i+1])
		}
	}
	return nil, nil
}

// each calls fn for every entry of mapping n, in file order.
func each(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, deref(n.Content[i+1]))
	}
}

// items returns the elements of sequence n (aliases resolved).
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = deref(c)
	}
	return out
}

// str returns the scalar value of key in mapping n ("" when absent).
func str(n *yaml.Node, key string) string {
	v := get(n, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// isTrue reports whether key in mapping n is the boolean true.
func isTrue(n *yaml.Node, key string) bool {
	v := get(n, key)
	return v != nil && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" && strings.EqualFold(v.Value, "true")
}

// num returns the numeric value of key in mapping n.
func num(n *yaml.Node, key string) (float64, bool) {
	v := get(n, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return 0, false
	}
	if t := v.ShortTag(); t != "!!int" && t != "!!float" {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
	return f, err == nil
}

// join appends escaped tokens to a JSON pointer.
func join(p string, toks ...string) string {
	var b strings.Builder
	b.WriteString(p)
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(spec.EscapeToken(t))
	}
	return b.String()
}

// locate finds the position of the node at pointer (the key's position for
// mapping entries), or of its nearest existing ancestor.
func locate(root *yaml.Node, pointer string) (line, col int) {
	n := root
	if n == nil {
		return 0, 0
	}
	line, col = n.Line, n.Column
	for _, tok := range spec.SplitPointer(pointer) {
		n = deref(n)
		var at, next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			at, next = getKV(n, tok)
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				at, next = n.Content[i], n.Content[i]
			}
		}
		if next == nil {
			return line, col
		}
		line, col, n = at.Line, at.Column, next
	}
	return line, col
}

// lookup returns the node at pointer, or nil.
func lookup(root *yaml.Node, pointer string) *yaml.Node {
	n := root
	for _, tok := range spec.SplitPointer(pointer) {
		n = deref(n)
		if n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			n = get(n, tok)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
	}
	return deref(n)
}

// scalarJSON renders a scalar for messages, quoting strings.
func scalarJSON(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "null"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "an array"
	}
	if jsonType(n) == "string" {
		s := n.Value
		if len(s) > 60 {
			s = s[:57] + "..."
		}
		return strconv.Quote(s)
	}
	return n.Value
}

// jsonType is the JSON type of a YAML node: object, array, string, integer,
// number, boolean or null.
func jsonType(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "null"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.ShortTag() {
	case "!!int":
		return "integer"
	case "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	case "!!null":
		return "null"
	}
	return "string"
}
