package reindent

import (
	"fmt"
	"strings"
)

// Reindent returns src, an OpenAPI 3.0 YAML document with every line flush
// left, with the indentation its structure implies (two spaces a level).
// Line texts and order are kept.
func Reindent(src []byte) ([]byte, error) {
	text := strings.TrimRight(string(src), "\n")
	if text == "" {
		return nil, fmt.Errorf("reindent: empty input")
	}
	raw := strings.Split(text, "\n")
	p := &parser{lines: make([]line, len(raw)), memo: map[memoKey]memoVal{}}
	for i, t := range raw {
		if t == "" || strings.TrimSpace(t) != t {
			return nil, fmt.Errorf("reindent: line %d: blank or indented line %q; input must be flush left with no blank lines", i+1, t)
		}
		p.lines[i] = classify(t)
	}
	p.refs = componentRefs(p.lines)
	res, ok := p.mapping(openAPI(), 0, 0, false, nil)
	if !ok {
		return nil, fmt.Errorf("reindent: line 1: %q does not start an OpenAPI document", raw[0])
	}
	if res.next < len(raw) {
		return nil, fmt.Errorf("reindent: line %d: cannot place %q in the OpenAPI 3.0 structure", res.next+1, raw[res.next])
	}
	var b strings.Builder
	for i, pl := range res.out {
		if pl.ln != i {
			return nil, fmt.Errorf("reindent: internal error: line %d placed out of order", pl.ln+1)
		}
		b.WriteString(strings.Repeat(" ", pl.col))
		b.WriteString(raw[pl.ln])
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}

// componentRefs collects the components the document references, as
// "section/name".
func componentRefs(lines []line) map[string]bool {
	refs := map[string]bool{}
	for _, l := range lines {
		if l.key != "$ref" {
			continue
		}
		v := strings.Trim(l.value, `'"`)
		if rest, ok := strings.CutPrefix(v, "#/components/"); ok {
			refs[rest] = true
		}
	}
	return refs
}
