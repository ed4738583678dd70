package specdiff

import (
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
	"gopkg.in/yaml.v3"
)

// maxRefHops bounds $ref chains, so a reference cycle cannot loop forever.
const maxRefHops = 32

// tree is one parsed spec file, navigable by logical path: local $refs are
// followed on the way down, so a path through a referenced request body
// lands inside the component it points at.
type tree struct {
	file string
	root *yaml.Node
}

func newTree(file string, data []byte) *tree {
	t := &tree{file: file}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err == nil && len(n.Content) > 0 {
		t.root = n.Content[0]
	}
	return t
}

// deref follows local $refs from n.
func (t *tree) deref(n *yaml.Node) *yaml.Node {
	n, _ = t.derefPtr(n, "")
	return n
}

// derefPtr follows local $refs from n, whose JSON pointer is ptr, and
// returns the node reached and its pointer.
func (t *tree) derefPtr(n *yaml.Node, ptr string) (*yaml.Node, string) {
	for hops := 0; n != nil && hops < maxRefHops; hops++ {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		ref := mapValue(n, "$ref")
		if ref == nil || !strings.HasPrefix(ref.Value, "#/") {
			return n, ptr
		}
		target := t.pointer(ref.Value)
		if target == nil {
			return n, ptr
		}
		n, ptr = target, strings.TrimPrefix(ref.Value, "#")
	}
	return n, ptr
}

// pointer resolves a local JSON pointer without following refs.
func (t *tree) pointer(ref string) *yaml.Node {
	n := t.root
	for _, tok := range spec.SplitPointer(ref) {
		if n == nil {
			return nil
		}
		n = step(n, tok)
	}
	return n
}

// spot is where a logical path lands in one file.
type spot struct {
	node    *yaml.Node    // the node reached (refs followed)
	loc     spec.Location // its position (its key's, for a map entry)
	pointer string        // its literal JSON pointer in the file
	found   bool          // whether the whole path was found
}

// find walks segs from the root, following refs; when the path does not
// exist it returns the deepest node reached.
func (t *tree) find(segs []string) spot {
	sp := spot{loc: spec.Location{File: t.file}}
	if t.root == nil {
		return sp
	}
	sp.node, sp.loc.Line, sp.loc.Col = t.root, t.root.Line, t.root.Column
	return t.findFrom(sp, segs, 0)
}

func (t *tree) findFrom(sp spot, segs []string, depth int) spot {
	for i, tok := range segs {
		n, ptr := t.derefPtr(sp.node, sp.pointer)
		sp.node, sp.pointer = n, ptr
		key, val, idx := child(t, n, tok)
		if val == nil && n.Kind == yaml.SequenceNode && depth < maxRefHops {
			// libopenapi drops allOf/oneOf/anyOf member indexes: take the
			// first member the rest of the path resolves in.
			for j, el := range n.Content {
				sub := sp
				sub.node, sub.pointer = el, ptr+"/"+strconv.Itoa(j)
				if r := t.findFrom(sub, segs[i:], depth+1); r.found {
					return r
				}
			}
		}
		if val == nil {
			return sp
		}
		at := val
		if key != nil {
			at = key
		}
		sp.loc.Line, sp.loc.Col = at.Line, at.Column
		sp.node, sp.pointer = val, ptr+"/"+spec.EscapeToken(idx)
	}
	sp.node, sp.pointer = t.derefPtr(sp.node, sp.pointer)
	sp.found = true
	return sp
}

// child finds tok under n and returns its key token (the index, in a
// sequence); in a sequence a non-numeric token matches the element whose
// name is tok (parameters).
func child(t *tree, n *yaml.Node, tok string) (key, val *yaml.Node, token string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok {
				return n.Content[i], n.Content[i+1], tok
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return nil, n.Content[i], tok
		}
		for i, el := range n.Content {
			if name := mapValue(t.deref(el), "name"); name != nil && name.Value == tok {
				return nil, el, strconv.Itoa(i)
			}
		}
	}
	return nil, nil, ""
}

func step(n *yaml.Node, tok string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		return mapValue(n, tok)
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// mapValue returns the value of key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// has reports whether the node at segs (refs followed) has key.
func (t *tree) has(segs []string, key string) bool {
	sp := t.find(segs)
	return sp.found && mapValue(sp.node, key) != nil
}

// scalar returns the scalar value of key in the node at segs, or "".
func (t *tree) scalar(segs []string, key string) string {
	sp := t.find(segs)
	if !sp.found {
		return ""
	}
	if v := mapValue(sp.node, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}
