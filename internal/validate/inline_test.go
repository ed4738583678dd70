package validate

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

const petSpec = `openapi: 3.0.3
info: {title: pets, version: "1"}
servers:
  - url: http://localhost/api
paths:
  /pets/{petId}:
    parameters:
      - name: petId
        in: path
        required: true
        schema: {type: integer, minimum: 1}
    get:
      operationId: GetPet
      parameters:
        - name: X-Trace
          in: header
          required: true
          schema: {type: string, minLength: 4}
      responses:
        '200':
          description: ok
          headers:
            X-Count: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        5XX:
          description: server
        default:
          description: other
          content:
            application/problem+json:
              schema: {type: object, required: [title]}
  /pets:
    post:
      operationId: AddPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - {$ref: '#/components/schemas/Cat'}
                - {$ref: '#/components/schemas/Dog'}
      responses:
        '201': {description: created}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      additionalProperties: false
      properties:
        id: {type: integer, format: int32}
        name: {type: string, maxLength: 5}
        tags: {type: array, maxItems: 2, items: {type: string, enum: [a, b]}}
    Cat:
      type: object
      required: [meows]
      properties: {meows: {type: boolean}}
    Dog:
      type: object
      required: [barks]
      properties: {barks: {type: boolean}}
`

func TestInlineSpec(t *testing.T) {
	v := inline(t, petSpec)
	h := func(kv ...string) http.Header {
		out := hdr("Content-Type", "application/json", "X-Count", "1")
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name   string
		status int
		h      http.Header
		body   string
		want   []string // "code pointer rule"
	}{
		{"good", 200, h(), `{"id":1,"name":"rex","tags":["a"]}`, nil},
		{"many violations reported", 200, h(), `{"id":1.5,"name":"toolong","tags":["a","c","b"],"x":1}`, []string{
			"body-schema /id type: integer",
			"body-schema /name maxLength: 5",
			"body-schema /tags maxItems: 2",
			"body-schema /tags/1 enum: [a, b]",
			"body-schema  additionalProperties: false"}},
		{"int32 format", 200, h(), `{"id":3000000000,"name":"rex"}`, []string{"body-schema /id format: int32"}},
		{"required", 200, h(), `{"id":1}`, []string{"body-schema /name required: name"}},
		{"integer header", 200, h("X-Count", "1.5"), `{"id":1,"name":"rex"}`, []string{"header-invalid  type: integer"}},
		{"5XX range without content", 503, hdr(), ``, nil},
		{"5XX range, body undeclared", 503, hdr(), `oops`, []string{"body-undeclared  "}},
		{"default with problem+json", 418, hdr("Content-Type", "application/problem+json"), `{}`, []string{"body-schema /title required: title"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := v.Response("GET", "/api/pets/7", c.status, c.h, []byte(c.body))
			var lines []string
			for _, f := range got {
				lines = append(lines, f.Code+" "+f.Pointer+" "+f.Rule)
				if f.Spec.Line <= 0 {
					t.Errorf("expected a spec line for %s", f)
				}
			}
			// kin-openapi reports object properties in sorted order; compare as sets.
			if strings.Join(sorted(lines), "\n") != strings.Join(sorted(c.want), "\n") {
				t.Errorf("expected:\n%s\ngot:\n%s", strings.Join(c.want, "\n"), joinFindings(got))
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestInlineRequests(t *testing.T) {
	v := inline(t, petSpec)
	cases := []struct {
		name, method, target, body string
		h                          http.Header
		want                       []string
	}{
		{"path param ok", "GET", "/api/pets/3", "", hdr("X-Trace", "abcd"), nil},
		{"path param not integer", "GET", "/api/pets/x", "", hdr("X-Trace", "abcd"), []string{"param-invalid path petId type: integer"}},
		{"path param below minimum", "GET", "/api/pets/0", "", hdr("X-Trace", "abcd"), []string{"param-invalid path petId minimum: 1"}},
		{"header param missing", "GET", "/api/pets/3", "", nil, []string{"param-missing header X-Trace "}},
		{"header param short", "GET", "/api/pets/3", "", hdr("X-Trace", "ab"), []string{"param-invalid header X-Trace minLength: 4"}},
		{"oneOf ok", "POST", "/api/pets", `{"meows":true}`, hdr("Content-Type", "application/json"), nil},
		{"oneOf matches two", "POST", "/api/pets", `{"meows":true,"barks":true}`, hdr("Content-Type", "application/json"), []string{"body-schema body oneOf"}},
		{"oneOf closest branch", "POST", "/api/pets", `{"meows":"yes"}`, hdr("Content-Type", "application/json"), []string{"body-schema body type: boolean"}},
		{"required body missing", "POST", "/api/pets", ``, hdr("Content-Type", "application/json"), []string{"body-missing body "}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newReq(t, c.method, c.target, "")
			for k, vs := range c.h {
				r.Header[k] = vs
			}
			got := v.Request(r, []byte(c.body))
			var lines []string
			for _, f := range got {
				lines = append(lines, f.Code+" "+f.Where+" "+f.Rule)
			}
			if strings.Join(lines, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("expected:\n%s\ngot:\n%s", strings.Join(c.want, "\n"), joinFindings(got))
			}
		})
	}
	if id, ok := v.OperationID("GET", "/api/pets/12"); !ok || id != "GetPet" {
		t.Errorf("expected GetPet for a templated path, got %q %v", id, ok)
	}
	if got := v.Callback(kindStatus, nil, []byte(`{}`)); len(got) != 1 || got[0].Code != CodeCallbackUndeclared {
		t.Errorf("expected %s for a spec without callbacks, got:\n%s", CodeCallbackUndeclared, joinFindings(got))
	}
}

// TestFindingStringGolden pins Finding.String() for a few Modica cases.
func TestFindingStringGolden(t *testing.T) {
	v := modica(t)
	var b strings.Builder
	add := func(fs []Finding) {
		for _, f := range fs {
			b.WriteString(f.String() + "\n")
		}
	}
	add(v.Response("POST", msgPath, 202, goodHeadersWith("X-RateLimit-Limit", ""), []byte(`{"message_id":"nope","status":"queued"}`)))
	add(v.Response("POST", msgPath, 429, goodHeadersWith("Retry-After", "5"), []byte(`{"errors":[]}`)))
	add(v.Response("POST", msgPath, 200, goodHeaders(), []byte(good202)))
	add(v.Callback(kindStatus, hdr("Content-Type", "application/json"), []byte(`{"id":"x","status":"gone"}`)))
	add(v.Request(newReq(t, "DELETE", msgPath, ""), nil))
	golden := filepath.Join("testdata", "finding_strings.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("Finding.String() output changed; expected:\n%s\ngot:\n%s", want, b.String())
	}
}
