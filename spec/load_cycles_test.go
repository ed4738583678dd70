package spec

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// modicaWith returns the path of a copy of the embedded Modica spec with
// extra component schemas (YAML indented for components.schemas) and a
// property `extra` pointing at ref in the PATCH /messages request body.
func modicaWith(t *testing.T, schemas, ref string) string {
	t.Helper()
	data, err := Embedded(modicaSource.Name)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	const comp = "  schemas:\n    APIErrorResponse:"
	const prop = "              message_id:\n                $ref: '#/components/schemas/Uuid'\n"
	if !strings.Contains(s, comp) || !strings.Contains(s, prop) {
		t.Fatal("the embedded spec changed: update modicaWith")
	}
	s = strings.Replace(s, comp, "  schemas:\n"+schemas+"    APIErrorResponse:", 1)
	s = strings.Replace(s, prop, prop+"              extra:\n                $ref: '"+ref+"'\n", 1)
	return writeFile(t, "modica-extra.yaml", s)
}

// oneLineLoadError checks err is a spec LoadError on one line naming path
// and containing every want.
func oneLineLoadError(t *testing.T, err error, path string, want ...string) {
	t.Helper()
	var le *LoadError
	if !errors.As(err, &le) || le.Input != "spec" {
		t.Fatalf("expected a spec LoadError, got %v", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, path+":") {
		t.Errorf("expected one line starting with %s:, got %q", path, msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("expected the error to contain %q, got %q", w, msg)
		}
	}
}

// TestPlainRefLoopIsAConfigError: A: {$ref: B}, B: {$ref: A} loaded
// without complaint, and every message was then blamed on the target
// ("found unresolved ref").
func TestPlainRefLoopIsAConfigError(t *testing.T) {
	path := modicaWith(t, "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
		"#/components/schemas/A")
	_, err := Load(Options{File: path, Errata: ErrataNone})
	oneLineLoadError(t, err, path, ":308:7:", "$ref loop", "#/components/schemas/A → #/components/schemas/B → #/components/schemas/A")
}

// TestSchemaCycleThroughAllOfIsAConfigError: Loop: {allOf: [Loop]} has no
// base case: no finite value satisfies it. It crashed every command that
// built a validator.
func TestSchemaCycleThroughAllOfIsAConfigError(t *testing.T) {
	path := modicaWith(t, "    Loop:\n      allOf:\n        - $ref: '#/components/schemas/Loop'\n", "#/components/schemas/Loop")
	_, err := Load(Options{File: path, Errata: ErrataNone})
	oneLineLoadError(t, err, path, ":307:5:", "#/components/schemas/Loop", "allOf/0", "no finite value")
}

func TestSchemaCycleThroughRequiredPropertyIsAConfigError(t *testing.T) {
	path := modicaWith(t, `    Chain:
      type: object
      required: [next]
      properties:
        next:
          $ref: '#/components/schemas/Chain'
`, "#/components/schemas/Chain")
	_, err := Load(Options{File: path, Errata: ErrataNone})
	oneLineLoadError(t, err, path, "#/components/schemas/Chain", "properties/next")
}

// TestRecursiveTreeLoads: cycles with a way out are fine.
func TestRecursiveTreeLoads(t *testing.T) {
	for name, schemas := range map[string]string{
		"typed tree": `    Tree:
      type: object
      properties:
        name: {type: string}
        children:
          type: array
          items:
            $ref: '#/components/schemas/Tree'
`,
		"untyped map": `    Tree:
      additionalProperties:
        $ref: '#/components/schemas/Tree'
      properties:
        name: {type: string}
`,
		"anyOf with a base case": `    Tree:
      anyOf:
        - type: string
        - type: array
          items:
            $ref: '#/components/schemas/Tree'
`,
	} {
		t.Run(name, func(t *testing.T) {
			d, err := Load(Options{File: modicaWith(t, schemas, "#/components/schemas/Tree"), Errata: ErrataNone})
			if err != nil {
				t.Fatalf("expected the spec to load, got %v", err)
			}
			if d.T.Components.Schemas["Tree"].Value == nil {
				t.Fatal("expected Tree to be resolved")
			}
		})
	}
}

// TestSchemaDefaultOnUntypedCycleDoesNotCrash: kin-openapi checks every
// schema's default while validating the document, and its Schema.IsEmpty
// recursed forever on a cycle of schemas without `type`.
func TestSchemaDefaultOnUntypedCycleDoesNotCrash(t *testing.T) {
	path := modicaWith(t, `    Tree:
      additionalProperties:
        $ref: '#/components/schemas/Tree'
      properties:
        name: {type: string}
      default: {}
`, "#/components/schemas/Tree")
	d, err := Load(Options{File: path, Errata: ErrataNone})
	if err != nil {
		t.Fatalf("expected the spec to load, got %v", err)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "defaults") {
		t.Errorf("expected a warning that defaults were not checked, got %q", d.Warnings)
	}
}

// TestRefSiblingIntoUntypedCycleIsAConfigError: in OpenAPI 3.1,
// kin-openapi's loader calls Schema.IsEmpty on the keywords next to a
// $ref, which recursed forever when they led into a cycle of schemas
// without `type`.
func TestRefSiblingIntoUntypedCycleIsAConfigError(t *testing.T) {
	path := writeFile(t, "sib.yaml", `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Loop:
      properties:
        next:
          $ref: '#/components/schemas/Loop'
    Root:
      $ref: '#/components/schemas/Loop'
      allOf:
        - $ref: '#/components/schemas/Loop'
`)
	_, err := Load(Options{File: path})
	oneLineLoadError(t, err, path, "#/components/schemas/Root", "#/components/schemas/Loop")
}

// chainSpec is a document whose n component schemas each refer to the
// next through a property, the last closing the ring when ring is set.
func chainSpec(n int, ring bool, via string) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n")
	for i := 0; i < n; i++ {
		next := i + 1
		if ring {
			next %= n
		}
		if next == n {
			fmt.Fprintf(&b, "    S%d: {type: string}\n", i)
			continue
		}
		fmt.Fprintf(&b, "    S%d: {%s}\n", i, strings.ReplaceAll(via, "NEXT", fmt.Sprintf("'#/components/schemas/S%d'", next)))
	}
	return b.String()
}

