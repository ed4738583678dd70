package speclint

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// schema checks a schema definition once and recurses into its
// subschemas; $refs are not followed (their targets are checked where
// they are defined).
func (l *linter) schema(n *yaml.Node, p string) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode || get(n, "$ref") != nil || !l.once("schema", p) {
		return
	}
	l.checkFormat(n, p)
	l.checkPattern(n, p)
	l.checkLimits(n, p)
	l.checkRequired(n, p)
	l.cons.addSchema(l, n, p)
	if ex := get(n, "example"); ex != nil {
		l.checkExample(ex, join(p, "example"), n, p, "example-invalid")
	}
	if l.v31 {
		for i, ex := range items(get(n, "examples")) {
			l.checkExample(ex, join(p, "examples", strconv.Itoa(i)), n, p, "example-invalid")
		}
	}
	if d := get(n, "default"); d != nil {
		l.checkExample(d, join(p, "default"), n, p, "default-invalid")
	}
	l.subschemas(n, p)
}

func (l *linter) subschemas(n *yaml.Node, p string) {
	for _, kw := range []string{"properties", "patternProperties", "$defs", "definitions"} {
		each(get(n, kw), func(k string, s *yaml.Node) { l.schema(s, join(p, kw, k)) })
	}
	for _, kw := range []string{"items", "additionalProperties", "not", "contains", "propertyNames", "additionalItems"} {
		if s := get(n, kw); s != nil && s.Kind == yaml.MappingNode {
			l.schema(s, join(p, kw))
		}
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf", "prefixItems"} {
		for i, s := range items(get(n, kw)) {
			l.schema(s, join(p, kw, strconv.Itoa(i)))
		}
	}
}

// formatTypes is the OpenAPI Format Registry (plus JSON Schema's
// formats): each format with the JSON types it applies to.
var formatTypes = map[string]string{
	"int8": "integer", "int16": "integer", "int32": "integer", "int64": "integer",
	"uint8": "integer", "uint16": "integer", "uint32": "integer", "uint64": "integer",
	"float": "number", "double": "number", "decimal": "number string", "decimal128": "number string",
	"byte": "string", "binary": "string", "base64url": "string", "char": "string", "password": "string",
	"date": "string", "date-time": "string", "time": "string", "duration": "string", "http-date": "string",
	"email": "string", "idn-email": "string", "hostname": "string", "idn-hostname": "string",
	"ipv4": "string", "ipv6": "string", "uri": "string", "uri-reference": "string", "iri": "string",
	"iri-reference": "string", "uri-template": "string", "json-pointer": "string",
	"relative-json-pointer": "string", "regex": "string", "uuid": "string", "commonmark": "string",
	"html": "string", "media-range": "string", "sf-binary": "string", "sf-boolean": "string",
	"sf-decimal": "string", "sf-integer": "string", "sf-string": "string", "sf-token": "string",
}

// formatHints suggests a registry format for common invented ones.
var formatHints = map[string]string{
	"none": "omit `format`", "string": "omit `format`", "text": "omit `format`",
	"url": "use `uri`", "base64": "use `byte` (base64 text) or `binary` (raw bytes)",
	"datetime": "use `date-time`", "timestamp": "use `date-time`", "int": "use `int32` or `int64`",
	"integer": "use `int32` or `int64`", "long": "use `int64`", "guid": "use `uuid`",
	"phone": "use `pattern` instead", "e164": "use `pattern` instead",
}

// checkFormat reports formats outside the registry and formats that do not
// fit the type.
func (l *linter) checkFormat(n *yaml.Node, p string) {
	f := str(n, "format")
	if f == "" {
		return
	}
	fp := join(p, "format")
	types, known := formatTypes[f]
	if !known {
		hint := formatHints[strings.ToLower(f)]
		if hint == "" {
			hint = "tools ignore unknown formats, so it validates nothing"
		}
		l.add("format-unknown", Warning, fp, "", "format %q is not in the OpenAPI format registry: %s", f, hint)
		return
	}
	t := str(n, "type")
	if t == "" || strings.Contains(types, t) {
		return
	}
	l.add("format-type-mismatch", Warning, fp, "", "format %q applies to type %s, but the type is %s", f, strings.ReplaceAll(types, " ", " or "), t)
}

var limitPairs = [][2]string{{"minLength", "maxLength"}, {"minimum", "maximum"}, {"minItems", "maxItems"}, {"minProperties", "maxProperties"}}

// checkLimits reports min > max pairs and negative lengths.
func (l *linter) checkLimits(n *yaml.Node, p string) {
	for _, pr := range limitPairs {
		lo, ok1 := num(n, pr[0])
		hi, ok2 := num(n, pr[1])
		if ok1 && ok2 && hi < lo {
			l.add("limits-contradict", Error, join(p, pr[1]), join(p, pr[0]), "%s %v is below %s %v: no value is valid", pr[1], hi, pr[0], lo)
		}
	}
	for _, kw := range []string{"maxLength", "minLength", "maxItems", "minItems"} {
		if v, ok := num(n, kw); ok && v < 0 {
			l.add("limits-contradict", Error, join(p, kw), "", "%s is negative (%v)", kw, v)
		}
	}
}

// checkRequired reports required properties the schema does not define.
func (l *linter) checkRequired(n *yaml.Node, p string) {
	props := get(n, "properties")
	if props == nil || get(n, "allOf") != nil || get(n, "anyOf") != nil || get(n, "oneOf") != nil || strings.Contains(p, "/allOf/") {
		return
	}
	closed := false
	if a := get(n, "additionalProperties"); a != nil && a.Value == "false" {
		closed = true
	}
	for i, r := range items(get(n, "required")) {
		if get(props, r.Value) != nil {
			continue
		}
		rp := join(p, "required", strconv.Itoa(i))
		if closed {
			l.add("required-undefined", Error, rp, "", "required property %q is not in `properties` and additionalProperties is false: no object is valid", r.Value)
		} else {
			l.add("required-undefined", Warning, rp, "", "required property %q is not defined in `properties`, so its type and limits are unknown", r.Value)
		}
	}
}
