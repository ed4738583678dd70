package spec

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pb33f/jsonpath/pkg/jsonpath"
	"github.com/pb33f/jsonpath/pkg/jsonpath/config"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/overlay"
	yamlv4 "go.yaml.in/yaml/v4"
)

// This file checks modica-wab-v1.2.0.errata.yaml: that it is an OpenAPI
// Overlay 1.0.0 document whose every action is documented and hits exactly
// one node of modica-wab-v1.2.0.yaml, that the patched spec loads and
// validates with kin-openapi, and that each erratum does what its
// description claims (a value the published spec wrongly rejects is accepted
// after the errata). It uses only the two files, not the package's code.

const errataTestFile = "modica-wab-v1.2.0.errata.yaml"

func errataTestRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return b
}

// errataTestApply applies the errata to the published spec and fails on any
// overlay error or warning (a warning means a target matched nothing).
func errataTestApply(t *testing.T) (published, patched []byte) {
	t.Helper()
	published = errataTestRead(t, faithfulSpecFile)
	ov, err := libopenapi.NewOverlayDocument(errataTestRead(t, errataTestFile))
	if err != nil {
		t.Fatalf("parse overlay: %v", err)
	}
	res, err := overlay.Apply(published, ov)
	if err != nil {
		t.Fatalf("apply overlay: %v", err)
	}
	for _, w := range res.Warnings {
		t.Errorf("overlay warning: %s", w)
	}
	return published, res.Bytes
}

func errataTestLoad(t *testing.T, name string, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("kin-openapi load %s: %v", name, err)
	}
	return doc
}

func TestErrataOverlayWellFormed(t *testing.T) {
	ov, err := libopenapi.NewOverlayDocument(errataTestRead(t, errataTestFile))
	if err != nil {
		t.Fatalf("parse overlay: %v", err)
	}
	if ov.Overlay != "1.0.0" {
		t.Errorf("overlay = %q, want 1.0.0", ov.Overlay)
	}
	if ov.Info == nil || ov.Info.Title == "" || ov.Info.Version == "" {
		t.Errorf("info.title and info.version are required, got %+v", ov.Info)
	}
	if len(ov.Actions) == 0 {
		t.Fatal("no actions")
	}

	var root yamlv4.Node
	if err := yamlv4.Unmarshal(errataTestRead(t, faithfulSpecFile), &root); err != nil {
		t.Fatalf("parse spec: %v", err)
	}
	seen := map[string]bool{}
	for i, a := range ov.Actions {
		if a.Target == "" {
			t.Errorf("action %d: no target", i)
			continue
		}
		if seen[a.Target] {
			t.Errorf("action %d: target %s repeated; one action per erratum", i, a.Target)
		}
		seen[a.Target] = true
		if len(strings.Fields(a.Description)) < 20 {
			t.Errorf("action %d (%s): description must cite the defect (where, what, why, fix): %q", i, a.Target, a.Description)
		}
		if (a.Update != nil) == a.Remove || a.Copy != "" {
			t.Errorf("action %d (%s): want exactly one of update or remove", i, a.Target)
		}
		p, err := jsonpath.NewPath(a.Target, config.WithPropertyNameExtension())
		if err != nil {
			t.Errorf("action %d: target %s: %v", i, a.Target, err)
			continue
		}
		if n := len(p.Query(&root)); n != 1 {
			t.Errorf("action %d: target %s matches %d nodes of the published spec, want exactly 1", i, a.Target, n)
		}
	}
}

func TestErrataApplyLoadValidate(t *testing.T) {
	_, patched := errataTestApply(t)
	doc := errataTestLoad(t, "patched spec", patched)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi validate of the errata-applied spec: %v", err)
	}
	if doc.Paths.Find("/healthz") == nil {
		t.Error("errata dropped GET /healthz")
	}
}

// errataTestSchema walks a kin-openapi document to a schema.
type errataTestSchema func(*openapi3.T) *openapi3.Schema

func errataTestComponent(name string, props ...string) errataTestSchema {
	return func(doc *openapi3.T) *openapi3.Schema {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			return nil
		}
		s := ref.Value
		for _, p := range props {
			if p == "[]" {
				s = s.Items.Value
				continue
			}
			r := s.Properties[p]
			if r == nil {
				return nil
			}
			s = r.Value
		}
		return s
	}
}

