package speclint

import (
	"encoding/base64"
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// violation is one way an instance (an example, a default) fails a schema.
type violation struct {
	code   string // example-invalid, pattern-rejects-example, pattern-dialect-mismatch
	inst   string // JSON pointer of the failing value in the document
	schema string // JSON pointer of the violated keyword
	msg    string
}

// validator checks YAML instances against schemas in the same document,
// matching patterns in both RE2 and ECMA-262 semantics.
type validator struct {
	l      *linter
	budget int
}

func (l *linter) newValidator() *validator { return &validator{l: l, budget: 20000} }

const maxDepth = 48

// validate returns the violations of inst (at ip) against schema s (at sp).
func (v *validator) validate(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int) []violation {
	s, inst = deref(s), deref(inst)
	v.budget--
	if s == nil || depth > maxDepth || v.budget < 0 {
		return nil
	}
	if s.Kind == yaml.ScalarNode && s.Value == "false" {
		return []violation{{code: "example-invalid", inst: ip, schema: sp, msg: "the schema is `false`: no value is valid"}}
	}
	if ref := str(s, "$ref"); ref != "" {
		t, tp := v.l.resolve(s, sp)
		out := v.validate(inst, ip, t, tp, depth+1)
		if !v.l.v31 {
			return out
		}
		return append(out, v.validateKeywords(inst, ip, s, sp, depth)...)
	}
	return v.validateKeywords(inst, ip, s, sp, depth)
}

func (v *validator) validateKeywords(inst *yaml.Node, ip string, s *yaml.Node, sp string, depth int) []violation {
	it := jsonType(inst)
	if it == "null" && (isTrue(s, "nullable") || typeAllows(s, "null")) {
		return nil
	}
	if bad := v.checkType(inst, it, ip, s, sp); bad != nil {
		return bad
	}
	var out []violation
	out = append(out, v.checkEnum(inst, ip, s, sp)...)
	switch it {
	case "string":
		out = append(out, v.checkString(inst, ip, s, sp)...)
	case "integer", "number":
		out = append(out, v.checkNumber(inst, ip, s, sp)...)
	case "object":
		out = append(out, v.checkObject(inst, ip, s, sp, depth)...)
	case "array":
		out = append(out, v.checkArray(inst, ip, s, sp, depth)...)
	}
	return append(out, v.checkComposition(inst, ip, s, sp, depth)...)
}

func typeAllows(s *yaml.Node, t string) bool {
	tn := get(s, "type")
	if tn == nil {
		return false
	}
	for _, x := range append(items(tn), tn) {
		if x.Kind == yaml.ScalarNode && x.Value == t {
			return true
		}
	}
	return false
}

func (v *validator) checkType(inst *yaml.Node, it, ip string, s *yaml.Node, sp string) []violation {
	tn := get(s, "type")
	if tn == nil {
		return nil
	}
	want := []string{tn.Value}
	if tn.Kind == yaml.SequenceNode {
		want = want[:0]
		for _, x := range items(tn) {
			want = append(want, x.Value)
		}
	}
	for _, w := range want {
		if w == it || (w == "number" && it == "integer") || (w == "integer" && it == "number" && isIntegral(inst.Value)) {
			return nil
		}
	}
	return []violation{{code: "example-invalid", inst: ip, schema: join(sp, "type"),
		msg: fmt.Sprintf("value %s is %s, the schema says type %s", scalarJSON(inst), article(it), strings.Join(want, "|"))}}
}

func article(t string) string {
	if strings.IndexByte("aeiou", t[0]) >= 0 {
		return "an " + t
	}
	return "a " + t
}

func isIntegral(s string) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f == math.Trunc(f)
}

func (v *validator) checkEnum(inst *yaml.Node, ip string, s *yaml.Node, sp string) []violation {
	en := get(s, "enum")
	if en == nil || en.Kind != yaml.SequenceNode {
		return nil
	}
	var vals []string
	for _, e := range items(en) {
		if equalNodes(inst, e) {
			return nil
		}
		vals = append(vals, scalarJSON(e))
	}
	return []violation{{code: "example-invalid", inst: ip, schema: join(sp, "enum"),
		msg: fmt.Sprintf("value %s is not in enum [%s]", scalarJSON(inst), strings.Join(vals, ", "))}}
}

