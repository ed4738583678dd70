package spec

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Location is a place in a spec file.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// String formats the location as file:line:col (file alone when unknown).
func (l Location) String() string {
	if l.Line == 0 {
		return l.File
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
}

// Locator maps JSON pointers to positions in one YAML or JSON file.
type Locator struct {
	file string
	root *yaml.Node
}

// NewLocator parses data once; a file that does not parse locates nothing.
func NewLocator(file string, data []byte) *Locator {
	l := &Locator{file: file}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err == nil && len(n.Content) > 0 {
		l.root = n.Content[0]
	}
	return l
}

// Locate returns the position of the node at pointer (RFC 6901), or of its
// nearest existing ancestor. For a mapping entry the key's position is used.
func (l *Locator) Locate(pointer string) Location {
	loc := Location{File: l.file}
	n := l.root
	if n == nil {
		return loc
	}
	loc.Line, loc.Col = n.Line, n.Column
	for _, tok := range SplitPointer(pointer) {
		key, val := child(n, tok)
		if val == nil {
			return loc
		}
		at := val
		if key != nil {
			at = key
		}
		loc.Line, loc.Col = at.Line, at.Column
		n = val
	}
	return loc
}

// Node returns the YAML node at pointer, or nil.
func (l *Locator) Node(pointer string) *yaml.Node {
	n := l.root
	for _, tok := range SplitPointer(pointer) {
		if n == nil {
			return nil
		}
		_, n = child(n, tok)
	}
	return n
}

func child(n *yaml.Node, tok string) (key, val *yaml.Node) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return child(n.Content[0], tok)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i], n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return nil, n.Content[i]
		}
	}
	return nil, nil
}

// SplitPointer splits an RFC 6901 JSON pointer (with or without a leading
// '#') into unescaped tokens.
func SplitPointer(pointer string) []string {
	pointer = strings.TrimPrefix(pointer, "#")
	if pointer == "" || pointer == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts
}

// EscapeToken escapes one JSON pointer token.
func EscapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// ValueAt returns the value at an RFC 6901 JSON pointer in a decoded JSON
// value (maps, slices, scalars); ok is false when any part is absent.
func ValueAt(v any, pointer string) (any, bool) {
	for _, tok := range SplitPointer(pointer) {
		switch x := v.(type) {
		case map[string]any:
			e, ok := x[tok]
			if !ok {
				return nil, false
			}
			v = e
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}
