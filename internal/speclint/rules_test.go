package speclint

import (
	"strings"
	"testing"
)

// wrap builds a small spec around paths and components (both YAML,
// indented by two spaces under their key).
func wrap(paths, components string) string {
	return "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n" +
		"paths:\n" + paths + "\ncomponents:\n" + components + "\n"
}

// op is a minimal well-formed operation under /things.
const okOp = `  /things:
    get:
      operationId: getThings
      summary: List things
      responses:
        '200': {description: OK}
        '400': {description: Bad}
`

func schemaDoc(schema string) string {
	return wrap(okOp, "  schemas:\n    S:\n"+indent(schema, 6))
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

func lintString(t *testing.T, doc string) []Finding {
	t.Helper()
	r, err := Lint(Input{Path: "t.yaml", Data: []byte(doc)}, Options{})
	if err != nil {
		t.Fatalf("Lint: %v\n%s", err, doc)
	}
	return r.Findings
}

func hasCode(fs []Finding, code string) (Finding, bool) {
	for _, f := range fs {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func TestCleanSpecHasNoFindings(t *testing.T) {
	doc := wrap(`  /things/{id}:
    get:
      operationId: getThing
      summary: Get a thing
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z0-9]{1,10}$'}, example: abc1}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {id: abc1, size: 3}
        '400':
          description: Bad request
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
              example: {code: bad_request, status: 400}
`, `  securitySchemes:
    basic: {type: http, scheme: basic, description: HTTP Basic with your account id and API key}
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string, maxLength: 10}
        size: {type: integer, format: int32, minimum: 0}
    Error:
      type: object
      required: [code]
      properties:
        code: {type: string}
        status: {type: integer}`) + "security: [{basic: []}]\ntags: [{name: things, description: Things}]\n"
	if fs := lintString(t, doc); len(fs) != 0 {
		for _, f := range fs {
			t.Errorf("unexpected: %s", f)
		}
	}
}

// ruleCase is one positive or negative case of a rule.
type ruleCase struct {
	name, code string
	doc        string
	want       bool
	// pointer, when set, is where the finding must be.
	pointer string
}

func TestRules(t *testing.T) {
	var cases []ruleCase
	cases = append(cases, exampleCases()...)
	cases = append(cases, patternCases()...)
	cases = append(cases, schemaCases()...)
	cases = append(cases, operationCases()...)
	cases = append(cases, cycleCases()...)
	covered := map[string][2]bool{}
	for _, c := range cases {
		t.Run(c.code+"/"+c.name, func(t *testing.T) {
			f, got := hasCode(lintString(t, c.doc), c.code)
			if got != c.want {
				t.Fatalf("finding %s present=%v, want %v\n%s", c.code, got, c.want, c.doc)
			}
			if got && c.pointer != "" && f.Pointer != c.pointer {
				t.Errorf("pointer %s, want %s", f.Pointer, c.pointer)
			}
			if got && (f.Location.Line == 0 || f.Message == "" || strings.Contains(f.Message, "\n")) {
				t.Errorf("finding lacks a location or one-line message: %+v", f)
			}
		})
		pn := covered[c.code]
		if c.want {
			pn[0] = true
		} else {
			pn[1] = true
		}
		covered[c.code] = pn
	}
	for code, pn := range covered {
		if !pn[0] || !pn[1] {
			t.Errorf("rule %s needs a positive and a negative case (have %v)", code, pn)
		}
	}
}
