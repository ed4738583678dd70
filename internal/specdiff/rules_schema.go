package specdiff

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/what-changed/model"
)

// limitKeywords are numeric bounds; the value says whether a smaller
// number is the tighter bound (max*) or the looser one (min*).
var limitKeywords = map[string]bool{
	"maxLength": true, "maxItems": true, "maxProperties": true, "maximum": true, "exclusiveMaximum": true,
	"minLength": false, "minItems": false, "minProperties": false, "minimum": false, "exclusiveMinimum": false,
}

// restrictKeywords narrow the valid values when added and widen them when
// removed; a changed value is neither.
var restrictKeywords = map[string]bool{"format": true, "pattern": true, "const": true, "not": true}

// schemaRule classifies a change to one schema for direction d.
func schemaRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	kw := c.Property
	if smaller, ok := limitKeywords[kw]; ok {
		return judged(d, kw, c, limitEffect(c, smaller), "")
	}
	if restrictKeywords[kw] {
		return judged(d, kw, c, restrictEffect(c), "")
	}
	switch kw {
	case "properties":
		return propertyRule(d, c)
	case "required":
		return requiredRule(w, s, d, c)
	case "enum":
		return enumRule(w, s, d, c)
	case "type":
		return judged(d, kw, c, typeEffect(c.Original, c.New), "")
	case "multipleOf":
		return judged(d, kw, c, multipleOfEffect(c), "")
	case "uniqueItems":
		return judged(d, kw, c, flagEffect(c, tighter), "")
	case "nullable":
		return judged(d, kw, c, flagEffect(c, looser), "")
	case "readOnly", "writeOnly":
		return accessRule(d, c)
	case "default":
		return defaultRule(d, c)
	case "additionalProperties", "unevaluatedProperties":
		return additionalRule(d, c)
	case "oneOf", "anyOf":
		return judged(d, kw, c, memberEffect(c, looser), " member")
	case "allOf":
		return judged(d, kw, c, memberEffect(c, tighter), " member")
	case "schema", "items", "contentSchema", "propertyNames", "contains", "if", "then", "else", "prefixItems", "unevaluatedItems":
		return judged(d, kw, c, restrictEffect(c), "")
	case "$ref":
		return verdict{code: prefix(d) + "schema-ref-changed", breaking: d != Neither, extra: []string{"$ref"},
			msg: "schema now refers to " + values(c) + " (contents not compared; treated as breaking)"}
	case "dependentRequired":
		return judged(d, kw, c, memberEffect(c, tighter), "")
	}
	return unknownRule(w, s, d, c)
}

// judged builds the verdict of a keyword change with a known effect. The
// code is <direction>-<keyword>-<increased|decreased|added|removed|changed>.
func judged(d Direction, kw string, c *model.Change, e effect, what string) verdict {
	how := verb(c)
	if c.ChangeType == model.Modified {
		how = direction(c)
	}
	msg := fmt.Sprintf("%s%s %s: %s", kw, what, how, values(c))
	if d != Neither && e != neutral {
		msg += fmt.Sprintf(" (%s %s)", d, e)
	}
	return verdict{code: prefix(d) + kebab(kw) + "-" + how, breaking: breaks(d, e), extra: []string{kw}, msg: msg}
}

// direction says whether a modified numeric value went up or down.
func direction(c *model.Change) string {
	a, errA := strconv.ParseFloat(c.Original, 64)
	b, errB := strconv.ParseFloat(c.New, 64)
	switch {
	case errA != nil || errB != nil || a == b:
		return "changed"
	case b > a:
		return "increased"
	}
	return "decreased"
}

func limitEffect(c *model.Change, smallerIsTighter bool) effect {
	switch {
	case added(c):
		return tighter
	case removed(c):
		return looser
	}
	if isBool(c.Original) || isBool(c.New) { // OpenAPI 3.0 exclusiveMaximum/Minimum
		return flagEffect(c, tighter)
	}
	switch direction(c) {
	case "increased":
		if smallerIsTighter {
			return looser
		}
		return tighter
	case "decreased":
		if smallerIsTighter {
			return tighter
		}
		return looser
	}
	return altered
}

func isBool(s string) bool { return s == "true" || s == "false" }

// flagEffect: the flag turned on has effect on; turned off the opposite.
func flagEffect(c *model.Change, on effect) effect {
	nowOn := c.New == "true"
	if nowOn == (c.Original == "true") {
		return neutral
	}
	if nowOn {
		return on
	}
	if on == tighter {
		return looser
	}
	return tighter
}

func restrictEffect(c *model.Change) effect {
	switch {
	case added(c):
		return tighter
	case removed(c):
		return looser
	}
	return altered
}

// memberEffect: adding a oneOf/anyOf member widens, an allOf member narrows.
func memberEffect(c *model.Change, whenAdded effect) effect {
	switch {
	case added(c):
		return whenAdded
	case removed(c):
		if whenAdded == tighter {
			return looser
		}
		return tighter
	}
	return altered
}

func multipleOfEffect(c *model.Change) effect {
	if added(c) || removed(c) {
		return restrictEffect(c)
	}
	a, errA := strconv.ParseFloat(c.Original, 64)
	b, errB := strconv.ParseFloat(c.New, 64)
	switch {
	case errA != nil || errB != nil || a == 0 || b == 0:
		return altered
	case isMultiple(b, a):
		return tighter
	case isMultiple(a, b):
		return looser
	}
	return altered
}

func isMultiple(x, of float64) bool {
	q := x / of
	return math.Abs(q-math.Round(q)) < 1e-9
}

// typeEffect compares type sets; number includes integer.
func typeEffect(before, after string) effect {
	a, b := typeSet(before), typeSet(after)
	switch {
	case len(a) == 0 && len(b) == 0:
		return altered
	case len(a) == 0:
		return tighter
	case len(b) == 0:
		return looser
	}
	aInB, bInA := covers(b, a), covers(a, b)
	switch {
	case aInB && bInA:
		return neutral
	case aInB:
		return looser
	case bInA:
		return tighter
	}
	return altered
}

func typeSet(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z') })
}

// covers reports whether every type in sub is valid under super.
func covers(super, sub []string) bool {
	for _, t := range sub {
		if !slices.Contains(super, t) && !(t == "integer" && slices.Contains(super, "number")) {
			return false
		}
	}
	return true
}
