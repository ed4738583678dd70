package validate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/spec"
)

// modicaWithProperty loads a fresh copy of the embedded Modica spec and
// adds a component schema `name` and a property `extra` pointing at it to
// the 202 body of POST /messages: the model a caller could hand New
// without going through spec.Load's checks.
func modicaWithProperty(t *testing.T, name string, s *openapi3.Schema) *spec.Doc {
	t.Helper()
	doc, err := modicaspec.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	ref := "#/components/schemas/" + name
	doc.T.Components.Schemas[name] = &openapi3.SchemaRef{Value: s}
	body := doc.T.Paths.Value("/messages").Post.Responses.Value("202").Value.Content["application/json"].Schema.Value
	body.Properties["extra"] = &openapi3.SchemaRef{Ref: ref, Value: s}
	return doc
}

// TestSchemaCycleThroughAllOfDoesNotCrash: Loop: {allOf: [Loop]} took
// validate.New into a stack overflow (fast-path compiler → kin-openapi
// Schema.IsEmpty). Now it is a one-line error naming the schema.
func TestSchemaCycleThroughAllOfDoesNotCrash(t *testing.T) {
	loop := &openapi3.Schema{}
	loop.AllOf = openapi3.SchemaRefs{{Ref: "#/components/schemas/Loop", Value: loop}}
	_, err := New(modicaWithProperty(t, "Loop", loop), Callbacks(modicaKinds))
	if err == nil {
		t.Fatal("expected an error for a schema that requires itself")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "#/components/schemas/Loop") || !strings.Contains(msg, "allOf/0") {
		t.Errorf("expected one line naming #/components/schemas/Loop and allOf/0, got %q", msg)
	}
}

// TestUnboundedSchemaCycleIsAnError: a schema that refers to itself on the
// same value (here through anyOf) never ends under JSON Schema semantics;
// kin-openapi would silently accept everything.
func TestUnboundedSchemaCycleIsAnError(t *testing.T) {
	a := &openapi3.Schema{}
	a.AnyOf = openapi3.SchemaRefs{{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}}}, {Ref: "#/components/schemas/A", Value: a}}
	_, err := New(modicaWithProperty(t, "A", a), Callbacks(modicaKinds))
	if err == nil || !strings.Contains(err.Error(), "#/components/schemas/A") || !strings.Contains(err.Error(), "anyOf/1") {
		t.Fatalf("expected an error naming #/components/schemas/A and anyOf/1, got %v", err)
	}
}

// TestUnresolvedRefIsAnError: a $ref kin-openapi could not resolve (a
// plain $ref loop) made every message fail with `found unresolved ref`,
// blamed on the target.
func TestUnresolvedRefIsAnError(t *testing.T) {
	doc := modicaWithProperty(t, "A", &openapi3.Schema{})
	body := doc.T.Paths.Value("/messages").Post.Responses.Value("202").Value.Content["application/json"].Schema.Value
	body.Properties["extra"] = &openapi3.SchemaRef{Ref: "#/components/schemas/B"}
	_, err := New(doc, Callbacks(modicaKinds))
	if err == nil || !strings.Contains(err.Error(), "#/components/schemas/B") || !strings.Contains(err.Error(), "unresolved") {
		t.Fatalf("expected an error naming the unresolved #/components/schemas/B, got %v", err)
	}
}

const treeSpec = `openapi: 3.0.3
info: {title: trees, version: "1"}
paths:
  /typed:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Typed'}
  /untyped:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Untyped'}
components:
  schemas:
    Typed:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 5}
        children:
          type: array
          items: {$ref: '#/components/schemas/Typed'}
    Untyped:
      additionalProperties: {$ref: '#/components/schemas/Untyped'}
      properties:
        name: {type: string, maxLength: 5}
    Loose:
      properties:
        next: {$ref: '#/components/schemas/Loose'}
`

var jsonCT = hdr("Content-Type", "application/json")

