package speclint

func mediaDoc(schema, example string) string {
	return wrap(`  /things:
    post:
      operationId: postThing
      summary: Create
      requestBody:
        required: true
        content:
          application/json:
            schema:
`+indent(schema, 14)+`
            example:
`+indent(example, 14)+`
      responses:
        '201': {description: Created}
        '400': {description: Bad}
`, "  schemas: {}")
}

func respDoc(code, schema, example string) string {
	return wrap(`  /things:
    get:
      operationId: getThings
      summary: List
      responses:
        '200': {description: OK}
        '`+code+`':
          description: Error
          content:
            application/json:
              schema:
`+indent(schema, 16)+`
              example:
`+indent(example, 16)+`
`, "  schemas: {}")
}

func exampleCases() []ruleCase {
	obj := "type: object\nrequired: [n]\nproperties:\n  n: {type: integer, maximum: 5}\n  s: {type: string, maxLength: 3}"
	return []ruleCase{
		{"type", "example-invalid", mediaDoc(obj, "{n: 'x'}"), true, "/paths/~1things/post/requestBody/content/application~1json/example/n"},
		{"maximum", "example-invalid", mediaDoc(obj, "{n: 9}"), true, ""},
		{"required", "example-invalid", mediaDoc(obj, "{s: ab}"), true, ""},
		{"maxLength", "example-invalid", mediaDoc(obj, "{n: 1, s: abcd}"), true, ""},
		{"oneOf-none", "example-invalid", mediaDoc("oneOf: [{type: integer}, {type: boolean}]", "x"), true, ""},
		{"schema-example", "example-invalid", schemaDoc("type: integer\nexample: abc"), true, "/components/schemas/S/example"},
		{"valid", "example-invalid", mediaDoc(obj, "{n: 1, s: abc}"), false, ""},
		{"nullable", "example-invalid", mediaDoc("type: string\nnullable: true", "null"), false, ""},
		{"disjoint", "example-contradicts-schema", mediaDoc("type: object\nproperties:\n  errors: {type: array}", "{message: x, code: 1}"), true, ""},
		{"shared", "example-contradicts-schema", mediaDoc("type: object\nproperties:\n  errors: {type: array}", "{errors: []}"), false, ""},
		{"extra", "example-undeclared-property", mediaDoc("type: object\nproperties:\n  a: {type: string}", "{a: x, b: y}"), true, ""},
		{"allOf-declared", "example-undeclared-property", mediaDoc("allOf:\n  - {type: object, properties: {a: {type: string}}}\n  - {type: object, properties: {b: {type: string}}}", "{a: x, b: y}"), false, ""},
		{"deprecated", "example-uses-deprecated", mediaDoc("type: object\nproperties:\n  old: {type: string, deprecated: true}\n  new: {type: string}", "{old: x}"), true, ""},
		{"not-deprecated", "example-uses-deprecated", mediaDoc("type: object\nproperties:\n  old: {type: string, deprecated: true}\n  new: {type: string}", "{new: x}"), false, ""},
		{"429-says-500", "example-status-mismatch", respDoc("429", "type: object\nproperties:\n  statusCode: {type: integer}", "{statusCode: 500}"), true, ""},
		{"429-says-429", "example-status-mismatch", respDoc("429", "type: object\nproperties:\n  statusCode: {type: integer}", "{statusCode: 429}"), false, ""},
		{"open", "error-schema-open", respDoc("400", "type: object\nproperties:\n  code: {type: string}", "{code: x}"), true, ""},
		{"required", "error-schema-open", respDoc("400", "type: object\nrequired: [code]\nproperties:\n  code: {type: string}", "{code: x}"), false, ""},
		{"closed", "error-schema-open", respDoc("400", "type: object\nadditionalProperties: false\nproperties:\n  code: {type: string}", "{code: x}"), false, ""},
		{"default-bad", "default-invalid", schemaDoc("type: string\nenum: [a, b]\ndefault: c"), true, ""},
		{"default-ok", "default-invalid", schemaDoc("type: string\nenum: [a, b]\ndefault: a"), false, ""},
	}
}

