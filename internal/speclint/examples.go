package speclint

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxViolationsPerExample bounds the findings one broken example yields.
const maxViolationsPerExample = 5

// examples validates `example` and `examples` of a media type, parameter or
// header (n at p) against its schema s (at sp).
func (l *linter) examples(n *yaml.Node, p string, s *yaml.Node, sp string) {
	if s == nil {
		return
	}
	if ex := get(n, "example"); ex != nil {
		l.checkExample(ex, join(p, "example"), s, sp, "example-invalid")
	}
	each(get(n, "examples"), func(name string, e *yaml.Node) {
		r, rp := l.resolve(e, join(p, "examples", name))
		if val := get(r, "value"); val != nil {
			l.checkExample(val, join(rp, "value"), s, sp, "example-invalid")
		}
	})
}

// exampleValues returns the example values of a media type with their
// pointers.
func (l *linter) exampleValues(n *yaml.Node, p string) ([]*yaml.Node, []string) {
	var vals []*yaml.Node
	var ptrs []string
	if ex := get(n, "example"); ex != nil {
		vals, ptrs = append(vals, ex), append(ptrs, join(p, "example"))
	}
	each(get(n, "examples"), func(name string, e *yaml.Node) {
		r, rp := l.resolve(e, join(p, "examples", name))
		if val := get(r, "value"); val != nil {
			vals, ptrs = append(vals, val), append(ptrs, join(rp, "value"))
		}
	})
	return vals, ptrs
}

// checkExample validates one value; invalidCode replaces example-invalid
// (default-invalid for defaults).
func (l *linter) checkExample(val *yaml.Node, vp string, s *yaml.Node, sp, invalidCode string) {
	v := l.newValidator()
	vs := v.validate(val, vp, s, sp, 0)
	for i, x := range vs {
		if i == maxViolationsPerExample {
			l.add(invalidCode, Error, vp, sp, "%d more violations in this value", len(vs)-i)
			break
		}
		code, sev := x.code, Error
		if code == "example-invalid" {
			code = invalidCode
		}
		if code == "default-invalid" {
			sev = Warning
		}
		l.add(code, sev, x.inst, x.schema, "%s", x.msg)
	}
	if len(vs) > 0 || invalidCode != "example-invalid" {
		return
	}
	var soft []softIssue
	v.soft(val, vp, s, sp, 0, &soft)
	for _, x := range soft {
		l.add(x.code, x.sev, x.inst, x.schema, "%s", x.msg)
	}
}

// responseUse runs the rules that depend on the status code a response is
// used under.
func (l *linter) responseUse(r *yaml.Node, p, code string) {
	isErr := code == "default" || strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5")
	each(get(r, "content"), func(mt string, m *yaml.Node) {
		mp := join(p, "content", mt)
		if isErr && strings.Contains(mt, "json") {
			l.checkErrorSchema(get(m, "schema"), join(mp, "schema"), code)
		}
		vals, ptrs := l.exampleValues(m, mp)
		for i, val := range vals {
			l.checkExampleStatus(val, ptrs[i], code)
		}
	})
}

// checkErrorSchema reports an error-response schema that any JSON object
// satisfies.
func (l *linter) checkErrorSchema(s *yaml.Node, sp, code string) {
	if s == nil {
		return
	}
	r, rp := l.resolve(s, sp)
	if r == nil || !l.isOpenObject(r, rp, 0) {
		return
	}
	if l.openErr == nil {
		l.openErr = map[string][]string{}
	}
	if len(l.openErr[rp]) == 0 {
		l.openErrOrder = append(l.openErrOrder, rp)
	}
	for _, c := range l.openErr[rp] {
		if c == code {
			return
		}
	}
	l.openErr[rp] = append(l.openErr[rp], code)
}

// reportOpenErrors reports each open error schema once, with the status
// codes it is used for.
func (l *linter) reportOpenErrors() {
	for _, rp := range l.openErrOrder {
		l.add("error-schema-open", Warning, rp, "", "error response schema (used for %s) has no `required` properties and allows additional ones, so any JSON object passes, even one with none of its fields",
			strings.Join(l.openErr[rp], ", "))
	}
}

// isOpenObject reports whether an object schema constrains nothing about
// which properties exist.
func (l *linter) isOpenObject(s *yaml.Node, p string, depth int) bool {
	s, p = l.resolve(s, p)
	if s == nil || depth > 8 {
		return false
	}
	if get(s, "oneOf") != nil || get(s, "anyOf") != nil || get(s, "not") != nil {
		return false
	}
	if t := str(s, "type"); t != "" && t != "object" {
		return false
	}
	if len(items(get(s, "required"))) > 0 || get(s, "minProperties") != nil {
		return false
	}
	if a := get(s, "additionalProperties"); a != nil && a.Value == "false" {
		return false
	}
	for i, b := range items(get(s, "allOf")) {
		if !l.isOpenObject(b, join(p, "allOf", strconv.Itoa(i)), depth+1) {
			return false
		}
	}
	return true
}

var statusFields = []string{"statusCode", "status_code", "status", "httpStatus", "http_status", "code"}

// checkExampleStatus reports a response example whose status-code field
// disagrees with the status it is the example of.
func (l *linter) checkExampleStatus(val *yaml.Node, vp, code string) {
	if len(code) != 3 {
		return
	}
	for _, f := range statusFields {
		n := get(val, f)
		if n == nil || jsonType(n) != "integer" {
			continue
		}
		x, err := strconv.Atoi(n.Value)
		if err != nil || x < 100 || x > 599 {
			continue
		}
		s := strconv.Itoa(x)
		if s == code || (strings.HasSuffix(strings.ToUpper(code), "XX") && s[0] == code[0]) {
			continue
		}
		l.add("example-status-mismatch", Warning, join(vp, f), "", "example of the %s response says %s: %d", code, f, x)
	}
}

// formatNote renders a value list for messages.
func formatList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
