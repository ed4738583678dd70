package sim

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// toySpec is a minimal OpenAPI model for the toy wire.
func toySpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`openapi: 3.0.3
info: {title: toy, version: "1"}
servers: [{url: "http://toy.example/api"}]
paths:
  /messages:
    post:
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
