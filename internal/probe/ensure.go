package probe

import (
	"strconv"

	"github.com/wabcheck/wabcheck/spec"
)

// resolve picks the top-level oneOf branch of a body schema.
func resolve(n node, branch int) node {
	if bs, _ := branches(n); len(bs) > 0 {
		return bs[min(max(branch, 0), len(bs)-1)]
	}
	return n
}

// schemaAt is the schema of the value at ptr in a body of schema root
// (branch resolved at the top).
func schemaAt(root node, branch int, ptr string) (node, bool) {
	n := resolve(root, branch)
	for _, tok := range spec.SplitPointer(ptr) {
		c, ok := childAt(n, tok)
		if !ok {
			return node{}, false
		}
		n = c
	}
	return n, true
}

// ensure makes every container on the way to ptr exist in v, generating
// minimal values for the missing ones, so a mutation at ptr has a place.
func (g *gen) ensure(v any, root node, branch int, ptr string) (any, bool) {
	toks := spec.SplitPointer(ptr)
	n := resolve(root, branch)
	cur := v
	for i, tok := range toks[:max(len(toks)-1, 0)] {
		child, ok := childAt(n, tok)
		if !ok {
			return v, false
		}
		next, ok := g.step(cur, child, tok, toks[i+1])
		if !ok {
			return v, false
		}
		cur, n = next, child
	}
	return v, true
}

// step returns the container under tok in cur, creating it (or growing
// an array up to the index) when missing. nextTok tells an array child's
// index, so arrays get enough items.
func (g *gen) step(cur any, child node, tok, nextTok string) (any, bool) {
	switch c := cur.(type) {
	case map[string]any:
		if e, ok := c[tok]; ok {
			if arr, isArr := e.([]any); isArr {
				e = g.grow(arr, child, nextTok)
				c[tok] = e
			}
			return e, isContainer(e)
		}
		val, ok := g.value(child, minimal, 0)
		if !ok || !isContainer(val) {
			return nil, false
		}
		if arr, isArr := val.([]any); isArr {
			val = g.grow(arr, child, nextTok)
		}
		c[tok] = val
		return val, true
	case []any:
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(c) {
			return nil, false
		}
		return c[i], isContainer(c[i])
	}
	return nil, false
}

// grow extends arr so index tok exists.
func (g *gen) grow(arr []any, n node, tok string) []any {
	i, err := strconv.Atoi(tok)
	if err != nil {
		return arr
	}
	for len(arr) <= i {
		v, ok := g.value(items(n), minimal, 0)
		if !ok {
			break
		}
		arr = append(arr, v)
	}
	return arr
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}
