package specdiff

import (
	"strconv"
	"testing"

	"github.com/wabcheck/wabcheck/spec"
	"gopkg.in/yaml.v3"
)

// edit is one change applied to a YAML document in a test: set a value
// (adding the key if needed), delete a key or element, or append to a list.
type edit struct {
	op  string // "set", "del" or "add"
	ptr string // JSON pointer
	val string // YAML for set/add
}

func set(ptr, val string) edit { return edit{"set", ptr, val} }
func del(ptr string) edit      { return edit{"del", ptr, ""} }
func add(ptr, val string) edit { return edit{"add", ptr, val} }

// apply returns data with edits applied; it fails the test when a pointer
// does not lead anywhere, so a typo cannot make a case pass vacuously.
func apply(t testing.TB, data []byte, edits ...edit) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse base: %v", err)
	}
	for _, e := range edits {
		toks := spec.SplitPointer(e.ptr)
		parent := walkTo(t, doc.Content[0], toks[:len(toks)-1], e.ptr)
		last := toks[len(toks)-1]
		var val *yaml.Node
		if e.op != "del" {
			var v yaml.Node
			if err := yaml.Unmarshal([]byte(e.val), &v); err != nil {
				t.Fatalf("edit %s: value: %v", e.ptr, err)
			}
			val = v.Content[0]
		}
		switch e.op {
		case "set":
			setChild(t, parent, last, val, e.ptr)
		case "del":
			delChild(t, parent, last, e.ptr)
		case "add":
			list := walkTo(t, parent, []string{last}, e.ptr)
			list.Content = append(list.Content, val)
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return out
}

func walkTo(t testing.TB, n *yaml.Node, toks []string, ptr string) *yaml.Node {
	t.Helper()
	for _, tok := range toks {
		next := step(n, tok)
		if next == nil {
			t.Fatalf("edit %s: no %q", ptr, tok)
		}
		n = next
	}
	return n
}

func setChild(t testing.TB, n *yaml.Node, tok string, val *yaml.Node, ptr string) {
	t.Helper()
	if n.Kind == yaml.SequenceNode {
		i, err := strconv.Atoi(tok)
		if err != nil || i >= len(n.Content) {
			t.Fatalf("edit %s: bad index %q", ptr, tok)
		}
		n.Content[i] = val
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == tok {
			n.Content[i+1] = val
			return
		}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: tok}, val)
}

func delChild(t testing.TB, n *yaml.Node, tok string, ptr string) {
	t.Helper()
	if n.Kind == yaml.SequenceNode {
		i, err := strconv.Atoi(tok)
		if err != nil || i >= len(n.Content) {
			t.Fatalf("edit %s: bad index %q", ptr, tok)
		}
		n.Content = append(n.Content[:i], n.Content[i+1:]...)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == tok {
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			return
		}
	}
	t.Fatalf("edit %s: no key %q to delete", ptr, tok)
}