// equalNodes compares two YAML nodes as JSON values.
func equalNodes(a, b *yaml.Node) bool {
	a, b = deref(a), deref(b)
	ta, tb := jsonType(a), jsonType(b)
	if ta != tb && !((ta == "integer" || ta == "number") && (tb == "integer" || tb == "number")) {
		return false
	}
	switch ta {
	case "object":
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			if !equalNodes(a.Content[i+1], get(b, a.Content[i].Value)) {
				return false
			}
		}
		return true
	case "array":
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !equalNodes(a.Content[i], b.Content[i]) {
				return false
			}
		}
		return true
	case "integer", "number":
		fa, _ := strconv.ParseFloat(a.Value, 64)
		fb, _ := strconv.ParseFloat(b.Value, 64)
		return fa == fb
	case "boolean":
		return strings.EqualFold(a.Value, b.Value)
	case "null":
		return true
	}
	return a.Value == b.Value
}

func (v *validator) checkString(inst *yaml.Node, ip string, s *yaml.Node, sp string) []violation {
	var out []violation
	n := utf8.RuneCountInString(inst.Value)
	if m, ok := num(s, "maxLength"); ok && float64(n) > m {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "maxLength"),
			msg: fmt.Sprintf("value %s has %d characters, more than maxLength %v", scalarJSON(inst), n, m)})
	}
	if m, ok := num(s, "minLength"); ok && float64(n) < m {
		out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "minLength"),
			msg: fmt.Sprintf("value %s has %d characters, fewer than minLength %v", scalarJSON(inst), n, m)})
	}
	if pn := get(s, "pattern"); pn != nil && pn.Kind == yaml.ScalarNode {
		out = append(out, v.checkMatch(inst, ip, pn.Value, join(sp, "pattern"))...)
	}
	if f := str(s, "format"); f != "" {
		if why := badFormatValue(f, inst.Value); why != "" {
			out = append(out, violation{code: "example-invalid", inst: ip, schema: join(sp, "format"),
				msg: fmt.Sprintf("value %s is not a valid %s: %s", scalarJSON(inst), f, why)})
		}
	}
	return out
}

// checkMatch matches value against pattern in RE2 and ECMA-262 semantics.
func (v *validator) checkMatch(inst *yaml.Node, ip, pattern, pp string) []violation {
	pi := v.l.pats.get(pattern)
	val := inst.Value
	goOK, jsOK := true, true
	if pi.goRe != nil {
		goOK = pi.goRe.MatchString(val)
	}
	if pi.js != nil {
		jsOK = pi.js.MatchString(val)
	}
	switch {
	case pi.goRe == nil && pi.js == nil:
		return nil // reported as pattern-invalid
	case !goOK && !jsOK:
		return []violation{{code: "pattern-rejects-example", inst: ip, schema: pp,
			msg: fmt.Sprintf("value %s does not match pattern %s", scalarJSON(inst), qp(pattern))}}
	case goOK != jsOK && pi.goRe != nil && pi.js != nil:
		yes, no := "Go RE2", "JavaScript (ECMA-262 "+pi.jsMode+")"
		if jsOK {
			yes, no = no, yes
		}
		return []violation{{code: "pattern-dialect-mismatch", inst: ip, schema: pp,
			msg: fmt.Sprintf("value %s matches pattern %s in %s but not in %s", scalarJSON(inst), qp(pattern), yes, no)}}
	}
	return nil
}

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// badFormatValue says why s is not a valid value of a registry format
// ("" when it is, or when the format is not checked).
func badFormatValue(format, s string) string {
	switch format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "expected RFC 3339 date-time like 2024-01-31T12:00:00Z"
		}
	case "date":
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return "expected a full-date like 2024-01-31"
		}
	case "uuid":
		if !uuidRe.MatchString(s) {
			return "expected 8-4-4-4-12 hex digits"
		}
	case "email":
		if i := strings.LastIndexByte(s, '@'); i <= 0 || i == len(s)-1 {
			return "expected local@domain"
		}
	case "uri":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" {
			return "expected an absolute URI with a scheme"
		}
	case "ipv4":
		if ip := net.ParseIP(s); ip == nil || ip.To4() == nil || strings.Contains(s, ":") {
			return "expected a dotted IPv4 address"
		}
	case "ipv6":
		if ip := net.ParseIP(s); ip == nil || !strings.Contains(s, ":") {
			return "expected an IPv6 address"
		}
	case "byte":
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return "expected base64"
		}
	}
	return ""
}