// TestRecursiveTreeValidatesRealData: schemas that recurse through
// properties, items or additionalProperties check nested values at every
// depth. The untyped one crashed kin-openapi's Schema.IsEmpty.
func TestRecursiveTreeValidatesRealData(t *testing.T) {
	v := inline(t, treeSpec)
	for _, tt := range []struct {
		path, body, pointer, rule string
	}{
		{"/typed", `{"name":"root","children":[{"name":"a"},{"name":"b","children":[{"name":"c","children":[]}]}]}`, "", ""},
		{"/typed", `{"name":"root","children":[{"name":"a"},{"name":"b","children":[{"name":"toolong"}]}]}`, "/children/1/children/0/name", "maxLength: 5"},
		{"/typed", `{"name":"root","children":[{"name":"a"},{"children":[]}]}`, "/children/1/name", "required"},
		{"/untyped", `{"name":"root","x":{"y":{"name":"leaf","z":{}}}}`, "", ""},
		{"/untyped", `{"name":"root","x":{"y":{"name":"leaf","z":{"name":7}}}}`, "/x/y/z/name", "type: string"},
		{"/untyped", `{"x":{"y":{"name":"far too long"}}}`, "/x/y/name", "maxLength: 5"},
	} {
		fs := v.Response("GET", tt.path, 200, jsonCT, []byte(tt.body))
		if tt.pointer == "" {
			if len(fs) != 0 {
				t.Errorf("%s %s: expected no findings, got %v", tt.path, tt.body, fs)
			}
			continue
		}
		if len(fs) != 1 || fs[0].Pointer != tt.pointer || !strings.HasPrefix(fs[0].Rule, tt.rule) {
			t.Errorf("%s %s: expected one finding at %s (%s), got %v", tt.path, tt.body, tt.pointer, tt.rule, fs)
		}
	}
}

// TestRecursiveSchemasCompileToFastNodes: the fast path compiles cycles
// through properties, items and additionalProperties (memoised by schema)
// and agrees with kin-openapi on them.
func TestRecursiveSchemasCompileToFastNodes(t *testing.T) {
	v := inline(t, treeSpec)
	samples := []any{
		map[string]any{"name": "root", "children": []any{map[string]any{"name": "a", "children": []any{map[string]any{"name": "b"}}}}},
		map[string]any{"name": "r", "x": map[string]any{"name": "y", "z": map[string]any{}}},
	}
	samples = append(samples, map[string]any{"next": map[string]any{"next": 5.0}}, nil)
	for _, name := range []string{"Typed", "Untyped", "Loose"} {
		s := v.doc.T.Components.Schemas[name].Value
		n := v.fastNodes[s]
		if n == nil {
			t.Fatalf("%s: expected a fast node", name)
		}
		for _, sample := range samples {
			for _, m := range mutations(sample) {
				fast := n.valid(m)
				kin := v.kin(s).VisitJSON(m, v.fast...) == nil // the original would overflow kin's IsEmpty
				if fast != kin {
					t.Errorf("%s: fast=%v kin=%v for %s", name, fast, kin, shortValue(m))
				}
			}
		}
	}
}

// TestKinSlotsCoverEverySchemaField: the graph, the copies and the
// clearing must see every subschema field of openapi3.Schema, or a new
// kin-openapi field could hide a cycle from them.
func TestKinSlotsCoverEverySchemaField(t *testing.T) {
	s := &openapi3.Schema{}
	markers := map[*openapi3.Schema]string{}
	rv := reflect.ValueOf(s).Elem()
	for i := 0; i < rv.NumField(); i++ {
		f, name := rv.Field(i), rv.Type().Field(i).Name
		if name == "Defs" { // reached through $refs only
			continue
		}
		m := &openapi3.Schema{Title: name}
		r := &openapi3.SchemaRef{Value: m}
		switch f.Interface().(type) {
		case *openapi3.SchemaRef:
			f.Set(reflect.ValueOf(r))
		case openapi3.SchemaRefs:
			f.Set(reflect.ValueOf(openapi3.SchemaRefs{r}))
		case openapi3.Schemas:
			f.Set(reflect.ValueOf(openapi3.Schemas{"k": r}))
		case openapi3.BoolSchema:
			f.Set(reflect.ValueOf(openapi3.BoolSchema{Schema: r}))
		default:
			continue
		}
		markers[m] = name
	}
	if len(markers) < 15 {
		t.Fatalf("expected the subschema fields of openapi3.Schema, found %d", len(markers))
	}
	seen := map[string]bool{}
	for _, c := range kinChildren(s) {
		seen[markers[c.ref.Value]] = true
	}
	swapped := *s
	kinRewire(&swapped, func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil {
			return nil
		}
		return &openapi3.SchemaRef{Value: &openapi3.Schema{Title: "new " + r.Value.Title}}
	})
	cleared := *s
	kinClear(&cleared)
	rewired := map[string]bool{}
	for _, c := range kinChildren(&swapped) {
		rewired[strings.TrimPrefix(c.ref.Value.Title, "new ")] = strings.HasPrefix(c.ref.Value.Title, "new ")
	}
	for _, name := range markers {
		if !seen[name] {
			t.Errorf("kinChildren misses %s", name)
		}
		if !rewired[name] {
			t.Errorf("kinRewire leaves %s pointing at the original", name)
		}
	}
	if len(kinChildren(s)) != len(markers) {
		t.Error("kinRewire changed the original schema")
	}
	if n := newKinGraph([]*openapi3.Schema{&cleared}, nil); len(n.list) != 1 {
		t.Errorf("kinClear leaves %d subschemas", len(n.list)-1)
	}
}