// TestScanSchemasIndexesLargeMappings: $refs into a mapping of more than
// 32 entries go through an index; loops among them are still found.
func TestScanSchemasIndexesLargeMappings(t *testing.T) {
	doc := chainSpec(40, true, "$ref: NEXT")
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	sc := ScanSchemas(&root)
	if len(sc.RefLoops) != 1 || len(sc.RefLoops[0].Chain) != 40 || sc.RefLoops[0].Chain[0] != "/components/schemas/S0" {
		t.Fatalf("expected one loop through the 40 schemas, got %+v", sc.RefLoops)
	}
	if sc.ComponentSchemas != 40 {
		t.Errorf("expected 40 component schemas, got %d", sc.ComponentSchemas)
	}
}

// TestLoadBoundsKinValidationWork: kin-openapi's document validation walks
// everything reachable from each component schema anew; on a long chain of
// schemas that took minutes, so it is skipped past a bound.
func TestLoadBoundsKinValidationWork(t *testing.T) {
	path := writeFile(t, "chain.yaml", chainSpec(2500, false, "properties: {x: {$ref: NEXT}}"))
	d, err := Load(Options{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(d.Warnings, "\n"); !strings.Contains(w, "validation skipped") || !strings.Contains(w, "2500 component schemas") {
		t.Errorf("expected a warning that kin-openapi validation was skipped, got %q", w)
	}
	long := writeFile(t, "ring.yaml", chainSpec(500, true, "allOf: [{$ref: NEXT}]"))
	_, err = Load(Options{File: long})
	oneLineLoadError(t, err, long, "#/components/schemas/S0", "more steps")
	if len(err.Error()) > 600 {
		t.Errorf("expected a short error for a 500-schema cycle, got %d bytes", len(err.Error()))
	}
}
