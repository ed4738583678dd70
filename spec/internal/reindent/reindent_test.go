package reindent

import (
	"strings"
	"testing"
)

// flat strips the indentation of a YAML text, as seed 002 lost it.
func flat(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// check reindents the flattened want and compares with want.
func check(t *testing.T, want string) {
	t.Helper()
	want = strings.TrimLeft(want, "\n")
	got, err := Reindent([]byte(flat(want)))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReindentOperationWithParametersAndBlockScalars(t *testing.T) {
	check(t, `
openapi: 3.0.0
info:
  title: T
  version: v2
paths:
  /things/{id}:
    get:
      description: |-
        Retrieves a thing.
        - `+"`a`"+`: an item of a markdown list, not of a YAML one.
        Note: prose with a colon.
      parameters:
        - name: id
          in: path
          description: |-
            ID of the thing.
          required: true
          schema:
            type: string
        - $ref: '#/components/parameters/limit'
      responses:
        200:
          description: OK.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  parameters:
    limit:
      name: limit
      in: query
      schema:
        type: integer
  schemas:
    Thing:
      type: object
      properties:
        id:
          type: string
`)
}

func TestReindentClosesNestedPropertiesAtTheEnclosingSchemaKeywords(t *testing.T) {
	// `required` cannot belong to a string; `type:` with no value is a
	// property, not the keyword; a referenced name is a component.
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        type:
          type: string
        inner:
          type: object
          properties:
            x:
              type: string
      required:
        - type
    B:
      allOf:
        - $ref: '#/components/schemas/A'
      properties:
        items:
          type: array
          items:
            $ref: '#/components/schemas/A'
    Other:
      $ref: '#/components/schemas/B'
`)
}

func TestReindentPascalCaseNameIsAComponent(t *testing.T) {
	// Unreferenced, but a component name: it does not extend the
	// properties map before it.
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        error:
          type: string
    Event:
      type: object
`)
}

func TestReindentTypeEnumClaimsSiblingProperty(t *testing.T) {
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    Interactive:
      type: object
      properties:
        type:
          type: string
          enum:
            - button_reply
            - list_reply
        button_reply:
          type: object
          properties:
            id:
              type: string
        list_reply:
          type: object
`)
}

func TestReindentAdditionalPropertiesAnnotationsDescribeTheMap(t *testing.T) {
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        notes:
          type: object
          additionalProperties:
            type: string
          description: Up to 15 keys.
          example:
            key1: value1
            key2: value2
        other:
          type: string
`)
}

func TestReindentPropertyNamedExampleAfterRef(t *testing.T) {
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        offer:
          $ref: '#/components/schemas/B'
        example:
          $ref: '#/components/schemas/B'
    B:
      type: string
`)
}

func TestReindentBodyDescriptionAfterSchemaRef(t *testing.T) {
	check(t, `
openapi: 3.0.0
paths:
  /sms:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Sms'
        description: SMS request.
        required: true
      responses:
        200:
          description: OK.
`)
}

func TestReindentMultiLinePlainScalarAndSoftTypeChecks(t *testing.T) {
	// `pattern` on an integer and `minimum` on a string are wrong but
	// stay where they are when nothing encloses them better.
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        status:
          type: integer
          pattern: '[45]\d{2}'
          description:
            A plain scalar
            on two lines.
        name:
          type: string
          minimum: 1
`)
}

func TestReindentFreeFormExampleEndsAtEnclosingKey(t *testing.T) {
	check(t, `
openapi: 3.0.0
paths: {}
components:
  schemas:
    A:
      type: object
      example:
        property1: value1
        nested:
          deeper: 1
    B:
      type: string
      enum:
        - x
        - y
      example: x
`)
}

func TestReindentFailsNamingTheLine(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"stray line": {"openapi: 3.0.0\npaths: {}\n- stray\n", `line 3: cannot place "- stray"`},
		"blank line": {"openapi: 3.0.0\n\npaths: {}\n", "line 2: blank or indented line"},
		"indented":   {"openapi: 3.0.0\n  paths: {}\n", "line 2: blank or indented line"},
		"not a spec": {"- a\n", `line 1: "- a" does not start an OpenAPI document`},
		"empty":      {"\n", "empty input"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Reindent([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	for in, want := range map[string]line{
		"type: string":        {dashes: 0, key: "type", value: "string", hasKey: true},
		"- name: id":          {dashes: 1, key: "name", value: "id", hasKey: true},
		"'200':":              {key: "200", hasKey: true},
		"url: 'https://x/y'":  {key: "url", value: "'https://x/y'", hasKey: true},
		"- `sent`: delivered": {dashes: 1},
		"**Required** when:":  {},
		"See https://x.y/z":   {},
		"- cta_url":           {dashes: 1},
		"description: |-":     {key: "description", value: "|-", hasKey: true},
		"/a/{id}:":            {key: "/a/{id}", hasKey: true},
	} {
		got := classify(in)
		got.text, got.body = "", ""
		if got != want {
			t.Errorf("classify(%q) = %+v, want %+v", in, got, want)
		}
	}
	if !classify("description: >-").isBlock() || classify("description: a|b").isBlock() {
		t.Error("isBlock")
	}
}