func patternCases() []ruleCase {
	pat := func(p string) string { return schemaDoc("type: string\npattern: '" + p + "'") }
	patEx := func(p, ex string) string {
		return schemaDoc("type: string\npattern: '" + p + "'\nexample: '" + ex + "'")
	}
	return []ruleCase{
		{"both-reject", "pattern-invalid", pat(`^(a$`), true, "/components/schemas/S/pattern"},
		{"possessive", "pattern-invalid", pat(`^a*+$`), true, ""},
		{"fine", "pattern-invalid", pat(`^a+$`), false, ""},
		{"lookahead", "pattern-rejected-by-go", pat(`^(?=.*\d)[a-z\d]+$`), true, ""},
		{"backreference", "pattern-rejected-by-go", pat(`^(a)\1$`), true, ""},
		{"unicode-escape", "pattern-rejected-by-go", pat(`^\u00e9$`), true, ""},
		{"repeat-over-1000", "pattern-rejected-by-go", pat(`^a{1,2000}$`), true, ""},
		{"portable", "pattern-rejected-by-go", pat(`^[a-z]\d+$`), false, ""},
		{"inline-flag", "pattern-rejected-by-ecma", pat(`(?i)^abc$`), true, ""},
		{"backslash-Z", "pattern-invalid", pat(`^abc\Z`), true, ""},
		{"backslash-A", "pattern-rejected-by-ecma", pat(`\Aabc$`), true, ""},
		{"identity-escape", "pattern-rejected-by-ecma", pat(`^a\@b$`), true, ""},
		{"lone-bracket", "pattern-rejected-by-ecma", pat(`^\[1-9]$`), true, ""},
		{"escaped-ok", "pattern-rejected-by-ecma", pat(`^\[x\]\.$`), false, ""},
		{"posix", "pattern-dialect-differs", pat(`^[[:alpha:]]+$`), true, ""},
		{"plain", "pattern-dialect-differs", pat(`^[a-z]+$`), false, ""},
		{"escaped-class", "pattern-escaped-bracket", pat(`^\[1-9]\d$`), true, ""},
		{"literal-bracket", "pattern-escaped-bracket", pat(`^\[x\]$`), false, ""},
		{"double", "pattern-double-escaped", pat(`^\\d+$`), true, ""},
		{"single", "pattern-double-escaped", pat(`^\d+$`), false, ""},
		{"space-to-underscore", "pattern-wide-range", pat(`^[ -_a-z]*$`), true, ""},
		{"hyphen-last", "pattern-wide-range", pat(`^[ _a-z-]*$`), false, ""},
		{"unanchored", "pattern-unanchored", pat(`[a-z]{1,5}`), true, ""},
		{"anchored", "pattern-unanchored", pat(`^[a-z]{1,5}$`), false, ""},
		{"no-match", "pattern-rejects-example", patEx(`^[0-9]+$`, `12a`), true, "/components/schemas/S/example"},
		{"match", "pattern-rejects-example", patEx(`^[0-9]+$`, `123`), false, ""},
		// \s: ECMA counts NBSP as whitespace, RE2 does not.
		{"nbsp", "pattern-dialect-mismatch", schemaDoc("type: string\npattern: '^a\\sb$'\nexample: \"a\\u00a0b\""), true, ""},
		{"ascii-space", "pattern-dialect-mismatch", patEx(`^a\sb$`, `a b`), false, ""},
	}
}

