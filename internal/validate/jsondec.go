package validate

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// DecodeJSON decodes a JSON document into the values encoding/json gives
// an `any` (map[string]any, []any, string, float64, bool, nil), and fails
// exactly when json.Unmarshal fails. Plain documents (ASCII or valid UTF-8
// strings without escapes, the usual API bodies) go through a small
// allocation-lean parser; anything else (escapes, errors, odd numbers) is
// left to encoding/json, so results and errors are json.Unmarshal's.
func DecodeJSON(data []byte) (any, error) {
	p := fastParser{data: data}
	if v, ok := p.value(0); ok {
		p.space()
		if p.i == len(p.data) {
			return v, nil
		}
	}
	var v any
	err := json.Unmarshal(data, &v)
	return v, err
}

// maxDepth bounds nesting in the fast parser; deeper documents go to
// encoding/json, which has its own limit.
const maxDepth = 100

type fastParser struct {
	data []byte
	i    int
}

func (p *fastParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses one value; ok is false when the fast parser declines.
func (p *fastParser) value(depth int) (any, bool) {
	p.space()
	if p.i >= len(p.data) || depth > maxDepth {
		return nil, false
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		return s, ok
	case c == 't':
		return true, p.lit("true")
	case c == 'f':
		return false, p.lit("false")
	case c == 'n':
		return nil, p.lit("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, false
}

func (p *fastParser) lit(word string) bool {
	if len(p.data)-p.i < len(word) || string(p.data[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

func (p *fastParser) object(depth int) (any, bool) {
	p.i++ // {
	m := make(map[string]any, 4)
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, false
		}
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, false
		}
		p.i++
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		m[k] = v // duplicate keys: the last wins, as in encoding/json
		p.space()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *fastParser) array(depth int) (any, bool) {
	p.i++ // [
	a := make([]any, 0, 4)
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		p.space()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return a, true
		default:
			return nil, false
		}
	}
}

// str parses a string without escapes or control characters; valid UTF-8
// only (encoding/json would replace invalid bytes).
func (p *fastParser) str() (string, bool) {
	start := p.i + 1
	ascii := true
	for j := start; j < len(p.data); j++ {
		switch c := p.data[j]; {
		case c == '"':
			b := p.data[start:j]
			if !ascii && !utf8.Valid(b) {
				return "", false
			}
			p.i = j + 1
			return string(b), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
	}
	return "", false
}

// number parses a number in strict JSON grammar.
func (p *fastParser) number() (any, bool) {
	d, start := p.data, p.i
	j := start
	if j < len(d) && d[j] == '-' {
		j++
	}
	switch {
	case j < len(d) && d[j] == '0':
		j++
	case j < len(d) && d[j] >= '1' && d[j] <= '9':
		for j < len(d) && d[j] >= '0' && d[j] <= '9' {
			j++
		}
	default:
		return nil, false
	}
	if j < len(d) && d[j] == '.' {
		j++
		if k := digits(d, j); k == j {
			return nil, false
		} else {
			j = k
		}
	}
	if j < len(d) && (d[j] == 'e' || d[j] == 'E') {
		j++
		if j < len(d) && (d[j] == '+' || d[j] == '-') {
			j++
		}
		if k := digits(d, j); k == j {
			return nil, false
		} else {
			j = k
		}
	}
	f, err := strconv.ParseFloat(string(d[start:j]), 64)
	if err != nil {
		return nil, false
	}
	p.i = j
	return f, true
}

func digits(d []byte, j int) int {
	for j < len(d) && d[j] >= '0' && d[j] <= '9' {
		j++
	}
	return j
}
