package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/spec"
)

// uuidFormat validates `format: uuid`: 8-4-4-4-12 hexadecimal digits
// (RFC 9562 syntax, any version, either case).
type uuidFormat struct{}

func (uuidFormat) Validate(s string) error {
	if !isUUID(s) {
		return errors.New("not a UUID (8-4-4-4-12 hexadecimal digits)")
	}
	return nil
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// visit validates value against s: a cheap yes/no pass first (the compiled
// fastNode, or kin-openapi with FailFast when s has none), and only when
// that fails kin-openapi's full pass, which collects every violation.
func (v *Validator) visit(s *openapi3.Schema, value any) error {
	if s == nil {
		return nil
	}
	k := v.kin(s)
	if n := v.fastNodes[s]; n != nil {
		if n.valid(value) {
			return nil
		}
	} else if err := k.VisitJSON(value, v.fast...); err == nil {
		return nil
	}
	return k.VisitJSON(value, v.full...)
}

// kin returns the copy of s that kin-openapi checks values against (see
// kinGraph.safeCopies): the same schema, on which Schema.IsEmpty cannot
// recurse forever.
func (v *Validator) kin(s *openapi3.Schema) *openapi3.Schema {
	if k := v.kinSafe[s]; k != nil {
		return k
	}
	return s
}

// leaf is one flattened schema violation.
type leaf struct {
	err *openapi3.SchemaError
	raw error // set when the error is not a SchemaError
}

// flatten turns kin-openapi's nested errors into leaf violations: MultiError
// and allOf are unrolled; a oneOf that matched no branch is replaced by the
// violations of the branch that came closest (fewest violations, then the
// deepest ones).
func flatten(err error, out []leaf) []leaf {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			out = flatten(inner, out)
		}
		return out
	case *openapi3.SchemaError:
		inner := innerErrors(e)
		switch {
		case e.SchemaField == "allOf" && inner != nil:
			for _, ie := range inner {
				out = flatten(ie, out)
			}
			return out
		case e.SchemaField == "oneOf" && len(inner) > 0 && !errors.Is(e.Origin, openapi3.ErrOneOfConflict):
			return append(out, bestBranch(inner)...)
		}
		return append(out, leaf{err: e})
	}
	return append(out, leaf{raw: err})
}

// innerErrors returns the branch errors of an allOf/oneOf SchemaError.
func innerErrors(se *openapi3.SchemaError) openapi3.MultiError {
	if se.Origin == nil {
		return nil
	}
	wrapped := errors.Unwrap(se.Origin) // multiErrorFor{One,All}Of
	if wrapped == nil {
		return nil
	}
	if u, ok := wrapped.(interface{ Unwrap() error }); ok {
		if me, ok := u.Unwrap().(openapi3.MultiError); ok {
			return me
		}
	}
	return nil
}

func bestBranch(branches openapi3.MultiError) []leaf {
	var best []leaf
	bestDepth := -1
	for _, b := range branches {
		leaves := flatten(b, nil)
		depth := 0
		for _, l := range leaves {
			if l.err != nil {
				depth += len(l.err.JSONPointer())
			}
		}
		if best == nil || len(leaves) < len(best) || len(leaves) == len(best) && depth > bestDepth {
			best, bestDepth = leaves, depth
		}
	}
	return best
}

// schemaFindings turns a visit error into body-schema (or param/header)
// findings; fallback is the spec pointer of the root schema, used when a
// violated schema has no recorded pointer.
func (v *Validator) schemaFindings(err error, base Finding, fallback string) []Finding {
	leaves := flatten(err, nil)
	out := make([]Finding, 0, len(leaves))
	for _, l := range leaves {
		f := base
		if l.err == nil {
			f.Message = oneLine(l.raw.Error())
			f.Spec = v.locate(fallback)
			out = append(out, f)
			continue
		}
		f.Pointer = pointerOf(l.err.JSONPointer())
		var specPtr string
		f.Rule, specPtr = v.rule(l.err, fallback)
		f.Spec = v.locate(specPtr)
		f.Message = message(l.err)
		out = append(out, f)
	}
	return out
}

func pointerOf(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(spec.EscapeToken(t))
	}
	return b.String()
}

// rule names the violated keyword with its value, and the spec pointer of
// that keyword.
func (v *Validator) rule(se *openapi3.SchemaError, fallback string) (rule, ptr string) {
	s := se.Schema
	base, ok := v.ptrs[s]
	if !ok {
		base = fallback
	}
	field := se.SchemaField
	if s == nil {
		return field, base
	}
	switch field {
	case "required":
		tokens := se.JSONPointer()
		key := ""
		if len(tokens) > 0 {
			key = tokens[len(tokens)-1]
		}
		for i, r := range s.Required {
			if r == key {
				return "required: " + key, base + "/required/" + strconv.Itoa(i)
			}
		}
		return "required: " + key, base + "/required"
	case "properties":
		return "additionalProperties: false", base + "/additionalProperties"
	case "":
		return "", base
	}
	if val := keywordValue(s, field); val != "" {
		return field + ": " + val, base + "/" + field
	}
	return field, base + "/" + field
}

// keywordValue renders the value of one schema keyword.
func keywordValue(s *openapi3.Schema, field string) string {
	switch field {
	case "format":
		return s.Format
	case "pattern":
		return s.Pattern
	case "enum":
		parts := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			parts[i] = fmt.Sprint(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case "type":
		if s.Type != nil {
			return strings.Join(s.Type.Slice(), ", ")
		}
	case "maxLength":
		return uintPtr(s.MaxLength)
	case "minLength":
		return strconv.FormatUint(s.MinLength, 10)
	case "maxItems":
		return uintPtr(s.MaxItems)
	case "minItems":
		return strconv.FormatUint(s.MinItems, 10)
	case "maximum":
		return floatPtr(s.Max)
	case "minimum":
		return floatPtr(s.Min)
	case "multipleOf":
		return floatPtr(s.MultipleOf)
	case "uniqueItems":
		return strconv.FormatBool(s.UniqueItems)
	}
	return ""
}

func uintPtr(p *uint64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatUint(*p, 10)
}

func floatPtr(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

// message says what the rule wanted and what the value was, on one line.
func message(se *openapi3.SchemaError) string {
	reason := se.Reason
	if reason == "" {
		reason = "does not match " + se.SchemaField
	}
	reason = oneLine(reason)
	switch se.SchemaField {
	case "required", "properties", "allOf", "oneOf", "anyOf":
		return reason
	}
	return reason + ", got " + shortValue(se.Value)
}

// shortValue renders a value as compact JSON, cut to 60 bytes.
func shortValue(val any) string {
	b, err := json.Marshal(val)
	if err != nil {
		return fmt.Sprint(val)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
