package reindent

// Keywords that only make sense for one schema type: a schema whose `type`
// says otherwise cannot take them, so they belong to an enclosing schema.
// Constraints on scalars (pattern, minimum, …) are left out: the spec puts
// some on the wrong type (`pattern` on an integer, `minimum` on a string),
// and they are never what closes a nested schema.
var typedKeywords = map[string]string{
	"properties": "object", "additionalProperties": "object", "required": "object",
	"minProperties": "object", "maxProperties": "object", "discriminator": "object",
	"items": "array", "minItems": "array", "maxItems": "array", "uniqueItems": "array",
}

// refSiblings are the keys a schema with `$ref` also takes: annotations
// only. Anything structural next to a $ref belongs to an enclosing schema.
var refSiblings = map[string]bool{
	"$ref": true, "description": true, "example": true, "title": true, "deprecated": true,
	"nullable": true, "readOnly": true, "writeOnly": true, "default": true,
}

// annotations are the keys that describe a schema rather than constrain it.
var annotations = map[string]bool{"description": true, "example": true, "title": true, "default": true}

// schemaKinds builds the OpenAPI 3.0 Schema object type, and two variants
// for where the spec's conventions say more:
//   - media: the schema of a request or response body. The spec writes
//     these as a bare `$ref`; a `description` after it is the body's.
//   - addl: the value of `additionalProperties`. The spec writes these as
//     a bare `type`; a `description` or `example` after it describes the
//     whole map, not its values.
func schemaKinds() (schema, media, addl *kind) {
	s := schemaKind()
	media = variant(s, "MediaSchema", func(o *object, key string) bool { return !o.has("$ref") })
	addl = variant(s, "AdditionalProperties", func(o *object, key string) bool { return !annotations[key] })
	s.fields["additionalProperties"] = objOrBool(addl)
	return s, media, addl
}

// variant is s with an extra soft check.
func variant(s *kind, name string, extra func(o *object, key string) bool) *kind {
	v := *s
	v.name = name
	v.fits = func(o *object, key string, l, next line) bool {
		return extra(o, key) && s.fits(o, key, l, next)
	}
	return &v
}

// schemaKind builds the OpenAPI 3.0 Schema object type.
func schemaKind() *kind {
	s := &kind{name: "Schema", fits: schemaFits, after: requiredFits, done: nonEmpty}
	disc := &kind{name: "Discriminator", fields: fields("propertyName",
		map[string]*val{"mapping": objVal(mapOf(scalarVal))})}
	s.fields = fields("$ref title multipleOf maximum exclusiveMaximum minimum exclusiveMinimum "+
		"maxLength minLength pattern maxItems minItems uniqueItems maxProperties minProperties "+
		"type description format nullable readOnly writeOnly deprecated",
		map[string]*val{
			"required": strList, "enum": anyList, "allOf": listOf(s), "oneOf": listOf(s),
			"anyOf": listOf(s), "not": objVal(s), "items": objVal(s),
			"properties": objVal(&kind{name: "properties", each: objVal(s), local: "schemas"}), "additionalProperties": objOrBool(s),
			"default": anyVal, "example": anyVal, "discriminator": objVal(disc),
			"externalDocs": objVal(&kind{name: "ExternalDocs", fields: fields("description url", nil)}),
			"xml":          objVal(&kind{name: "XML", fields: fields("name namespace prefix attribute wrapped", nil)}),
		})
	return s
}

// schemaFits vetoes keywords that contradict the schema's `type`, and a
// `type` that contradicts keywords already taken.
func schemaFits(o *object, key string, l, next line) bool {
	typ := o.inline["type"]
	if o.has("$ref") && !refSiblings[key] || key == "$ref" && !refOK(o) {
		return false
	}
	if key == "type" {
		for _, k := range o.keys {
			if !typeAllows(l.value, k) {
				return false
			}
		}
		return true
	}
	if typ != "" && !typeAllows(typ, key) {
		return false
	}
	if key == "example" || key == "default" {
		return exampleFits(typ, l, next)
	}
	return true
}

// requiredFits vetoes a `required` list naming a property the schema,
// which already has its properties, does not have: the list is an
// enclosing schema's.
func requiredFits(o *object, key string, r result) bool {
	props := o.kids["properties"]
	if key != "required" || props == nil {
		return true
	}
	for _, name := range r.items {
		if !props.has(name) {
			return false
		}
	}
	return true
}

// refOK reports whether a schema may take `$ref` after what it holds.
func refOK(o *object) bool {
	for _, k := range o.keys {
		if !refSiblings[k] {
			return false
		}
	}
	return true
}

// typeAllows reports whether a schema of type typ may have keyword key.
func typeAllows(typ, key string) bool {
	want, ok := typedKeywords[key]
	switch {
	case !ok:
		return true
	}
	return typ == want
}

// exampleFits reports whether an example or default written as l (followed
// by next) suits a schema of type typ: a block mapping needs an object, a
// block sequence an array.
func exampleFits(typ string, l, next line) bool {
	if l.value != "" {
		return true
	}
	if next.key == "$ref" && next.dashes == 0 {
		return false // {$ref: …} is a schema: a property named `example`
	}
	if typ == "" {
		return true
	}
	if next.dashes > 0 {
		return typ == "array"
	}
	return typ == "object"
}
