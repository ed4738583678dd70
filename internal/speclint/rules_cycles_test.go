package speclint

import (
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

func twoSchemas(a, b string) string {
	return wrap(okOp, "  schemas:\n    A:\n"+indent(a, 6)+"\n    B:\n"+indent(b, 6))
}

func cycleCases() []ruleCase {
	tree := "type: object\nproperties:\n  kids:\n    type: array\n    items: {$ref: '#/components/schemas/S'}"
	v31 := strings.Replace(schemaDoc("type: string\nconst: x"), "openapi: 3.0.3", "openapi: 3.1.0", 1)
	return []ruleCase{
		{"a-b-a", "ref-loop", twoSchemas("$ref: '#/components/schemas/B'", "$ref: '#/components/schemas/A'"), true, "/components/schemas/A/$ref"},
		{"chain", "ref-loop", twoSchemas("$ref: '#/components/schemas/B'", "type: string"), false, ""},
		{"allOf-self", "schema-cycle-unsatisfiable", schemaDoc("allOf:\n  - $ref: '#/components/schemas/S'"), true, "/components/schemas/S"},
		{"required-self", "schema-cycle-unsatisfiable", schemaDoc("type: object\nrequired: [next]\nproperties:\n  next: {$ref: '#/components/schemas/S'}"), true, ""},
		{"non-empty-array-of-itself", "schema-cycle-unsatisfiable", schemaDoc("type: array\nminItems: 1\nitems: {$ref: '#/components/schemas/S'}"), true, ""},
		{"tree", "schema-cycle-unsatisfiable", schemaDoc(tree), false, ""},
		{"anyOf-self", "schema-cycle-unbounded", schemaDoc("anyOf:\n  - type: string\n  - $ref: '#/components/schemas/S'"), true, "/components/schemas/S"},
		{"oneOf-allOf-pair", "schema-cycle-unbounded", twoSchemas("type: object\noneOf:\n  - $ref: '#/components/schemas/B'\n  - type: object", "allOf:\n  - $ref: '#/components/schemas/A'\n  - required: [x]"), true, "/components/schemas/A"},
		{"tree", "schema-cycle-unbounded", schemaDoc(tree), false, ""},
		{"3.1", "openapi-31-unchecked", v31, true, "/openapi"},
		{"3.0", "openapi-31-unchecked", schemaDoc("type: string"), false, ""},
	}
}

// modicaWith is the embedded Modica spec with extra component schemas
// and a property of the PATCH /messages request body pointing at ref.
func modicaWith(t *testing.T, schemas, ref string) []byte {
	t.Helper()
	s := string(modicaspec.Published())
	const comp = "  schemas:\n    APIErrorResponse:"
	const prop = "              message_id:\n                $ref: '#/components/schemas/Uuid'\n"
	if !strings.Contains(s, comp) || !strings.Contains(s, prop) {
		t.Fatal("the embedded spec changed: update modicaWith")
	}
	s = strings.Replace(s, comp, "  schemas:\n"+schemas+"    APIErrorResponse:", 1)
	return []byte(strings.Replace(s, prop, prop+"              extra:\n                $ref: '"+ref+"'\n", 1))
}

// TestLintReportsSchemaCycles: `spec lint` said nothing about a schema
// cycle that crashed every other command, nor about a $ref loop.
func TestLintReportsSchemaCycles(t *testing.T) {
	for _, tt := range []struct {
		name, schemas, ref, code, at string
	}{
		{"allOf self-reference", "    Loop:\n      allOf:\n        - $ref: '#/components/schemas/Loop'\n", "#/components/schemas/Loop",
			"schema-cycle-unsatisfiable", "modica.yaml:307:5"},
		{"plain $ref loop", "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n", "#/components/schemas/A",
			"ref-loop", "modica.yaml:308:7"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Lint(Input{Path: "modica.yaml", Data: modicaWith(t, tt.schemas, tt.ref)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f, ok := hasCode(r.Findings, tt.code)
			if !ok || f.Severity != Error || f.Location.String() != tt.at {
				t.Fatalf("expected an error %s at %s, got %+v (found: %v)", tt.code, tt.at, f, ok)
			}
			if r.Summary.ByCode[tt.code] != 1 {
				t.Errorf("expected one %s finding, got %d", tt.code, r.Summary.ByCode[tt.code])
			}
		})
	}
}