func TestErrataEffects(t *testing.T) {
	published, patched := errataTestApply(t)
	before := errataTestLoad(t, "published spec", published)
	after := errataTestLoad(t, "patched spec", patched)

	mediaGet := func(doc *openapi3.T) *openapi3.Schema {
		return doc.Components.Responses["ResponseMediaGet"].Value.Content["application/octet-stream"].Schema.Value
	}
	cases := []struct {
		erratum string
		schema  errataTestSchema
		value   string // JSON
	}{
		{"E1 source pattern", errataTestComponent("MessageCommon", "source"), `"102046588645210"`},
		{"E2 to maxLength", errataTestComponent("MessageDestination", "to"), `"+123456789012345"`},
		{"E3 APIError.description pattern", errataTestComponent("APIError"),
			`{"field":"template.name","code":"invalid","description":"bad request: name is required"}`},
		{"E4 sticker mime_type", errataTestComponent("ReplyCallbackContent"),
			`{"type":"sticker","sticker":{"id":"abc123456","mime_type":"image/webp"}}`},
		{"E4 voice note mime_type", errataTestComponent("ReplyCallbackContent"),
			`{"type":"audio","audio":{"id":"abc123456","mime_type":"audio/ogg; codecs=opus"}}`},
		{"E5 interactive content type", errataTestComponent("ReplyCallbackContent"), `{"type":"interactive"}`},
		{"E5 system content type", errataTestComponent("ReplyCallbackContent"), `{"type":"system"}`},
		{"E6 media download size", mediaGet, `"` + strings.Repeat("x", 4096) + `"`},
		{"E7 footer maxLength", errataTestComponent("MessageDetails"),
			`{"type":"template","attributes":{"footer":"Reply STOP to opt out"}}`},
		{"E8 button text maxLength", errataTestComponent("MessageDetails"),
			`{"type":"template","attributes":{"buttons":[{"text":"Confirm booking"}]}}`},
	}
	for _, c := range cases {
		var v any
		if err := json.Unmarshal([]byte(c.value), &v); err != nil {
			t.Fatalf("%s: bad test value: %v", c.erratum, err)
		}
		sb, sa := c.schema(before), c.schema(after)
		if sb == nil || sa == nil {
			t.Errorf("%s: schema not found", c.erratum)
			continue
		}
		if err := sb.VisitJSON(v); err == nil {
			t.Errorf("%s: the published spec already accepts %s; the erratum is not needed", c.erratum, c.value)
		}
		if err := sa.VisitJSON(v); err != nil {
			t.Errorf("%s: the errata-applied spec still rejects %s: %v", c.erratum, c.value, err)
		}
	}

	// The errata must not loosen what the published spec gets right.
	still := []struct {
		what   string
		schema errataTestSchema
		value  string
	}{
		{"source must be digits", errataTestComponent("MessageCommon", "source"), `"[1-9]123"`},
		{"source must not start with 0", errataTestComponent("MessageCommon", "source"), `"0123"`},
		{"to is at most 15 digits", errataTestComponent("MessageDestination", "to"), `"+1234567890123456"`},
		{"description still bounded", errataTestComponent("APIError"),
			`{"field":"f","code":"c","description":"` + strings.Repeat("x", 101) + `"}`},
		{"content type still an enum", errataTestComponent("ReplyCallbackContent"), `{"type":"bogus"}`},
		{"footer still bounded", errataTestComponent("MessageDetails", "attributes", "footer"), `"` + strings.Repeat("x", 61) + `"`},
	}
	for _, c := range still {
		var v any
		if err := json.Unmarshal([]byte(c.value), &v); err != nil {
			t.Fatalf("%s: bad test value: %v", c.what, err)
		}
		if s := c.schema(after); s == nil {
			t.Errorf("%s: schema not found", c.what)
		} else if err := s.VisitJSON(v); err == nil {
			t.Errorf("%s: errata-applied spec accepts %s", c.what, c.value)
		}
	}

	// E9: the 429 example's statusCode.
	statusCode := func(doc *openapi3.T) any {
		m, _ := doc.Components.Responses["TooManyRequests"].Value.Content["application/json"].Example.(map[string]any)
		return m["statusCode"]
	}
	if got := statusCode(before); !errataTestIsNum(got, 500) {
		t.Errorf("E9: published TooManyRequests example statusCode = %v, want the published 500", got)
	}
	if got := statusCode(after); !errataTestIsNum(got, 429) {
		t.Errorf("E9: patched TooManyRequests example statusCode = %v, want 429", got)
	}
}

func errataTestIsNum(v any, want float64) bool {
	switch n := v.(type) {
	case int:
		return float64(n) == want
	case int64:
		return float64(n) == want
	case uint64:
		return float64(n) == want
	case float64:
		return n == want
	}
	return false
}
