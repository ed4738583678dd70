package probe

import (
	"strconv"

	"github.com/wabcheck/wabcheck/spec"
)

// clone deep-copies a JSON value (maps, slices, scalars).
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

// setAt returns root with the value at ptr replaced by val (or removed,
// with del). Parents must exist; the root itself is replaced for ptr "".
func setAt(root any, ptr string, val any, del bool) (any, bool) {
	toks := spec.SplitPointer(ptr)
	if len(toks) == 0 {
		return val, !del
	}
	parent, ok := spec.ValueAt(root, pointerOf(toks[:len(toks)-1]))
	if !ok {
		return root, false
	}
	last := toks[len(toks)-1]
	switch p := parent.(type) {
	case map[string]any:
		if del {
			delete(p, last)
		} else {
			p[last] = val
		}
		return root, true
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(p) || del {
			return root, false
		}
		p[i] = val
		return root, true
	}
	return root, false
}

// pointerOf joins tokens into a JSON pointer.
func pointerOf(toks []string) string {
	s := ""
	for _, t := range toks {
		s += "/" + spec.EscapeToken(t)
	}
	return s
}

// parentPointer is ptr without its last token.
func parentPointer(ptr string) string {
	toks := spec.SplitPointer(ptr)
	if len(toks) == 0 {
		return ""
	}
	return pointerOf(toks[:len(toks)-1])
}

// lastToken is ptr's last token.
func lastToken(ptr string) string {
	toks := spec.SplitPointer(ptr)
	if len(toks) == 0 {
		return ""
	}
	return toks[len(toks)-1]
}
