package onpremseed

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// miniSeed has every kind of block the real page has.
const miniSeed = `Title of the API
docs.example.com/api ↗Chrome of the hosting site.
http://first.local
http://example.com/v1
/things
A description line.
{
"content": {
"application/json": {
"schema": {
"$ref": "#/components/schemas/Thing"
},
"example": {
"n": 32,
"s": "3000",
"f": 38.98,
"b": true,
"z": null,
"multi": "line one\nline two ",
"list": []
}
}
},
"required": true,
"description": ""
}
POST /things
/things
GET /things
/things/{Id}
| Name | In | Required | Type | Description |
|---|---|---|---|---|
| Id | path | required | string | The id |
| format | query | optional | string |
GET /things/{Id}
Thing
{
"type": "object",
"required": [
"n"
],
"properties": {
"n": {
"type": "integer"
}
}
}
`

func TestParseMiniSeed(t *testing.T) {
	s, err := Parse([]byte(miniSeed))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Title of the API" || s.Link != "docs.example.com/api" {
		t.Errorf("title %q link %q", s.Title, s.Link)
	}
	if want := []string{"http://first.local", "http://example.com/v1"}; !reflect.DeepEqual(s.Servers, want) {
		t.Errorf("servers = %v, want %v", s.Servers, want)
	}
	var got []string
	for _, p := range s.Paths {
		for _, o := range p.Ops {
			got = append(got, o.Method+" "+p.Template)
		}
	}
	if want := []string{"POST /things", "GET /things", "GET /things/{Id}"}; !reflect.DeepEqual(got, want) {
		t.Errorf("operations = %v, want %v", got, want)
	}
	post, get := s.Paths[0].Ops[0], s.Paths[1].Ops[0]
	if post.Description != "A description line." || post.Body == nil || post.Line != 27 {
		t.Errorf("POST /things: description %q, body %v, line %d", post.Description, post.Body != nil, post.Line)
	}
	wantParams := []Param{
		{Name: "Id", In: "path", Required: true, Type: "string", Description: "The id"},
		{Name: "format", In: "query", Type: "string"},
	}
	if !reflect.DeepEqual(get.Params, wantParams) {
		t.Errorf("params = %+v, want %+v", get.Params, wantParams)
	}
	if len(s.Schemas) != 1 || s.Schemas[0].Name != "Thing" || s.Schemas[0].Line != 36 {
		t.Errorf("schemas = %+v", s.Schemas)
	}
}

// TestRenderRoundTrip: every JSON block of the page decodes to the same
// value from the rendered YAML, so no string, number or key order is lost
// (order: the YAML keys come out in the page's order).
func TestRenderRoundTrip(t *testing.T) {
	s, err := Parse([]byte(miniSeed))
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, s)
	out, _ := Render(s)
	if !strings.Contains(string(out), "s: \"3000\"") {
		t.Errorf("the string \"3000\" must stay quoted:\n%s", out)
	}
	if i, j := strings.Index(string(out), "  n: 32"), strings.Index(string(out), "  s: \"3000\""); i < 0 || j < i {
		t.Errorf("example keys not in page order:\n%s", out)
	}
}

// checkRoundTrip renders s and compares every schema and request body with
// the JSON text it was parsed from.
func checkRoundTrip(t *testing.T, s *Seed) {
	t.Helper()
	out, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("rendered YAML does not parse: %v", err)
	}
	paths := doc["paths"].(map[string]any)
	for _, p := range s.Paths {
		for _, o := range p.Ops {
			if o.Body == nil {
				continue
			}
			got := paths[p.Template].(map[string]any)[strings.ToLower(o.Method)].(map[string]any)["requestBody"]
			sameJSON(t, o.Method+" "+p.Template, o.BodyJSON, got)
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	if len(schemas) != len(s.Schemas) {
		t.Errorf("rendered %d schemas, page has %d", len(schemas), len(s.Schemas))
	}
	for _, sc := range s.Schemas {
		sameJSON(t, "schema "+sc.Name, sc.JSON, schemas[sc.Name])
	}
}

func sameJSON(t *testing.T, what, raw string, got any) {
	t.Helper()
	var want any
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	// Normalise the YAML value through JSON: ints and floats become float64.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var norm any
	if err := json.Unmarshal(b, &norm); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(norm, want) {
		t.Errorf("%s: rendered YAML gives\n %s\nthe page has\n %s", what, b, raw)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := []struct {
		name, edit, with string
		line             int
		msg              string
	}{
		{"method closes another path", "GET /things\n/things/{Id}", "GET /other\n/things/{Id}", 29, `"GET /other" closes the block of path /things`},
		{"bad Required cell", "| Id | path | required |", "| Id | path | maybe |", 33, `Required is "maybe"`},
		{"bad In cell", "| format | query |", "| format | body |", 34, `In is "body"`},
		{"duplicate operation", "/things\nGET /things\n", "/things\nPOST /things\n", 29, "POST /things appears twice (first at line 27)"},
		{"schema without JSON", "Thing\n{", "Thing\nnot json\n{", 37, "want the JSON of schema Thing"},
		{"JSON not at line end", "\"description\": \"\"\n}\nPOST", "\"description\": \"\"\n} trailing\nPOST", 7, "does not end at a line end"},
		{"second description line", "A description line.\n", "A description line.\nAnother.\n", 7, `unexpected line "Another."`},
		{"no chrome mark", "docs.example.com/api ↗", "docs.example.com/api ", 2, "want the documentation link"},
		{"schema name with spaces", "Thing\n{", "Some Thing\n{", 36, `want a schema name, got "Some Thing"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(miniSeed, c.edit) {
				t.Fatalf("test case edit %q not in miniSeed", c.edit)
			}
			_, err := Parse([]byte(strings.Replace(miniSeed, c.edit, c.with, 1)))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
				t.Errorf("err = %v, want line %d and %q", err, c.line, c.msg)
			}
		})
	}
}
