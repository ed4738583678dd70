package sim

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CodeInvalidUTF8 is the error code of a JSON body whose strings are not
// valid UTF-8 (RFC 8259 §8.1 requires it; encoding/json would silently
// turn the bytes into U+FFFD and the request would pass). Wires answer it
// with the field BadUTF8Field names.
const CodeInvalidUTF8 = "invalid-utf8"

// maxUTF8Depth bounds the nesting badUTF8Field follows; deeper, the
// whole body is named.
const maxUTF8Depth = 256

// jsonFrame is one open object or array while walking a body's tokens.
type jsonFrame struct {
	array   bool
	index   int    // next element of an array
	key     string // current key of an object
	wantKey bool   // an object expects a key next
}

// BadUTF8Field returns the field ("text.body", "destination.2") whose
// string value holds the first invalid UTF-8 of body, or "body" when the
// bytes are in a key, outside any string or too deep to name. Call it only
// for a body that utf8.Valid refused.
func BadUTF8Field(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []jsonFrame
	var prev int64
	for len(stack) <= maxUTF8Depth {
		tok, err := dec.Token()
		if err != nil {
			return "body"
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		if d, ok := tok.(json.Delim); ok {
			stack = walkDelim(stack, d)
			continue
		}
		top := len(stack) - 1
		if s, ok := tok.(string); ok && top >= 0 && stack[top].wantKey {
			if !utf8.Valid(raw) {
				return "body"
			}
			stack[top].key, stack[top].wantKey = s, false
			continue
		}
		if !utf8.Valid(raw) {
			return fieldPath(stack)
		}
		advance(stack)
	}
	return "body"
}

// walkDelim opens or closes an object or array.
func walkDelim(stack []jsonFrame, d json.Delim) []jsonFrame {
	switch d {
	case '{':
		return append(stack, jsonFrame{wantKey: true})
	case '[':
		return append(stack, jsonFrame{array: true})
	}
	stack = stack[:len(stack)-1]
	advance(stack)
	return stack
}

// advance moves the innermost container past one value.
func advance(stack []jsonFrame) {
	if len(stack) == 0 {
		return
	}
	top := &stack[len(stack)-1]
	if top.array {
		top.index++
	} else {
		top.wantKey = true
	}
}

// fieldPath names the value being read: keys and array indexes joined by
// dots, as APIError fields are.
func fieldPath(stack []jsonFrame) string {
	parts := make([]string, 0, len(stack))
	for _, f := range stack {
		if f.array {
			parts = append(parts, strconv.Itoa(f.index))
		} else {
			parts = append(parts, f.key)
		}
	}
	if len(parts) == 0 {
		return "body"
	}
	return strings.Join(parts, ".")
}