func schemaCases() []ruleCase {
	return []ruleCase{
		{"none", "format-unknown", schemaDoc("type: string\nformat: none"), true, "/components/schemas/S/format"},
		{"uri", "format-unknown", schemaDoc("type: string\nformat: uri"), false, ""},
		{"int32-number", "format-type-mismatch", schemaDoc("type: number\nformat: int32"), true, ""},
		{"uuid-integer", "format-type-mismatch", schemaDoc("type: integer\nformat: uuid"), true, ""},
		{"int32-integer", "format-type-mismatch", schemaDoc("type: integer\nformat: int32"), false, ""},
		{"min-over-max", "limits-contradict", schemaDoc("type: string\nminLength: 5\nmaxLength: 3"), true, "/components/schemas/S/maxLength"},
		{"ordered", "limits-contradict", schemaDoc("type: string\nminLength: 3\nmaxLength: 5"), false, ""},
		{"undefined", "required-undefined", schemaDoc("type: object\nrequired: [b]\nproperties:\n  a: {type: string}"), true, ""},
		{"defined", "required-undefined", schemaDoc("type: object\nrequired: [a]\nproperties:\n  a: {type: string}"), false, ""},
		{"deprecated-vs-replacement", "conflicting-limits", wrap(okOp, `  schemas:
    E164: {type: string, description: Phone in E.164., pattern: '^\+[1-9]\d{1,14}$', maxLength: 16}
    Dest:
      type: object
      properties:
        to: {type: string, deprecated: true, pattern: '^\+[1-9]\d{1,14}$', maxLength: 15}
        destination: {$ref: '#/components/schemas/E164'}`), true, "/components/schemas/Dest/properties/to/maxLength"},
		{"same-limits", "conflicting-limits", wrap(okOp, `  schemas:
    E164: {type: string, pattern: '^\+[1-9]\d{1,14}$', maxLength: 16}
    Dest:
      type: object
      properties:
        to: {type: string, deprecated: true, pattern: '^\+[1-9]\d{1,14}$', maxLength: 16}
        destination: {$ref: '#/components/schemas/E164'}`), false, ""},
		{"same-name-same-pattern", "conflicting-limits", wrap(okOp, `  schemas:
    A: {type: object, properties: {code: {type: string, pattern: '^[A-Z]{3}$', maxLength: 3}}}
    B: {type: object, properties: {code: {type: string, pattern: '^[A-Z]{3}$', maxLength: 4}}}`), true, ""},
		{"mime-lists", "enum-mismatch", wrap(okOp, `  schemas:
    Mime: {type: string, enum: [image/png, image/jpeg, audio/mp3, video/mp4]}
  requestBodies:
    Up:
      content:
        multipart/form-data:
          schema: {type: object, properties: {file: {type: string, format: binary}}}
          encoding:
            file: {contentType: 'image/png, image/jpeg, audio/mp4, video/mp4'}`), true, ""},
		{"same-name-enums", "enum-mismatch", wrap(okOp, `  schemas:
    A: {type: object, properties: {status: {type: string, enum: [sent, read, failed]}}}
    B: {type: object, properties: {status: {type: string, enum: [sent, read, deleted]}}}`), true, ""},
		{"subset", "enum-mismatch", wrap(okOp, `  schemas:
    A: {type: object, properties: {status: {type: string, enum: [sent, read, failed]}}}
    B: {type: object, properties: {status: {type: string, enum: [sent, read]}}}`), false, ""},
		{"unused", "component-unused", wrap(okOp, "  schemas:\n    Lonely: {type: string}"), true, "/components/schemas/Lonely"},
		{"used", "component-unused", wrap(okOp+"      parameters:\n        - {name: q, in: query, schema: {$ref: '#/components/schemas/Q'}}\n", "  schemas:\n    Q: {type: string}"), false, ""},
		{"dangling", "ref-missing", wrap(okOp+"      parameters:\n        - {name: q, in: query, schema: {$ref: '#/components/schemas/Nope'}}\n", "  schemas: {}"), true, ""},
		{"external", "ref-missing", wrap(okOp+"      parameters:\n        - {name: q, in: query, schema: {$ref: 'other.yaml#/Q'}}\n", "  schemas: {}"), false, ""},
		{"external", "ref-external", wrap(okOp+"      parameters:\n        - {name: q, in: query, schema: {$ref: 'other.yaml#/Q'}}\n", "  schemas: {}"), true, ""},
		{"local", "ref-external", wrap(okOp, "  schemas: {}"), false, ""},
	}
}
